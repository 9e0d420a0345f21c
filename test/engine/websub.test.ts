/**
 * The WebSub conformance scenarios (websub.rocks, subscriber and hub) and
 * RFC 8935 push semantics, offline: Hookbench's hub against Hookbench's
 * subscriber, and each against a small independent peer written here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '../../src/main/engine';
import { signHubSignature } from '../../src/main/engine/schemes/hub-signature';
import { verifySubscriber } from '../../src/main/engine/sender/websub-hub';
import type { HubTopic } from '../../src/shared/sender';
import { outboundSettled, send, tempDir } from '../helpers';

async function peer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const challengeOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge') ?? '';

async function topicsSettled(engine: Engine, id: string): Promise<HubTopic[]> {
  for (let i = 0; i < 200; i++) {
    const topics = await engine.call('subscriptions.topics', { id });
    if (topics.length > 0 && topics.every((t) => t.state !== 'pending')) return topics;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('topics did not settle');
}

describe('WebSub', () => {
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

  describe('Hookbench as the subscriber, against an independent hub', () => {
    const verify = (name: string, query: Record<string, string>) => send(`${engine.receiverUrl}/e/${name}?${new URLSearchParams(query)}`, { method: 'GET' });

    it('echoes the challenge for a topic it accepts, records the lease, and shows the GET as a verification', async () => {
      const endpoint = await engine.call('endpoints.create', { name: 'sub' });
      const res = await verify('sub', { 'hub.mode': 'subscribe', 'hub.topic': 'myorg.1.schema.wso2.v1.event.login', 'hub.challenge': 'c-123', 'hub.lease_seconds': '864000' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.body.toString()).toBe('c-123');
      const [topic] = await engine.call('endpoints.topics', { id: endpoint.id });
      expect(topic).toMatchObject({ topic: 'myorg.1.schema.wso2.v1.event.login', state: 'verified' });
      expect(topic!.leaseExpiresAt! - topic!.updatedAt).toBe(864_000_000);
      const [latest] = (await engine.call('deliveries.list', {})).items;
      expect(latest).toMatchObject({ outcome: 'verification', method: 'GET', responseStatus: 200, verdictOutcome: null });
    });

    it('rejects a verification for a topic it did not ask for (404), and handles unsubscribe and denied', async () => {
      const endpoint = await engine.call('endpoints.create', { name: 'sub', behaviour: { websub: { enabled: true, answer: 'echo', topics: ['wanted'], slowMs: 0 } } });
      expect((await verify('sub', { 'hub.mode': 'subscribe', 'hub.topic': 'other', 'hub.challenge': 'x' })).status).toBe(404);
      expect((await verify('sub', { 'hub.mode': 'subscribe', 'hub.topic': 'wanted', 'hub.challenge': 'y' })).body.toString()).toBe('y');
      expect((await verify('sub', { 'hub.mode': 'unsubscribe', 'hub.topic': 'wanted', 'hub.challenge': 'z' })).body.toString()).toBe('z');
      expect((await verify('sub', { 'hub.mode': 'denied', 'hub.topic': 'denied-topic', 'hub.reason': 'no' })).status).toBe(200);
      const states = Object.fromEntries((await engine.call('endpoints.topics', { id: endpoint.id })).map((t) => [t.topic, t.state]));
      expect(states).toEqual({ other: 'refused', wanted: 'unsubscribed', 'denied-topic': 'denied' });
    });

    it('answers as configured: refuse, wrong challenge, slowly', async () => {
      const e = await engine.call('endpoints.create', { name: 'sub' });
      const set = (answer: 'refuse' | 'wrong-challenge' | 'slow') =>
        engine.call('endpoints.update', { id: e.id, behaviour: { websub: { enabled: true, answer, topics: [], slowMs: 300 } } });
      const q = { 'hub.mode': 'subscribe', 'hub.topic': 't', 'hub.challenge': 'abc' };
      await set('refuse');
      expect((await verify('sub', q)).status).toBe(404);
      await set('wrong-challenge');
      expect((await verify('sub', q)).body.toString()).not.toBe('abc');
      await set('slow');
      const started = Date.now();
      expect((await verify('sub', q)).body.toString()).toBe('abc');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('2xx on a delivery; an invalid or missing signature is flagged and answered with the configured status', async () => {
      await engine.call('endpoints.create', {
        name: 'sub',
        verification: { scheme: 'hub-signature', secrets: ['hub-secret'] },
        behaviour: { invalidSignatureStatus: 202 },
      });
      const body = Buffer.from('{"iss":"https://api.asgardeo.io/t/myorg","jti":"1"}');
      const good = signHubSignature({ body, secret: 'hub-secret' }).headers[0]!;
      expect((await send(`${engine.receiverUrl}/e/sub`, { headers: { [good[0]]: good[1] }, body })).status).toBe(200);
      const bad = signHubSignature({ body, secret: 'wrong' }).headers[0]!;
      const invalid = await send(`${engine.receiverUrl}/e/sub`, { headers: { [bad[0]]: bad[1] }, body });
      expect(invalid.status).toBe(202);
      expect(JSON.parse(invalid.body.toString()).error).toBe('signature not accepted');
      const missing = await send(`${engine.receiverUrl}/e/sub`, { body });
      expect(missing.status).toBe(202);
      const items = (await engine.call('deliveries.list', {})).items;
      expect(items.map((d) => d.verdictOutcome)).toEqual(['not-authentic', 'not-authentic', 'authentic']);
    });
  });

  describe('Hookbench as the hub, against an independent subscriber', () => {
    it('verifies a subscriber that echoes; fails a wrong challenge, a redirect and a timeout, each with its reason', async () => {
      const echo = await peer((req, res) => res.end(challengeOf(req)));
      const wrong = await peer((_req, res) => res.end('not-the-challenge'));
      const redirect = await peer((req, res) => {
        if (req.url?.startsWith('/elsewhere')) return res.end(challengeOf(req));
        res.writeHead(302, { Location: `/elsewhere${req.url?.slice(req.url.indexOf('?'))}` });
        res.end();
      });
      const silent = await peer(() => {});
      try {
        expect(await verifySubscriber(echo.url, 'subscribe', 't', 60)).toMatchObject({ ok: true, status: 200 });
        const q = new URL(echo.hits[0]!, 'http://x').searchParams;
        expect([q.get('hub.mode'), q.get('hub.topic'), q.get('hub.lease_seconds')]).toEqual(['subscribe', 't', '60']);
        expect((await verifySubscriber(wrong.url, 'subscribe', 't', 60)).reason).toMatch(/^answered 200 but the body was not the challenge \(expected "[0-9a-f-]{36}", got "not-the-challenge"\)$/);
        expect((await verifySubscriber(redirect.url, 'subscribe', 't', 60)).reason).toMatch(/answered 302: redirects are not followed/);
        expect(redirect.hits.every((h) => !h.startsWith('/elsewhere'))).toBe(true);
        expect((await verifySubscriber(silent.url, 'subscribe', 't', 60, 300)).reason).toMatch(/^timeout: no answer within 300 ms/);
        // Challenges are fresh every time.
        await verifySubscriber(echo.url, 'subscribe', 't', 60);
        expect(new URL(echo.hits[1]!, 'http://x').searchParams.get('hub.challenge')).not.toBe(q.get('hub.challenge'));
      } finally {
        await Promise.all([echo.close(), wrong.close(), redirect.close(), silent.close()]);
      }
    });
  });

  describe('an asgardeo subscription against a Hookbench subscriber endpoint', () => {
    const allEvents = async () => (await engine.call('profiles.list', undefined)).find((p) => p.id === 'asgardeo')!.events;

    it('goes active for every event type and delivers, authentic; deactivating unsubscribes; delete only when inactive', async () => {
      const created = await engine.call('subscriptions.create', { name: 'Asgardeo', profile: 'asgardeo', endpointUrl: `${engine.receiverUrl}/e/asg`, events: await allEvents() });
      await engine.call('endpoints.create', { name: 'asg', verification: { scheme: 'hub-signature', secrets: [created.secret!] } });
      // The endpoint was created after the subscription: resend the verification, as the console offers.
      await engine.call('subscriptions.verify', { id: created.id });
      const topics = await topicsSettled(engine, created.id);
      expect(topics.map((t) => t.eventGroup).sort()).toEqual(['credential', 'login', 'registration', 'session', 'token', 'userAccountManagement']);
      expect(topics.every((t) => t.state === 'verified')).toBe(true);
      expect(topics[0]!.topic).toMatch(/^myorg\.[0-9a-f-]{36}\.schema\.wso2\.v1\.event\.[a-zA-Z]+$/);

      const sent = await engine.call('subscriptions.trigger', { id: created.id, event: 'sessionCreated' });
      await outboundSettled(engine, sent.id);
      const [latest] = (await engine.call('deliveries.list', {})).items;
      expect(latest).toMatchObject({ method: 'POST', verdictOutcome: 'authentic', scheme: 'hub-signature' });

      await expect(engine.call('subscriptions.delete', { id: created.id })).rejects.toMatchObject({ code: 'conflict' });
      await engine.call('subscriptions.update', { id: created.id, status: 'PAUSED' });
      const after = await topicsSettled(engine, created.id);
      for (let i = 0; i < 100 && !after.every((t) => t.state === 'unsubscribed'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        after.splice(0, after.length, ...(await engine.call('subscriptions.topics', { id: created.id })));
      }
      expect(after.every((t) => t.state === 'unsubscribed')).toBe(true);
      const endpoint = (await engine.call('endpoints.list', undefined)).find((e) => e.name === 'asg')!;
      expect((await engine.call('endpoints.topics', { id: endpoint.id })).every((t) => t.state === 'unsubscribed')).toBe(true);
      expect((await engine.call('subscriptions.delete', { id: created.id })).deleted).toBe(true);
    });

    it('stays inactive with the reason shown when the subscriber answers a wrong challenge, and sends nothing', async () => {
      await engine.call('endpoints.create', { name: 'asg', behaviour: { websub: { enabled: true, answer: 'wrong-challenge', topics: [], slowMs: 0 } } });
      const created = await engine.call('subscriptions.create', { name: 'A', profile: 'asgardeo', endpointUrl: `${engine.receiverUrl}/e/asg`, events: ['loginSuccess'] });
      const [topic] = await topicsSettled(engine, created.id);
      expect(topic).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^answered 200 but the body was not the challenge/) });
      await expect(engine.call('subscriptions.trigger', { id: created.id })).rejects.toThrow(/events go only to verified topics, and the topic .* is failed: answered 200 but the body was not the challenge/);
    });
  });

  describe('RFC 8935 push delivery', () => {
    it('as a recipient: 202 with an empty body for an accepted SET, 400 {err, description} otherwise', async () => {
      await engine.call('keys.generate', { issuer: 'https://engageplus.id' });
      await engine.call('endpoints.create', { name: 'set', verification: { scheme: 'set-jwt', issuer: 'https://engageplus.id' }, behaviour: { rfc8935: true } });
      const sent = await engine.call('send.deliver', { profile: 'engageplus', targetUrl: `${engine.receiverUrl}/e/set`, policy: 'once' });
      let o = await outboundSettled(engine, sent.id);
      expect(o.attempts[0]).toMatchObject({ status: 202, responseBody: '' });

      const wrongIssuer = await engine.call('send.deliver', {
        profile: 'engageplus',
        targetUrl: `${engine.receiverUrl}/e/set`,
        payload: JSON.stringify({ iss: 'https://evil.example', iat: Math.floor(Date.now() / 1000), jti: 'j', events: { 'https://engageplus.id/events/auth_success': {} } }),
        issuer: 'https://engageplus.id',
        policy: 'envoyou',
        timeScale: 1000,
      });
      o = await outboundSettled(engine, wrongIssuer.id);
      // A permanent error: one attempt, not five.
      expect(o.status).toBe('failed');
      expect(o.attempts).toHaveLength(1);
      expect(o.attempts[0]!.status).toBe(400);
      expect(JSON.parse(o.attempts[0]!.responseBody)).toMatchObject({ err: 'invalid_issuer' });
      expect(o.attempts[0]!.error).toMatch(/^RFC 8935 invalid_issuer: Issuer \(iss\): iss is https:\/\/evil.example, expected https:\/\/engageplus.id \(a permanent error: no retry\)$/);

      const garbage = await send(`${engine.receiverUrl}/e/set`, { headers: { 'Content-Type': 'application/secevent+jwt' }, body: 'not.a.jwt.at.all' });
      expect(garbage.status).toBe(400);
      expect(garbage.headers['content-type']).toBe('application/json');
      expect(JSON.parse(garbage.body.toString()).err).toBe('invalid_request');
    });
  });
});
