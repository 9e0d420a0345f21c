import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { createEngine, DATABASE_FILE, type Engine } from '../../../src/main/engine';
import { KEY_FILE } from '../../../src/main/engine/sender/sealer';
import { delayBefore, POLICIES } from '../../../src/main/engine/sender/policies';
import { PROFILE_IDS, getProfile } from '../../../src/main/engine/sender/profiles';
import { outboundSettled, tempDir } from '../../helpers';

/** A local target whose answers a test scripts; it records what it got. */
async function target(answer: (req: IncomingMessage, body: Buffer, n: number) => { status: number; headers?: Record<string, string>; body?: string }) {
  const received: { headers: IncomingMessage['headers']; body: Buffer; at: number }[] = [];
  const server: Server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body, at: Date.now() });
      const a = answer(req, body, received.length);
      res.writeHead(a.status, a.headers);
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

describe('sender', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  beforeEach(async () => {
    dir = tempDir();
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0 });
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  it('generates every key type, seals private keys in a 0600 key file, and serves the public JWKS', async () => {
    for (const type of ['RSA-2048', 'EC-P256', 'EC-P384', 'Ed25519'] as const) {
      const key = await engine.call('keys.generate', { issuer: `https://iss/${type}`, type });
      expect(key).toMatchObject({ type, status: 'active' });
      expect(key.publicJwk).not.toHaveProperty('d');
    }
    expect((statSync(join(dir.path, KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    const raw = new Database(join(dir.path, DATABASE_FILE), { readonly: true });
    const sealed = raw.prepare('SELECT private_sealed FROM signing_keys').all() as { private_sealed: Buffer }[];
    raw.close();
    for (const row of sealed) expect(row.private_sealed.toString('latin1')).not.toContain('PRIVATE KEY');

    const info = await engine.call('app.info', undefined);
    const res = await fetch(info.jwksUrl);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const jwks = (await res.json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(4);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const one = await fetch(`${info.jwksUrl}?iss=${encodeURIComponent('https://iss/Ed25519')}`);
    expect(((await one.json()) as { keys: unknown[] }).keys).toHaveLength(1);
    // The JWKS is served, not captured as a delivery.
    expect((await engine.call('deliveries.list', {})).total).toBe(0);
  });

  it('rotates: the new key signs, the old stays published until retired', async () => {
    const first = await engine.call('keys.generate', { issuer: 'https://engageplus.id' });
    const { active, previous } = await engine.call('keys.rotate', { issuer: 'https://engageplus.id' });
    expect(previous).toMatchObject({ kid: first.kid, status: 'published' });
    expect(active.status).toBe('active');
    const info = await engine.call('app.info', undefined);
    const kids = async () => ((await (await fetch(info.jwksUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(await kids()).toEqual([first.kid, active.kid]);
    await engine.call('keys.retire', { kid: first.kid });
    expect(await kids()).toEqual([active.kid]);
  });

  it('exports and imports keys as PEM and JWK', async () => {
    const key = await engine.call('keys.generate', { issuer: 'https://a', type: 'EC-P256' });
    const pem = (await engine.call('keys.export', { kid: key.kid, format: 'pem', includePrivate: true })).text;
    expect(pem).toContain('BEGIN PRIVATE KEY');
    expect((await engine.call('keys.export', { kid: key.kid, format: 'pem' })).text).toContain('BEGIN PUBLIC KEY');
    const imported = await engine.call('keys.import', { text: pem, issuer: 'https://b' });
    expect(imported.publicJwk.x).toBe(key.publicJwk.x);
    const jwk = (await engine.call('keys.export', { kid: key.kid, format: 'jwk', includePrivate: true })).text;
    expect((await engine.call('keys.import', { text: jwk, issuer: 'https://c' })).type).toBe('EC-P256');
    await expect(engine.call('keys.import', { text: 'not a key', issuer: 'https://d' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it("judges every profile's delivery authentic on Hookbench's own receiver", async () => {
    const info = await engine.call('app.info', undefined);
    for (const id of PROFILE_IDS) {
      const profile = getProfile(id);
      const secret = id === 'voyado' || id === 'standard-webhooks' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : `secret-${id}`;
      const issuer = profile.defaultIssuer ?? undefined;
      if (profile.credential === 'key') await engine.call('keys.generate', { issuer: issuer! });
      await engine.call('endpoints.create', {
        name: id,
        verification: {
          scheme: profile.scheme,
          secrets: profile.credential === 'secret' ? [secret] : [],
          jwks: profile.credential === 'key' ? { kind: 'url', url: info.jwksUrl } : null,
          issuer: profile.credential === 'key' ? issuer! : null,
        },
      });
      for (const event of profile.events.slice(0, 3)) {
        const sent = await engine.call('send.deliver', { profile: id, event, targetUrl: `${info.receiverUrl}/e/${id}`, secret: profile.credential === 'secret' ? secret : undefined, policy: 'once' });
        const done = await outboundSettled(engine, sent.id);
        expect(done.status, `${id} ${event}`).toBe('delivered');
        const [latest] = (await engine.call('deliveries.list', {})).items;
        const detail = await engine.call('deliveries.get', { id: latest!.id });
        expect(detail.verdict?.outcome, `${id} ${event}: ${JSON.stringify(detail.verdict?.checks.filter((c) => c.status !== 'pass'))}`).toBe('authentic');
      }
    }
  });

  it('an endpoint left on its defaults verifies a SET that Hookbench signed, against its own keys', async () => {
    await engine.call('keys.generate', { issuer: 'https://engageplus.id' });
    await engine.call('endpoints.create', { name: 'fresh' });
    const sent = await engine.call('send.deliver', { profile: 'engageplus', targetUrl: `${engine.receiverUrl}/e/fresh`, policy: 'once' });
    await outboundSettled(engine, sent.id);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    const detail = await engine.call('deliveries.get', { id: latest!.id });
    expect(detail.verdict).toMatchObject({ scheme: 'set-jwt', detected: true });
    expect(detail.verdict!.jwt!.key!.source).toBe("Hookbench's own keys");
    // Authentic but for the issuer, which a fresh endpoint does not pin: a warning, not a failure.
    expect(detail.verdict!.checks.find((c) => c.id === 'iss')!.status).toBe('warn');
    expect(detail.verdict!.outcome).toBe('authentic');
  });

  it('voyado deliveries verify in svix and standardwebhooks', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const t = await target(() => ({ status: 204 }));
    try {
      const sent = await engine.call('send.deliver', { profile: 'voyado', targetUrl: t.url, secret, policy: 'once' });
      await outboundSettled(engine, sent.id);
      const [got] = t.received;
      const headers = Object.fromEntries(Object.entries(got!.headers).map(([k, v]) => [k, String(v)]));
      expect(() => new SvixWebhook(secret).verify(got!.body.toString(), headers)).not.toThrow();
      expect(new StandardWebhook(secret).verify(got!.body.toString(), headers)).toEqual(JSON.parse(got!.body.toString()));
    } finally {
      await t.close();
    }
  });

  it('a target that fails twice then succeeds shows three attempts at the policy delays', async () => {
    const t = await target((_req, _body, n) => ({ status: n <= 2 ? 500 : 200, body: n <= 2 ? 'boom' : 'ok' }));
    try {
      const sent = await engine.call('send.deliver', { profile: 'envoyou', targetUrl: t.url, secret: 's', policy: 'envoyou', timeScale: 20 });
      const done = await outboundSettled(engine, sent.id);
      expect(done.status).toBe('delivered');
      expect(done.attempts.map((a) => [a.number, a.plannedOffsetMs, a.status, a.outcome])).toEqual([
        [1, 0, 500, 'retry'],
        [2, 1000, 500, 'retry'],
        [3, 3000, 200, 'success'],
      ]);
      // Real gaps are the policy's delays divided by the time scale: 50 ms, then 100 ms.
      const gaps = t.received.slice(1).map((r, i) => r.at - t.received[i]!.at);
      expect(gaps[0]).toBeGreaterThanOrEqual(45);
      expect(gaps[1]).toBeGreaterThanOrEqual(95);
      expect(done.attempts[0]!.responseBody).toBe('boom');
      // The same delivery id every time, a fresh signature each time.
      const ids = t.received.map((r) => r.headers['x-envoyou-webhook-id']);
      expect(new Set(ids).size).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('3xx is a failure (no redirect followed); Retry-After is honoured; 410 disables the subscription', async () => {
    let redirectsFollowed = 0;
    const t = await target((req, _b, n): { status: number; headers?: Record<string, string> } => {
      if (req.url === '/elsewhere') redirectsFollowed++;
      if (n === 1) return { status: 302, headers: { Location: '/elsewhere' } };
      if (n === 2) return { status: 429, headers: { 'Retry-After': '3' } };
      return { status: 410 };
    });
    try {
      const created = await engine.call('subscriptions.create', { name: 'Prod', profile: 'envoyou', endpointUrl: t.url, events: ['user.created'], policy: 'envoyou' });
      expect(created.secret).toMatch(/^whsec_/);
      expect((await engine.call('subscriptions.list', undefined))[0]).not.toHaveProperty('secret');
      const sent = await engine.call('subscriptions.trigger', { id: created.id, timeScale: 100 });
      const done = await outboundSettled(engine, sent.id);
      expect(redirectsFollowed).toBe(0);
      expect(done.attempts.map((a) => [a.status, a.outcome, a.plannedOffsetMs])).toEqual([
        [302, 'retry', 0],
        [429, 'retry', 1000],
        [410, 'disabled', 4000], // 1 s, then Retry-After 3 s instead of the 2 s the policy planned
      ]);
      const [sub] = await engine.call('subscriptions.list', undefined);
      expect(sub).toMatchObject({ status: 'DISABLED', disabledReason: 'the receiver answered 410 Gone' });
      await expect(engine.call('subscriptions.trigger', { id: created.id })).rejects.toMatchObject({ code: 'conflict' });
      const logs = await engine.call('subscriptions.logs', { id: created.id, limit: 10, offset: 0 });
      expect(logs.total).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('pending retries resume after a restart', async () => {
    let up = false;
    const t = await target(() => ({ status: up ? 200 : 503 }));
    try {
      const sent = await engine.call('send.deliver', { profile: 'github', targetUrl: t.url, secret: 's', policy: { ...POLICIES.envoyou, schedule: [400] }, timeScale: 1 });
      await new Promise((r) => setTimeout(r, 100));
      await engine.close();
      up = true;
      engine = await createEngine({ dataDir: dir.path, receiverPort: 0 });
      const done = await outboundSettled(engine, sent.id);
      expect(done.status).toBe('delivered');
      expect(done.attempts.map((a) => a.status)).toEqual([503, 200]);
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with clear errors', async () => {
    await expect(engine.call('send.deliver', { profile: 'nope' as never, targetUrl: 'http://x' })).rejects.toThrow(/unknown profile "nope"/);
    await expect(engine.call('send.deliver', { profile: 'stripe', targetUrl: 'ftp://x', secret: 's' })).rejects.toThrow(/http or https/);
    await expect(engine.call('send.deliver', { profile: 'stripe', targetUrl: 'http://x' })).rejects.toThrow(/shared secret/);
    await expect(engine.call('send.deliver', { profile: 'engageplus', targetUrl: 'http://x' })).rejects.toThrow(/no active key for issuer https:\/\/engageplus.id/);
    await expect(engine.call('send.deliver', { profile: 'stripe', targetUrl: 'http://x', secret: 's', payload: '{oops' })).rejects.toThrow(/not JSON/);
    await expect(engine.call('send.deliver', { profile: 'stripe', targetUrl: 'http://x', secret: 's', policy: 'weekly' as never })).rejects.toThrow(/unknown policy/);
  });
});

describe('retry policies', () => {
  it('follow the published schedules', () => {
    const offsets = (p: typeof POLICIES.envoyou) => Array.from({ length: p.maxAttempts }, (_, i) => delayBefore(p, i + 1));
    expect(offsets(POLICIES.envoyou)).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(offsets(POLICIES['standard-webhooks']).map((d) => d / 1000)).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
    const stripeTotal = offsets(POLICIES.stripe).reduce((a, b) => a + b, 0);
    expect(stripeTotal / 86_400_000).toBeGreaterThan(2.5);
    expect(stripeTotal / 86_400_000).toBeLessThan(3.1);
  });
});

describe('profiles', () => {
  it('asgardeo sends iat in milliseconds and x-hub-signature; engageplus includes user data only when asked', async () => {
    const asg = JSON.parse(JSON.stringify(getProfile('asgardeo').template('loginSuccess', 'INCLUDE_USER_DATA', 1_751_705_149_662, null)));
    expect(asg.iat).toBe(1_751_705_149_662);
    expect(Object.keys(asg.events)).toEqual(['https://schemas.identity.wso2.org/events/login/event-type/loginSuccess']);
    const ep = getProfile('engageplus');
    const uuidOnly = ep.template('AUTH_SUCCESS', 'UUID_ONLY', 0, null) as { events: Record<string, Record<string, unknown>> };
    const withUser = ep.template('AUTH_SUCCESS', 'INCLUDE_USER_DATA', 0, null) as { events: Record<string, Record<string, unknown>> };
    expect(Object.values(uuidOnly.events)[0]).not.toHaveProperty('user');
    expect(Object.values(withUser.events)[0]!.user).toMatchObject({ email_verified: true });
    expect(getProfile('envoyou').events).toHaveLength(14);
  });
});
