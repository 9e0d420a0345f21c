/**
 * Signing keys per issuer: generate, rotate (the new key signs, the old one
 * stays published for an overlap, then is retired), import and export, and
 * the public JWKS the receiver serves. Private parts never leave the engine
 * except on an explicit export.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeyInfo, KeyStatus, KeyType } from '../../../shared/sender';
import { KEY_TYPES } from '../../../shared/sender';
import { EngineError } from '../errors';
import type { Db } from '../store/database';
import { openTagged, sealTagged, type Sealer } from './sealer';

interface KeyRow {
  kid: string;
  name: string;
  issuer: string;
  type: KeyType;
  alg: string;
  status: KeyStatus;
  public_jwk: string;
  private_sealed: Buffer;
  created_at: number;
  retired_at: number | null;
}

const ALG: Record<KeyType, string> = {
  'RSA-2048': 'RS256',
  'RSA-3072': 'RS256',
  'RSA-4096': 'RS256',
  'EC-P256': 'ES256',
  'EC-P384': 'ES384',
  Ed25519: 'EdDSA',
};

function generate(type: KeyType): KeyObject {
  switch (type) {
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) }).privateKey;
    case 'EC-P256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EC-P384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    case 'Ed25519':
      return generateKeyPairSync('ed25519').privateKey;
    default: {
      const unknown: never = type;
      throw new EngineError('invalid_input', `unknown key type ${String(unknown)}`);
    }
  }
}

function typeOf(key: KeyObject): KeyType {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const t = `RSA-${d.modulusLength}` as KeyType;
    if (KEY_TYPES.includes(t)) return t;
  }
  if (key.asymmetricKeyType === 'ec' && d.namedCurve === 'prime256v1') return 'EC-P256';
  if (key.asymmetricKeyType === 'ec' && d.namedCurve === 'secp384r1') return 'EC-P384';
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  throw new EngineError('invalid_input', 'supported keys: RSA 2048/3072/4096, EC P-256/P-384, Ed25519');
}

function info(row: KeyRow): KeyInfo {
  return {
    kid: row.kid,
    name: row.name,
    issuer: row.issuer,
    type: row.type,
    alg: row.alg,
    status: row.status,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;

export function createKeyStore(db: Db, sealers: Sealer[], now: () => number) {
  const sealer = sealers[0]!;
  const all = db.prepare<[], KeyRow>('SELECT * FROM signing_keys ORDER BY issuer, created_at');
  const one = db.prepare<[string], KeyRow>('SELECT * FROM signing_keys WHERE kid = ?');
  const activeFor = db.prepare<[string], KeyRow>("SELECT * FROM signing_keys WHERE issuer = ? AND status = 'active'");
  const retiredFor = db.prepare<[string], KeyRow>("SELECT * FROM signing_keys WHERE issuer = ? AND status = 'retired' ORDER BY retired_at DESC LIMIT 1");
  const opened = (row: KeyRow) => {
    const pem = openTagged(sealers, row.private_sealed);
    return { privateJwk: { ...createPrivateKey(pem).export({ format: 'jwk' }), kid: row.kid, alg: row.alg }, kid: row.kid, alg: row.alg };
  };
  const published = db.prepare<[], KeyRow>("SELECT * FROM signing_keys WHERE status != 'retired' ORDER BY created_at");
  const insert = db.prepare(`INSERT INTO signing_keys (kid, name, issuer, type, alg, status, public_jwk, private_sealed, created_at)
    VALUES (@kid, @name, @issuer, @type, @alg, @status, @public_jwk, @private_sealed, @created_at)`);
  const setStatus = db.prepare('UPDATE signing_keys SET status = ?, retired_at = ? WHERE kid = ?');
  const demote = db.prepare("UPDATE signing_keys SET status = 'published' WHERE issuer = ? AND status = 'active'");

  const mustGet = (kid: string) => {
    const row = one.get(kid);
    if (!row) throw new EngineError('not_found', `no key with kid ${kid}`);
    return row;
  };

  const add = db.transaction((key: KeyObject, issuer: string, name: string | undefined, activate: boolean): KeyInfo => {
    if (typeof issuer !== 'string' || issuer.trim() === '') throw new EngineError('invalid_input', 'a key needs the issuer (iss) it signs for');
    const type = typeOf(key);
    const kid = `hb-${randomBytes(6).toString('hex')}`;
    const alg = ALG[type];
    const publicJwk = { ...createPublicKey(key).export({ format: 'jwk' }), kid, alg, use: 'sig' };
    if (activate) demote.run(issuer);
    insert.run({
      kid,
      name: name?.trim() || `${type} for ${issuer}`,
      issuer,
      type,
      alg,
      status: activate ? 'active' : 'published',
      public_jwk: JSON.stringify(publicJwk),
      private_sealed: sealTagged(sealer, key.export({ format: 'pem', type: 'pkcs8' }).toString()),
      created_at: now(),
    });
    return info(mustGet(kid));
  });

  return {
    list: (): KeyInfo[] => all.all().map(info),
    get: (kid: string): KeyInfo => info(mustGet(kid)),
    generate: (issuer: string, type: KeyType = 'RSA-2048', name?: string, activate = true): KeyInfo => {
      if (!KEY_TYPES.includes(type)) throw new EngineError('invalid_input', `key type is one of ${KEY_TYPES.join(', ')}`);
      return add(generate(type), issuer, name, activate);
    },
    /** Imports a private key as PEM or JWK. */
    import: (text: string, issuer: string, name?: string, activate = false): KeyInfo => {
      let key: KeyObject;
      try {
        const trimmed = text.trim();
        key = trimmed.startsWith('{') ? createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' }) : createPrivateKey(trimmed);
      } catch (error) {
        throw new EngineError('invalid_input', `not a private key in PEM or JWK: ${(error as Error).message}`);
      }
      return add(key, issuer, name, activate);
    },
    /** New active key for the issuer; the old active key stays published until retired. */
    rotate: (issuer: string, type?: KeyType): { active: KeyInfo; previous: KeyInfo | null } => {
      const previous = activeFor.get(issuer);
      const active = add(generate(type ?? previous?.type ?? 'RSA-2048'), issuer, undefined, true);
      return { active, previous: previous ? info(mustGet(previous.kid)) : null };
    },
    retire: (kid: string): KeyInfo => {
      mustGet(kid);
      setStatus.run('retired', now(), kid);
      return info(mustGet(kid));
    },
    /** The issuer's signing key, private part opened. */
    signingKey: (issuer: string): { privateJwk: Record<string, unknown>; kid: string; alg: string } | null => {
      const row = activeFor.get(issuer);
      return row ? opened(row) : null;
    },
    /** The issuer's most recently retired key, private part opened: for replaying "signed by a rotated-out key". */
    retiredKey: (issuer: string): { privateJwk: Record<string, unknown>; kid: string; alg: string } | null => {
      const row = retiredFor.get(issuer);
      return row ? opened(row) : null;
    },
    export: (kid: string, format: 'jwk' | 'pem', includePrivate: boolean): string => {
      const row = mustGet(kid);
      const pub = createPublicKey({ key: JSON.parse(row.public_jwk), format: 'jwk' });
      if (!includePrivate) return format === 'pem' ? pub.export({ format: 'pem', type: 'spki' }).toString() : row.public_jwk;
      const priv = createPrivateKey(openTagged(sealers, row.private_sealed));
      return format === 'pem' ? priv.export({ format: 'pem', type: 'pkcs8' }).toString() : JSON.stringify({ ...priv.export({ format: 'jwk' }), kid: row.kid, alg: row.alg });
    },
    /** The public keys of every key that is not retired, optionally of one issuer. */
    jwks: (issuer?: string): { keys: Record<string, unknown>[] } => ({
      keys: published
        .all()
        .filter((r) => issuer === undefined || r.issuer === issuer)
        .map((r) => JSON.parse(r.public_jwk) as Record<string, unknown>),
    }),
  };
}
