/**
 * RFC 8417 Security Event Tokens as a signed JWT body (EngagePlus, seed 000;
 * any RFC 8935 push transmitter). Hookbench parses the token itself first, so
 * every hostile shape gets a reason, then lets jose check the signature with
 * a key from the configured set only.
 */
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import type { JwtDetails, SignedContent, TimeClaim } from '../../../shared/verdict';
import { CheckList, checkReplay, checkTimestamp, headerValues, humanDuration, yearOfSeconds, type PartialVerdict } from './checks';
import type { Scheme, VerifyContext, VerifyInput } from './types';

const B64URL = /^[A-Za-z0-9_-]*$/;
const JWT_SHAPE = /^[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*$/;

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which key types can carry which JWS algorithm. */
function keyFitsAlg(jwk: Record<string, unknown>, alg: string): boolean {
  if (typeof jwk.alg === 'string' && jwk.alg !== alg) return false;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return jwk.kty === 'RSA';
  if (alg.startsWith('ES')) return jwk.kty === 'EC';
  if (alg === 'EdDSA' || alg === 'Ed25519') return jwk.kty === 'OKP';
  return false;
}

/** Imported keys by algorithm and JWK, so a key set is not re-imported for every delivery. */
type ImportedKey = Awaited<ReturnType<typeof importJWK>>;
const importedKeys = new Map<string, Promise<ImportedKey>>();

function importCached(jwk: Record<string, unknown>, alg: string): Promise<ImportedKey> {
  const id = `${alg}|${JSON.stringify(jwk)}`;
  let key = importedKeys.get(id);
  if (!key) {
    if (importedKeys.size >= 256) importedKeys.clear();
    key = importJWK(jwk as JWK, alg);
    importedKeys.set(id, key);
    key.catch(() => importedKeys.delete(id));
  }
  return key;
}

function timeClaim(claim: string, value: unknown, now: number): TimeClaim | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const ms = value * 1000;
  const plausible = Math.abs(ms) < 8.64e15;
  return { claim, value, iso: plausible ? new Date(ms).toISOString() : null, fromNowSeconds: Math.round(value - now / 1000) };
}

function tokenFrom(input: VerifyInput, list: CheckList): { token: string; from: string } | null {
  const text = input.body.toString('utf8');
  const trimmed = text.trim();
  const headerTokens = headerValues(input.headers, 'X-EngagePlus-Signature');
  if (JWT_SHAPE.test(trimmed) || trimmed.split('.').length > 1) {
    if (trimmed !== text) list.warn('body-whitespace', 'Body', 'the token in the body has surrounding whitespace, which strict parsers reject');
    return { token: trimmed, from: 'body' };
  }
  if (headerTokens.length === 1) return { token: headerTokens[0]!.trim(), from: 'X-EngagePlus-Signature header' };
  list.fail('token', 'Token', 'the body is not a compact JWT (three base64url parts separated by dots)');
  return null;
}

export const setJwt: Scheme = {
  id: 'set-jwt',
  label: 'Security Event Token, JWS-signed (EngagePlus, RFC 8417)',
  detect: ({ headers, body }) =>
    headerValues(headers, 'X-EngagePlus-Signature').length > 0 ||
    headerValues(headers, 'Content-Type').some((v) => /secevent\+jwt/i.test(v)) ||
    (body.length < 65536 && JWT_SHAPE.test(body.toString('latin1').trim())),
  verify: verifySet,
};

