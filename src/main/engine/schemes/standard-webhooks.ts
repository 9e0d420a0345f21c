/**
 * Standard Webhooks / Svix (Voyado Engage, seed 001): `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` (or the same under `svix-`),
 * signature entries `v1,<base64 HMAC-SHA256>` or `v1a,<base64 ed25519>` over
 * `{id}.{timestamp}.{raw body}`. Raw bytes throughout: the npm library turns
 * a Buffer into a string first, so it fails on invalid UTF-8 where this does not.
 */
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import type { SignedContent } from '../../../shared/verdict';
import { CheckList, checkReplay, checkTimestamp, hasHeader, partial, signaturesEqual, signedRecord } from './checks';
import { explainMismatch, hmac } from './hmac';
import type { HmacSignInput, Scheme, SignedRequest } from './types';

type Secret = { kind: 'hmac'; key: Buffer } | { kind: 'ed25519'; key: KeyObject } | { kind: 'invalid'; reason: string };

/** `whsec_<base64>` -> HMAC key bytes; `whpk_<base64>` -> ed25519 public key. */
export function parseSecret(secret: string): Secret {
  const trimmed = secret.trim();
  if (trimmed.startsWith('whpk_')) {
    const raw = Buffer.from(trimmed.slice(5), 'base64');
    if (raw.length !== 32) return { kind: 'invalid', reason: 'a whpk_ key is 32 bytes of base64' };
    return { kind: 'ed25519', key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }) };
  }
  const body = trimmed.startsWith('whsec_') ? trimmed.slice(6) : trimmed;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return { kind: 'invalid', reason: 'the part after whsec_ is not base64' };
  return { kind: 'hmac', key: Buffer.from(body, 'base64') };
}

export function signedContent(id: string, timestamp: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
}

function prefixOf(headers: [string, string][]): 'webhook' | 'svix' | null {
  if (hasHeader(headers, 'webhook-signature') || hasHeader(headers, 'webhook-id')) return 'webhook';
  if (hasHeader(headers, 'svix-signature') || hasHeader(headers, 'svix-id')) return 'svix';
  return null;
}

