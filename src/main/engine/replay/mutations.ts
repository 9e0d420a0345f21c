/**
 * One-click mutations of a captured delivery, each producing exactly the
 * change it names and saying what a correct receiver does with it.
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { MutationPreset, MutationPresetId } from '../../../shared/model';
import type { SchemeId } from '../../../shared/verdict';
import { EngineError } from '../errors';
import { ENVOYOU_HEADERS } from '../schemes/envoyou-v1';
import { getHeader, removeHeaders, setHeader } from './headers';
import { decodeJwt, resign, type Req, type ResignContext, type SigningKey } from './resign';

const ALL: Record<MutationPresetId, Omit<MutationPreset, 'id'>> = {
  'tampered-body': { label: 'Tampered body', expect: 'reject', explanation: 'one value in the body changed, the old signature kept: the signature no longer matches' },
  'stale-timestamp': { label: 'Stale timestamp', expect: 'reject', explanation: 're-signed with a timestamp 10 minutes old: outside a 5-minute tolerance, a replay' },
  'future-timestamp': { label: 'Future timestamp', expect: 'reject', explanation: 're-signed with a timestamp 10 minutes ahead: outside a 5-minute tolerance' },
  'duplicate-id': { label: 'Duplicate id / jti', expect: 'accept-once', explanation: 're-signed with a fresh timestamp but the same id: answer 2xx, process it only once' },
  'iat-milliseconds': { label: 'iat in milliseconds', expect: 'reject', explanation: 'iat written in milliseconds and re-signed: a date tens of thousands of years ahead' },
  'alg-none': { label: 'alg: none', expect: 'reject', explanation: 'an unsigned token (alg none, no signature): never accept' },
  'hs256-public-key': { label: 'HS256 with the public key', expect: 'reject', explanation: 'HMAC-signed with the RSA public key as the secret: the key-confusion attack' },
  'unknown-kid': { label: 'Unknown kid', expect: 'reject', explanation: 'signed by a key whose kid is not in the key set' },
  'missing-signature': { label: 'Missing signature', expect: 'reject', explanation: 'the signature removed: nothing proves who sent it' },
  'rotated-out-key': { label: 'Rotated-out key', expect: 'reject', explanation: 'signed by a key no longer published: reject once the key is gone from the JWKS' },
  'reordered-keys': { label: 'Reordered JSON keys', expect: 'reject', explanation: 'the same JSON with its keys in another order, the old signature kept: the bytes differ from what was signed' },
  'added-whitespace': { label: 'Added whitespace', expect: 'reject', explanation: 'the same JSON pretty-printed, the old signature kept: the bytes differ from what was signed' },
};

const JWT_ONLY: MutationPresetId[] = ['alg-none', 'hs256-public-key', 'unknown-kid', 'rotated-out-key'];
const TIMESTAMPED: SchemeId[] = ['standard-webhooks', 'stripe', 'envoyou-v1', 'set-jwt'];
const WITH_ID: SchemeId[] = ['standard-webhooks', 'envoyou-v1', 'hmac-hex', 'set-jwt'];

/** The presets that make sense for a scheme and body, with the expectation adjusted to the scheme. */
export function presetsFor(scheme: SchemeId | null, body: Buffer): MutationPreset[] {
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(body.toString('utf8'));
    isJson = true;
  } catch {
    // not JSON: the JSON presets do not apply
  }
  const text = body.toString('utf8');
  // A reordering or re-indentation that leaves the bytes as they were tests nothing.
  const changes = (id: MutationPresetId) =>
    isJson && (id === 'reordered-keys' ? JSON.stringify(reverseKeys(parsed)) !== text : JSON.stringify(parsed, null, 2) !== text);
  const ids = (Object.keys(ALL) as MutationPresetId[]).filter((id) => {
    if (scheme === null) return id === 'tampered-body' || id === 'missing-signature' || ((id === 'reordered-keys' || id === 'added-whitespace') && changes(id));
    if (JWT_ONLY.includes(id)) return scheme === 'set-jwt';
    if (id === 'stale-timestamp' || id === 'future-timestamp') return TIMESTAMPED.includes(scheme);
    if (id === 'duplicate-id') return WITH_ID.includes(scheme);
    if (id === 'iat-milliseconds') return scheme === 'set-jwt' || (isJson && body.includes('"iat"'));
    if (id === 'reordered-keys' || id === 'added-whitespace') return changes(id) && scheme !== 'set-jwt';
    return true;
  });
  return ids.map((id) => {
    const preset = { id, ...ALL[id] };
    // EnvoyOU's Python sample signs canonical JSON: key order and whitespace do not change what is signed.
    if (scheme === 'envoyou-v1' && (id === 'reordered-keys' || id === 'added-whitespace')) {
      return { ...preset, expect: 'accept-once' as const, explanation: `${preset.explanation.split(':')[0]}: EnvoyOU signs canonical JSON, so a canonical verifier still accepts it` };
    }
    return preset;
  });
}

export function getPreset(id: string, scheme: SchemeId | null, body: Buffer): MutationPreset {
  const preset = presetsFor(scheme, body).find((p) => p.id === id);
  if (!preset) throw new EngineError('invalid_input', `the preset "${id}" does not apply to ${scheme ?? 'an unsigned delivery'} (${presetsFor(scheme, body).map((p) => p.id).join(', ')})`);
  return preset;
}