async function verifySet(input: VerifyInput, ctx: VerifyContext): Promise<PartialVerdict> {
  const list = new CheckList();
  const signed: SignedContent[] = [];
  const found = tokenFrom(input, list);
  if (!found) return { checks: list.checks, signed, jwt: null, replayKey: null };
  const { token } = found;

  const contentType = headerValues(input.headers, 'Content-Type')[0] ?? '';
  if (found.from === 'body' && !/^application\/secevent\+jwt\b/i.test(contentType)) {
    list.warn('content-type', 'Content-Type', `"${contentType || '(none)'}" is not application/secevent+jwt (RFC 8935)`);
  }
  const headerTokens = headerValues(input.headers, 'X-EngagePlus-Signature');
  if (headerTokens.length > 1) {
    list.fail('header-token', 'X-EngagePlus-Signature', `the header appears ${headerTokens.length} times; Hookbench will not pick one`);
  } else if (headerTokens.length === 1 && found.from === 'body') {
    if (headerTokens[0]!.trim() === token) list.pass('header-token', 'X-EngagePlus-Signature', 'carries the same token as the body');
    else list.fail('header-token', 'X-EngagePlus-Signature', 'carries a different token from the body: one of them was changed');
  }

  const segments = token.split('.');
  if (segments.length !== 3) {
    const why =
      segments.length === 2
        ? 'two segments: an unsecured JWT or a truncated token; a SET must be signed'
        : segments.length === 5
          ? 'five segments: an encrypted JWE, not a signed JWS'
          : `${segments.length} segments where a signed JWT has three`;
    list.fail('structure', 'Token structure', why);
    list.fail('signature', 'Signature', 'cannot be checked on a token of this shape');
    return { checks: list.checks, signed, jwt: null, replayKey: null };
  }
  const [h, p, s] = segments as [string, string, string];
  const padded = segments.some((seg) => seg.includes('='));
  const badChars = segments.some((seg) => !B64URL.test(seg.replace(/=+$/, '')));
  if (badChars) {
    list.fail('structure', 'Token structure', 'a segment has characters outside base64url (A-Z a-z 0-9 - _)');
  } else if (padded) {
    list.fail('structure', 'Token structure', 'a segment ends in "=" padding, which base64url in JWS forbids (some libraries accept it: deduplicate on jti, never on token bytes)');
  }
  const header = decodeSegment(h);
  const claims = decodeSegment(p);
  if (!isRecord(header)) list.fail('header', 'JOSE header', 'the first segment is not a base64url JSON object');
  if (!isRecord(claims)) list.fail('claims', 'Claims', 'the second segment is not a base64url JSON object');
  if (!isRecord(header) || !isRecord(claims)) {
    list.fail('signature', 'Signature', 'cannot be checked on a token that does not decode');
    return { checks: list.checks, signed, jwt: null, replayKey: null };
  }
  if (!badChars && !padded) list.pass('structure', 'Token structure', `three base64url segments from the ${found.from}`);

  const jwt: JwtDetails = { header, claims, times: [], key: null };
  const alg = typeof header.alg === 'string' ? header.alg : '';
  let algOk = false;
  if (!alg) list.fail('alg', 'Algorithm', 'the header has no alg');
  else if (alg.toLowerCase() === 'none') list.fail('alg', 'Algorithm', 'alg is "none": an unsigned token, which must never be accepted');
  else if (/^HS/i.test(alg)) {
    list.fail('alg', 'Algorithm', `${alg} is a shared-secret algorithm: accepting it with a public key set is the key-confusion attack (RFC 8725)`);
  } else if (!ctx.config.algorithms.includes(alg)) {
    list.fail('alg', 'Algorithm', `${alg} is not in the allowed list (${ctx.config.algorithms.join(', ')})`);
  } else {
    algOk = true;
    list.pass('alg', 'Algorithm', `${alg} is allowed`);
  }
  const typ = header.typ;
  if (typ === 'secevent+jwt' || typ === 'application/secevent+jwt') list.pass('typ', 'typ', `typ is ${typ}`);
  else if (typ === undefined) list.warn('typ', 'typ', 'no typ: a SET should say secevent+jwt, so it cannot be confused with other JWTs');
  else list.fail('typ', 'typ', `typ is "${String(typ)}", not secevent+jwt: this token may be meant for something else`);
  if (header.crit !== undefined) {
    list.fail('crit', 'crit', `the token marks ${JSON.stringify(header.crit)} as critical, which Hookbench does not understand, so it must be rejected`);
  }
  const embedded = ['jku', 'x5u', 'jwk', 'x5c'].filter((k) => header[k] !== undefined);
  if (embedded.length > 0) {
    list.warn('embedded-keys', 'Key hints', `the header carries ${embedded.join(', ')}: never fetched or trusted; keys come only from the configured key set`);
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') list.fail('kid', 'kid', 'kid is not a string');
  else if (typeof kid === 'string' && (/[/\\]|\.\./.test(kid) || kid.length > 256 || [...kid].some((c) => c.charCodeAt(0) < 0x20))) {
    list.warn('kid', 'kid', `kid "${kid.slice(0, 60)}" looks like a path or an injection: it is only ever looked up as an opaque name`);
  }

  await checkSignature(list, ctx, token, alg, algOk, typeof kid === 'string' ? kid : null, jwt);
  checkClaims(list, ctx, claims, jwt);
  const jti = typeof claims.jti === 'string' ? claims.jti : null;
  signed.push({
    base64: Buffer.from(`${h}.${p}`).toString('base64'),
    variant: 'JWS signing input (header.payload)',
    received: s,
    computed: null,
    firstDifference: null,
  });
  return { checks: list.checks, signed, jwt, replayKey: jti !== null ? `jti:${jti}` : null };
}

async function checkSignature(
  list: CheckList,
  ctx: VerifyContext,
  token: string,
  alg: string,
  algOk: boolean,
  kid: string | null,
  jwt: JwtDetails,
) {
  if (!algOk) return list.fail('signature', 'Signature', 'not checked: the algorithm is refused');
  if (!ctx.config.jwks) return list.skip('signature', 'Signature', 'no key set is configured: add a JWKS URL or paste one to check the signature');
  const keySet = await ctx.loadKeys(ctx.config.jwks);
  if (!keySet.ok) return list.fail('signature', 'Signature', keySet.reason);
  const byKid = kid === null ? keySet.keys : keySet.keys.filter((k) => k.kid === kid);
  if (byKid.length === 0) {
    const kids = keySet.keys.map((k) => (typeof k.kid === 'string' ? k.kid : '(no kid)'));
    return list.fail('signature', 'Signature', `no key with kid "${kid}" in the key set (it has: ${kids.join(', ') || 'no keys'}): a rotated-out or foreign key`);
  }
  const candidates = byKid.filter((k) => keyFitsAlg(k, alg));
  if (candidates.length === 0) return list.fail('signature', 'Signature', `the key${kid ? ` "${kid}"` : 's'} cannot carry ${alg} (wrong key type or alg)`);
  let lastError = '';
  for (const jwk of candidates) {
    try {
      const key = await importCached(jwk, alg);
      await compactVerify(token, key, { algorithms: [alg] });
      jwt.key = { kid: typeof jwk.kid === 'string' ? jwk.kid : null, alg, source: keySet.source };
      return list.pass('signature', 'Signature', `${alg} signature verifies with key ${jwt.key.kid ?? '(no kid)'} from ${keySet.source}`);
    } catch (error) {
      lastError = (error as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        ? 'the signature does not verify: made with another key, or the token was changed'
        : `the key could not be used: ${(error as Error).message}`;
    }
  }
  return list.fail('signature', 'Signature', lastError);
}

function checkClaims(list: CheckList, ctx: VerifyContext, claims: Record<string, unknown>, jwt: JwtDetails) {
  const { issuer, audience, toleranceSeconds } = ctx.config;
  if (typeof claims.iss !== 'string') list.fail('iss', 'Issuer (iss)', 'iss is missing; RFC 8417 requires it');
  else if (issuer === null) list.warn('iss', 'Issuer (iss)', `iss is ${claims.iss}; not compared: no expected issuer is configured`);
  else if (claims.iss === issuer) list.pass('iss', 'Issuer (iss)', `iss is ${issuer}`);
  else list.fail('iss', 'Issuer (iss)', `iss is ${claims.iss}, expected ${issuer}`);

  if (audience !== null) {
    const auds = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
    if (auds.includes(audience)) list.pass('aud', 'Audience (aud)', `aud includes ${audience}`);
    else list.fail('aud', 'Audience (aud)', auds.length === 0 ? `no aud, expected ${audience}` : `aud is ${JSON.stringify(claims.aud)}, expected ${audience}`);
  }

  if (claims.iat === undefined) list.fail('iat', 'Issued at (iat)', 'iat is missing; RFC 8417 requires it');
  else if (typeof claims.iat !== 'number') list.fail('iat', 'Issued at (iat)', 'iat is not a number');
  else checkTimestamp(list, 'iat', 'Issued at (iat)', Math.trunc(claims.iat), ctx.now, toleranceSeconds);

  if (typeof claims.jti !== 'string' || claims.jti === '') list.fail('jti', 'Token id (jti)', 'jti is missing; RFC 8417 requires it for duplicate detection');
  else checkReplay(list, ctx, `jti:${claims.jti}`, 'Token id (jti)', `jti ${claims.jti}`, 'warn');

  const events = claims.events;
  if (!isRecord(events) || Object.keys(events).length === 0) {
    list.fail('events', 'events', 'events must be an object keyed by event URI (RFC 8417)');
  } else {
    const bad = Object.entries(events).filter(([uri, value]) => !/^[a-z][a-z0-9+.-]*:/i.test(uri) || !isRecord(value));
    if (bad.length > 0) list.fail('events', 'events', `${bad.map(([k]) => k).join(', ')}: each key must be a URI and each value an object`);
    else list.pass('events', 'events', `${Object.keys(events).join(', ')}`);
    for (const [uri, value] of Object.entries(events)) {
      if (isRecord(value) && typeof value.timestamp === 'number') {
        const t = timeClaim(`events[${uri}].timestamp`, value.timestamp, ctx.now);
        if (t) jwt.times.push(t);
      }
    }
  }
  if (claims.exp !== undefined) {
    if (typeof claims.exp === 'number' && claims.exp * 1000 < ctx.now - toleranceSeconds * 1000) {
      list.fail('exp', 'Expiry (exp)', `expired ${humanDuration(ctx.now / 1000 - claims.exp)} ago`);
    } else {
      list.warn('exp', 'Expiry (exp)', 'exp is present: RFC 8417 does not recommend it in a SET');
    }
  }
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > ctx.now + toleranceSeconds * 1000) {
    list.fail('nbf', 'Not before (nbf)', `not valid for another ${humanDuration(claims.nbf - ctx.now / 1000)}`);
  }
  for (const name of ['iat', 'exp', 'nbf', 'toe']) {
    const t = timeClaim(name, claims[name], ctx.now);
    if (t) jwt.times.unshift(t);
  }
  if (typeof claims.iat === 'number' && claims.iat > 100_000_000_000) {
    // Keep the explanation next to the decoded claims too.
    const t = jwt.times.find((x) => x.claim === 'iat');
    if (t) t.iso = `${new Date(claims.iat).toISOString()} (read as milliseconds; as seconds: year ${yearOfSeconds(claims.iat)})`;
  }
}

/** Signs a SET as EngagePlus does: RS256 (or the key's algorithm), typ secevent+jwt, kid. */
export async function signSet(
  claims: Record<string, unknown>,
  privateJwk: JWK,
  options: { alg?: string; kid?: string; typ?: string } = {},
): Promise<string> {
  const alg = options.alg ?? (typeof privateJwk.alg === 'string' ? privateJwk.alg : 'RS256');
  const key = await importCached(privateJwk as Record<string, unknown>, alg);
  const header: { alg: string; typ: string; kid?: string } = { alg, typ: options.typ ?? 'secevent+jwt' };
  const kid = options.kid ?? privateJwk.kid;
  if (kid) header.kid = kid;
  return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader(header).sign(key);
}