export const standardWebhooks: Scheme = {
  id: 'standard-webhooks',
  label: 'Standard Webhooks / Svix (Voyado Engage)',
  detect: ({ headers }) => prefixOf(headers) !== null,
  async verify({ headers, body }, ctx) {
    const list = new CheckList();
    const signed: SignedContent[] = [];
    const prefix = prefixOf(headers) ?? 'webhook';
    if (prefix === 'svix') list.pass('header-names', 'Header names', 'svix-* headers: the same scheme as webhook-*');
    const id = list.single(headers, `${prefix}-id`, 'id');
    const timestamp = list.single(headers, `${prefix}-timestamp`, 'timestamp-header');
    const signature = list.single(headers, `${prefix}-signature`, 'signature-header');
    if (id !== null) list.pass('id', `${prefix}-id`, `message id ${id} (the idempotency key)`);
    checkTimestamp(list, 'timestamp', 'Timestamp', timestamp, ctx.now, ctx.config.toleranceSeconds);

    if (signature !== null && id !== null && timestamp !== null) {
      const entries = signature.split(' ').filter(Boolean).map((entry) => {
        const comma = entry.indexOf(',');
        return comma === -1 ? { version: '', value: entry } : { version: entry.slice(0, comma), value: entry.slice(comma + 1) };
      });
      const known = entries.filter((e) => e.version === 'v1' || e.version === 'v1a');
      const unknown = entries.filter((e) => e.version !== 'v1' && e.version !== 'v1a');
      if (unknown.length > 0) {
        list.warn('versions', 'Signature versions', `skipped ${unknown.length} entr${unknown.length === 1 ? 'y' : 'ies'} of unknown version (${unknown.map((e) => e.version || 'no version').join(', ')}), as the spec says`);
      }
      const content = signedContent(id, timestamp, body);
      const secrets = ctx.config.secrets.map(parseSecret);
      secrets.forEach((s, i) => {
        if (s.kind === 'invalid') list.fail('secret', `Secret #${i + 1}`, `secret #${i + 1} cannot be used: ${s.reason}`);
      });
      if (known.length === 0) {
        list.fail('signature', 'Signature', `no v1 or v1a signature in "${signature.slice(0, 60)}"`);
      } else if (ctx.config.secrets.length === 0) {
        list.skip('signature', 'Signature', 'no secret is set for this endpoint: add its whsec_ secret to check the signature');
      } else {
        const matches = (candidate: Buffer) => findMatch(known, secrets, candidate);
        const hit = matches(content);
        const firstV1 = known.find((e) => e.version === 'v1');
        const firstHmac = secrets.find((s) => s.kind === 'hmac');
        if (hit?.entry.version === 'v1') {
          signed.push(signedRecord(content, 'id.timestamp.body', hit.entry.value, hit.computed));
        } else if (firstV1 && firstHmac?.kind === 'hmac') {
          signed.push(signedRecord(content, 'id.timestamp.body', firstV1.value, hmac('sha256', firstHmac.key, content).toString('base64')));
        }
        if (hit) {
          const rotation = known.length > 1 ? ` (one of ${known.length} signatures: key rotation)` : '';
          list.pass('signature', 'Signature', `${hit.entry.version} signature matches with secret #${hit.secretIndex + 1}${rotation}`);
        } else {
          const reason = explainMismatch(body, (candidate) => matches(signedContent(id, timestamp, candidate)) !== null);
          list.fail('signature', 'Signature', reason);
        }
      }
    } else if (signature === null || id === null || timestamp === null) {
      list.fail('signature', 'Signature', 'cannot be checked without the id, timestamp and signature headers');
    }
    if (id !== null) checkReplay(list, ctx, `msg:${id}`, 'Message id', `message id ${id}`, 'warn');
    return partial(list, signed, id !== null ? `msg:${id}` : null);
  },
};

function findMatch(
  entries: { version: string; value: string }[],
  secrets: Secret[],
  content: Buffer,
): { entry: { version: string; value: string }; secretIndex: number; computed: string } | null {
  for (const [secretIndex, secret] of secrets.entries()) {
    if (secret.kind === 'hmac') {
      const computed = hmac('sha256', secret.key, content).toString('base64');
      const entry = entries.find((e) => e.version === 'v1' && signaturesEqual(e.value, computed));
      if (entry) return { entry, secretIndex, computed };
    } else if (secret.kind === 'ed25519') {
      for (const entry of entries.filter((e) => e.version === 'v1a')) {
        const sig = Buffer.from(entry.value, 'base64');
        if (sig.length === 64 && edVerify(null, content, secret.key, sig)) return { entry, secretIndex, computed: entry.value };
      }
    }
  }
  return null;
}

/** Signs like Svix: `webhook-*` (or `svix-*`) headers, `v1,<base64>`; a `whsk_` secret signs `v1a`. */
export function signStandardWebhooks(input: HmacSignInput, prefix: 'webhook' | 'svix' = 'webhook'): SignedRequest {
  const timestamp = String(input.timestamp);
  const content = signedContent(input.id, timestamp, input.body);
  let signature: string;
  if (input.secret.startsWith('whsk_')) {
    const seed = Buffer.from(input.secret.slice(5), 'base64').subarray(0, 32);
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    signature = `v1a,${edSign(null, content, key).toString('base64')}`;
  } else {
    const secret = parseSecret(input.secret);
    if (secret.kind !== 'hmac') throw new Error(`cannot sign with this secret: ${secret.kind === 'invalid' ? secret.reason : 'a public key'}`);
    signature = `v1,${hmac('sha256', secret.key, content).toString('base64')}`;
  }
  return {
    headers: [
      [`${prefix}-id`, input.id],
      [`${prefix}-timestamp`, timestamp],
      [`${prefix}-signature`, signature],
    ],
    body: input.body,
  };
}
