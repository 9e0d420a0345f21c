import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { signSet } from '../../../src/main/engine/schemes/set-jwt';
import { check, judgeRequest } from './helpers';

const NOW = 1_698_765_432;
const ISSUER = 'https://engageplus.id';
const EVENT = 'https://engageplus.id/events/auth_success';

function claims(overrides: Record<string, unknown> = {}) {
  return {
    sub: '103425823847234892347',
    events: { [EVENT]: { organizationId: 'org_abc123', provider: { id: 'provider_xyz789', type: 'GOOGLE' }, timestamp: NOW } },
    iss: ISSUER,
    iat: NOW,
    jti: 'unique-event-id-abc123',
    ...overrides,
  };
}

/** A loopback URL nothing listens on: a port that was just free. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}/jwks`;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('set-jwt', () => {
  let privateJwk: JWK;
  let publicJwk: JWK;
  let jwks: string;
  let publicPem: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'abc123', alg: 'RS256' };
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'abc123', alg: 'RS256', use: 'sig' };
    jwks = JSON.stringify({ keys: [publicJwk] });
    publicPem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    server = createServer((req, res) => {
      if (req.url === '/jwks') return res.end(jwks);
      if (req.url === '/slow') return setTimeout(() => res.end(jwks), 5000);
      if (req.url === '/huge') return res.end(JSON.stringify({ keys: [], pad: 'x'.repeat(2 * 1024 * 1024) }));
      if (req.url === '/html') return res.end('<html>not json</html>');
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const config = () => ({ jwks: { kind: 'json' as const, json: jwks }, issuer: ISSUER });
  const headers = (token: string): [string, string][] => [
    ['Content-Type', 'application/secevent+jwt'],
    ['User-Agent', 'EngagePlus-Webhooks/1.0'],
    ['X-EngagePlus-Event', 'AUTH_SUCCESS'],
    ['X-EngagePlus-Signature', token],
  ];

  it('judges an EngagePlus SET authentic and explains the token', async () => {
    const token = await signSet(claims(), privateJwk);
    const verdict = await judgeRequest(headers(token), token, config(), NOW + 30);
    expect(verdict.outcome).toBe('authentic');
    expect(verdict.scheme).toBe('set-jwt');
    expect(verdict.jwt?.header).toEqual({ alg: 'RS256', typ: 'secevent+jwt', kid: 'abc123' });
    expect(verdict.jwt?.key).toEqual({ kid: 'abc123', alg: 'RS256', source: 'the pasted key set' });
    expect(verdict.jwt?.times.find((t) => t.claim === 'iat')).toEqual({ claim: 'iat', value: NOW, iso: '2023-10-31T15:17:12.000Z', fromNowSeconds: -30 });
    expect(check(verdict, 'header-token').status).toBe('pass');
    expect(verdict.replayKey).toBe('jti:unique-event-id-abc123');
  });

  it('fetches the key set from a URL', async () => {
    const token = await signSet(claims(), privateJwk);
    const verdict = await judgeRequest(headers(token), token, { jwks: { kind: 'url', url: `${base}/jwks` }, issuer: ISSUER }, NOW);
    expect(verdict.outcome).toBe('authentic');
    expect(verdict.jwt?.key?.source).toBe(`${base}/jwks`);
  });

  it.each([
    ['unreachable', 'closed-port', /could not be fetched: ECONNREFUSED/],
    ['slow', '/slow', /did not answer within 3000 ms/],
    ['huge', '/huge', /over the 1048576-byte limit/],
    ['not JSON', '/html', /is not JSON/],
    ['missing', '/nope', /answered 404/],
  ])('a key set that is %s is a failed check, not a crash', async (_name, path, reason) => {
    const token = await signSet(claims(), privateJwk);
    const url = path === 'closed-port' ? await closedPortUrl() : `${base}${path}`;
    const verdict = await judgeRequest(headers(token), token, { jwks: { kind: 'url', url }, issuer: ISSUER }, NOW);
    expect(check(verdict, 'signature')).toMatchObject({ status: 'fail', reason: expect.stringMatching(reason) });
  });

  it('rejects alg none, and never checks a signature for it', async () => {
    const token = `${b64({ alg: 'none', typ: 'secevent+jwt' })}.${b64(claims())}.`;
    const verdict = await judgeRequest(headers(token), token, config(), NOW);
    expect(check(verdict, 'alg').reason).toMatch(/unsigned token/);
    expect(verdict.outcome).toBe('not-authentic');
  });

  it('rejects HS256 made with the RSA public key (key confusion)', async () => {
    const input = `${b64({ alg: 'HS256', typ: 'secevent+jwt', kid: 'abc123' })}.${b64(claims())}`;
    const token = `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
    const verdict = await judgeRequest(headers(token), token, config(), NOW);
    expect(check(verdict, 'alg').reason).toMatch(/key-confusion attack/);
    expect(check(verdict, 'signature').status).toBe('fail');
  });

  it('fails an unknown kid and names the kids the set has', async () => {
    const token = await signSet(claims(), { ...privateJwk, kid: 'rotated-out' });
    const verdict = await judgeRequest(headers(token), token, config(), NOW);
    expect(check(verdict, 'signature').reason).toBe('no key with kid "rotated-out" in the key set (it has: abc123): a rotated-out or foreign key');
  });

  it('treats a path-like kid as an opaque name', async () => {
    const token = await signSet(claims(), { ...privateJwk, kid: '../../../../etc/passwd' });
    const verdict = await judgeRequest(headers(token), token, config(), NOW);
    expect(check(verdict, 'kid').status).toBe('warn');
    expect(check(verdict, 'signature').status).toBe('fail');
  });

  it('never fetches jku or x5u, and says so', async () => {
    let fetched = false;
    const trap = createServer((_req, res) => {
      fetched = true;
      res.end(jwks);
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/keys`;
    const other = await generateKeyPair('RS256', { extractable: true });
    const token = await signSet(claims(), { ...(await exportJWK(other.privateKey)), kid: 'abc123' });
    const forged = token.replace(/^[^.]+/, b64({ alg: 'RS256', typ: 'secevent+jwt', kid: 'abc123', jku: url, x5u: url }));
    const verdict = await judgeRequest(headers(forged), forged, config(), NOW);
    await new Promise((r) => trap.close(r));
    expect(fetched).toBe(false);
    expect(check(verdict, 'embedded-keys').reason).toMatch(/jku, x5u: never fetched or trusted/);
    expect(check(verdict, 'signature').status).toBe('fail');
  });

  it('says a token with an embedded jwk is not trusted for its own key', async () => {
    const other = await generateKeyPair('RS256', { extractable: true });
    const otherPublic = await exportJWK(other.publicKey);
    const token = await signSet(claims(), { ...(await exportJWK(other.privateKey)), kid: 'abc123' });
    const forged = token.replace(/^[^.]+/, b64({ alg: 'RS256', typ: 'secevent+jwt', kid: 'abc123', jwk: otherPublic }));
    const verdict = await judgeRequest(headers(forged), forged, config(), NOW);
    expect(check(verdict, 'signature').reason).toMatch(/does not verify/);
  });

  it.each([
    ['two segments', (t: string) => t.split('.').slice(0, 2).join('.'), /two segments/],
    ['four segments', (t: string) => `${t}.extra`, /4 segments/],
    ['five segments (a JWE)', () => 'a.b.c.d.e', /encrypted JWE/],
    ['padding', (t: string) => `${t}==`, /"=" padding/],
    ['non-JSON header', (t: string) => `${Buffer.from('not json').toString('base64url')}.${t.split('.').slice(1).join('.')}`, /not a base64url JSON object/],
  ])('judges a token with %s', async (_name, mangle, reason) => {
    const token = mangle(await signSet(claims(), privateJwk));
    const verdict = await judgeRequest([['Content-Type', 'application/secevent+jwt']], token, config(), NOW);
    expect(verdict.outcome).toBe('not-authentic');
    expect(verdict.checks.some((c) => c.status === 'fail' && reason.test(c.reason))).toBe(true);
  });

  it('explains an iat in milliseconds', async () => {
    const token = await signSet(claims({ iat: 1751705149662 }), privateJwk);
    const verdict = await judgeRequest(headers(token), token, config(), 1_751_705_150);
    expect(check(verdict, 'iat').reason).toBe(
      '1751705149662 is in milliseconds: read as seconds it is year 57479; as milliseconds it is 2025-07-05T08:45:49.662Z',
    );
  });

  it('checks issuer, audience, staleness, jti, events, exp and typ', async () => {
    const token = await signSet(
      claims({ iss: 'https://evil.example', aud: 'https://other', jti: undefined, events: { notauri: {} }, exp: NOW - 3600 }),
      privateJwk,
      { typ: 'JWT' },
    );
    const verdict = await judgeRequest(headers(token), token, { ...config(), audience: 'https://me' }, NOW + 600);
    expect(check(verdict, 'iss').reason).toBe('iss is https://evil.example, expected https://engageplus.id');
    expect(check(verdict, 'aud').reason).toBe('aud is "https://other", expected https://me');
    expect(check(verdict, 'iat').reason).toMatch(/10 min old/);
    expect(check(verdict, 'jti').status).toBe('fail');
    expect(check(verdict, 'events').reason).toMatch(/notauri: each key must be a URI/);
    expect(check(verdict, 'exp').reason).toMatch(/expired 70 min ago/);
    expect(check(verdict, 'typ').status).toBe('fail');
  });

  it('warns of a duplicate jti and of a header token that differs from the body', async () => {
    const token = await signSet(claims(), privateJwk);
    const other = await signSet(claims({ jti: 'x' }), privateJwk);
    const verdict = await judgeRequest([...headers(token).slice(0, 3), ['X-EngagePlus-Signature', other]], token, config(), NOW, {
      'jti:unique-event-id-abc123': 4,
    });
    expect(check(verdict, 'replay').reason).toMatch(/delivery #4/);
    expect(check(verdict, 'header-token').status).toBe('fail');
  });

  it('is unverified without a key set, with a reason', async () => {
    const token = await signSet(claims(), privateJwk);
    const verdict = await judgeRequest(headers(token), token, { issuer: ISSUER, jwks: null }, NOW);
    expect(verdict.outcome).toBe('unverified');
    expect(check(verdict, 'signature').reason).toMatch(/no key set is configured/);
  });

  it('verifies ES256 and EdDSA keys as well', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const priv = { ...(await exportJWK(pair.privateKey)), kid: alg, alg };
      const pub = { ...(await exportJWK(pair.publicKey)), kid: alg, alg };
      const token = await signSet(claims(), priv);
      const verdict = await judgeRequest(headers(token), token, { jwks: { kind: 'json', json: JSON.stringify({ keys: [pub] }) }, issuer: ISSUER }, NOW);
      expect(verdict.outcome, alg).toBe('authentic');
    }
  });

  it("verifies against Hookbench's own keys by default, and names the kids when the token's is not among them", async () => {
    const token = await signSet(claims(), privateJwk);
    const own = await judgeRequest(headers(token), token, { issuer: ISSUER }, NOW);
    expect(check(own, 'signature').reason).toBe('no key with kid "abc123" in the key set (it has: no keys): a rotated-out or foreign key');
  });

  it('refuses a key of the wrong type for the algorithm', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'abc123' };
    const token = await signSet(claims(), privateJwk);
    const verdict = await judgeRequest(headers(token), token, { jwks: { kind: 'json', json: JSON.stringify({ keys: [ecJwk] }) } }, NOW);
    expect(check(verdict, 'signature').reason).toMatch(/cannot carry RS256/);
  });
});
