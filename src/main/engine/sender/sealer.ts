/**
 * Keeps private keys and signing secrets encrypted at rest. Headless mode and
 * the CLI use a random key in a 0600 file beside the database; the desktop
 * shell may pass the OS keychain (Electron's safeStorage) instead. Each sealed
 * value records which sealer closed it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors';

export interface Sealer {
  /** Stored with each value, so a value sealed elsewhere is recognised. */
  readonly kind: string;
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

export const KEY_FILE = 'hookbench.key';

/** AES-256-GCM with a key kept in `<dataDir>/hookbench.key`, readable by the owner only. */
export function fileSealer(dataDir: string): Sealer {
  const file = join(dataDir, KEY_FILE);
  let key: Buffer;
  if (existsSync(file)) {
    key = readFileSync(file);
    if (key.length !== 32) throw new EngineError('storage_failed', `${file} is not a Hookbench key file`);
  } else {
    key = randomBytes(32);
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  }
  try {
    chmodSync(file, 0o600);
  } catch {
    // Not every file system keeps modes (e.g. FAT); the key is still only Hookbench's.
  }
  return {
    kind: 'file',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      } catch {
        throw new EngineError('storage_failed', `a sealed value does not open with ${file}: was the key file replaced?`);
      }
    },
  };
}

/** Tags each sealed value with its sealer's kind: `<kind>:` + bytes. */
export function sealTagged(sealer: Sealer, plain: string): Buffer {
  return Buffer.concat([Buffer.from(`${sealer.kind}:`), sealer.seal(Buffer.from(plain))]);
}

export function openTagged(sealers: Sealer[], sealed: Buffer): string {
  const colon = sealed.indexOf(':');
  const kind = sealed.subarray(0, colon).toString();
  const sealer = sealers.find((s) => s.kind === kind);
  if (!sealer) {
    throw new EngineError(
      'storage_failed',
      kind === 'os' ? 'this secret is sealed by the desktop app\'s OS keychain: use it from the desktop app' : `no sealer "${kind}" here`,
    );
  }
  return sealer.open(sealed.subarray(colon + 1)).toString();
}