/** Reverses the key order of every object, recursively. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  return value;
}

/** Changes the first string (or number) value found; the change a tamperer would make. */
export function tamper(value: unknown): { value: unknown; done: boolean } {
  if (typeof value === 'string') return { value: `${value}-tampered`, done: true };
  if (typeof value === 'number') return { value: value + 1, done: true };
  if (Array.isArray(value)) {
    const out = [...value];
    for (let i = 0; i < out.length; i++) {
      const r = tamper(out[i]);
      if (r.done) {
        out[i] = r.value;
        return { value: out, done: true };
      }
    }
    return { value: out, done: false };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(out)) {
      const r = tamper(out[key]);
      if (r.done) {
        out[key] = r.value;
        return { value: out, done: true };
      }
    }
    return { value: out, done: false };
  }
  return { value, done: false };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const SIGNATURE_HEADERS = ['webhook-signature', 'svix-signature', 'Stripe-Signature', 'X-Hub-Signature', 'X-Hub-Signature-256', ENVOYOU_HEADERS.signature, 'X-EngagePlus-Signature'];

function jwtOf(req: Req) {
  const token = req.body.toString('utf8').trim();
  const decoded = decodeJwt(token);
  if (!decoded) throw new EngineError('invalid_input', 'the body is not a JWT');
  return { token, ...decoded };
}

function withToken(req: Req, token: string): Req {
  const headers = getHeader(req.headers, 'X-EngagePlus-Signature') !== undefined ? setHeader(req.headers, 'X-EngagePlus-Signature', token) : req.headers;
  return { ...req, headers, body: Buffer.from(token) };
}

function throwawayKey(kid: string): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256' }, kid, alg: 'RS256' };
}

export interface MutationContext extends ResignContext {
  /** A retired key of the issuer, to sign with for "rotated-out key". */
  retiredKey(issuer: string | null): SigningKey | null;
  signatureHeaderNames: string[];
}

export async function applyPreset(req: Req, scheme: SchemeId | null, presetId: MutationPresetId, ctx: MutationContext): Promise<Req> {
  const requireScheme = (): SchemeId => {
    if (scheme === null) throw new EngineError('invalid_input', 'this delivery has no recognised scheme to re-sign with');
    return scheme;
  };
  switch (presetId) {
    case 'tampered-body': {
      if (scheme === 'set-jwt') {
        const { token, claims } = jwtOf(req);
        const [h, , s] = token.split('.');
        return withToken(req, `${h}.${b64(tamper(claims).value)}.${s}`);
      }
      try {
        const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
        const changed = tamper(parsed);
        if (changed.done) return { ...req, body: Buffer.from(JSON.stringify(changed.value)) };
      } catch {
        // not JSON: change the last byte
      }
      const body = Buffer.from(req.body.length ? req.body : Buffer.from(' '));
      body[body.length - 1] = body[body.length - 1]! ^ 0x01;
      return { ...req, body };
    }
    case 'stale-timestamp':
      return resign(req, requireScheme(), ctx, { timestamp: ctx.now - 600 });
    case 'future-timestamp':
      return resign(req, requireScheme(), ctx, { timestamp: ctx.now + 600 });
    case 'duplicate-id':
      return resign(req, requireScheme(), ctx, { keepId: true });
    case 'iat-milliseconds': {
      if (scheme === 'set-jwt') return resign(req, scheme, ctx, { claims: (c) => ({ ...c, iat: ctx.now * 1000 }) });
      const parsed = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
      const body = Buffer.from(JSON.stringify({ ...parsed, iat: ctx.now * 1000 }));
      return resign({ ...req, body }, requireScheme(), ctx);
    }
    case 'alg-none': {
      const { header, claims } = jwtOf(req);
      return withToken(req, `${b64({ ...header, alg: 'none', kid: undefined })}.${b64({ ...claims, iat: ctx.now, jti: randomUUID() })}.`);
    }
    case 'hs256-public-key': {
      const { header, claims } = jwtOf(req);
      const key = ctx.signingKey(typeof claims.iss === 'string' ? claims.iss : null);
      if (!key) throw new EngineError('invalid_input', 'no Hookbench key for this issuer, so no public key to misuse');
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key.privateJwk;
      const pem = createPublicKey({ key: pub as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const input = `${b64({ ...header, alg: 'HS256' })}.${b64({ ...claims, iat: ctx.now, jti: randomUUID() })}`;
      return withToken(req, `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`);
    }
    case 'unknown-kid':
      return resign(req, 'set-jwt', ctx, { key: throwawayKey(`unknown-${randomUUID().slice(0, 8)}`) });
    case 'rotated-out-key': {
      const { claims } = jwtOf(req);
      const retired = ctx.retiredKey(typeof claims.iss === 'string' ? claims.iss : null);
      return resign(req, 'set-jwt', ctx, { key: retired ?? throwawayKey('rotated-out') });
    }
    case 'missing-signature': {
      if (scheme === 'set-jwt') {
        const { token } = jwtOf(req);
        const [h, p] = token.split('.');
        return { ...req, headers: removeHeaders(req.headers, ['X-EngagePlus-Signature']), body: Buffer.from(`${h}.${p}.`) };
      }
      return { ...req, headers: removeHeaders(req.headers, [...SIGNATURE_HEADERS, ...ctx.signatureHeaderNames]) };
    }
    case 'reordered-keys':
      return { ...req, body: Buffer.from(JSON.stringify(reverseKeys(JSON.parse(req.body.toString('utf8'))))) };
    case 'added-whitespace':
      return { ...req, body: Buffer.from(JSON.stringify(JSON.parse(req.body.toString('utf8')), null, 2)) };
    default: {
      const unknown: never = presetId;
      throw new EngineError('invalid_input', `unknown preset ${String(unknown)}`);
    }
  }
}
