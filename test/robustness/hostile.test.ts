/**
 * The hostile-input corpus (test/fixtures/hostile/*.json): each case with its
 * expected answer or verdict, run against a real receiver while ordinary
 * deliveries keep arriving and must keep being answered 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, createPrivateKey, createPublicKey, sign as cryptoSign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createEngine, type Engine } from '../../src/main/engine';
import { rawExchange, send, tempDir } from '../helpers';

interface Case {
  name: string;
  kind: 'raw' | 'jwt' | 'hmac' | 'replay-target' | 'body';
  why: string;
  expect: { status?: number; then?: number; verdict?: string; check?: [string, string]; error?: string; bodyHex?: string };
  request?: string;
  latin1?: boolean;
  chunked?: { size: number; count: number };
  token?: { header?: Record<string, unknown>; sign?: string; literal?: string; append?: string; claims?: Record<string, unknown> };
  scheme?: string;
  headers?: Record<string, string>;
  body?: string;
  url?: string;
  generator?: string;
}

const dir = join('test', 'fixtures', 'hostile');
const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case);

describe(`hostile-input corpus (${cases.length} cases)`, () => {
  const data = tempDir();
  let engine: Engine;
  let ownKey: Record<string, unknown>;
  let otherKey: Record<string, unknown>;
  let publicPem: string;
  let ordinary = 0;
  const ordinaryFailures: string[] = [];
  let stop = false;
  let background: Promise<void>;

  beforeAll(async () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    engine = await createEngine({ dataDir: data.path, receiverPort: 0, ensureDefaultEndpoint: true, bodyLimitBytes: 11 * 1024 * 1024, headersTimeoutMs: 500, requestTimeoutMs: 1500 });
    await engine.call('keys.generate', { issuer: 'https://engageplus.id' });
    await engine.call('endpoints.create', { name: 'set', verification: { scheme: 'set-jwt', issuer: 'https://engageplus.id' } });
    const keys = await engine.call('keys.list', undefined);
    ownKey = JSON.parse((await engine.call('keys.export', { kid: keys[0]!.kid, format: 'jwk', includePrivate: true })).text) as Record<string, unknown>;
    publicPem = createPublicKey({ key: keys[0]!.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const other = await generateKeyPair('RS256', { extractable: true });
    otherKey = { ...(await exportJWK(other.privateKey)), alg: 'RS256' };
    // Ordinary deliveries all along: the receiver must keep serving them.
    background = (async () => {
      while (!stop) {
        const res = await send(`${engine.receiverUrl}/e/default`, { body: `{"ordinary":${ordinary}}` }).catch((e: Error) => ({ status: 0, error: e.message }));
        if (res.status !== 200) ordinaryFailures.push(`${res.status}`);
        ordinary++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  });
  afterAll(async () => {
    stop = true;
    await background;
    await engine.close();
    data.remove();
  });

  /** The delivery that carried this marker header, among the ordinary ones arriving meanwhile. */
  const byMarker = async (marker: string) => {
    const [found] = (await engine.call('deliveries.list', { search: marker })).items;
    return engine.call('deliveries.get', { id: found!.id });
  };

  async function token(t: NonNullable<Case['token']>): Promise<string> {
    if (t.literal) return t.literal;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { iss: 'https://engageplus.id', iat: now, jti: `j-${Math.random()}`, events: { 'https://engageplus.id/events/auth_success': {} } };
    for (const [k, v] of Object.entries(t.claims ?? {})) {
      if (v === null) delete claims[k];
      else claims[k] = v === 'now-ms' ? now * 1000 : v === 'now-3600' ? now - 3600 : v;
    }
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const header = t.header ?? { alg: 'RS256' };
    if (t.sign === 'none') return `${b64(header)}.${b64(claims)}.`;
    if (t.sign === 'hs256-public') {
      const input = `${b64(header)}.${b64(claims)}`;
      return `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
    }
    const key = t.sign === 'own-key' ? ownKey : otherKey;
    // The hostile header exactly as written (jku, crit, odd kids), signed with RS256 by hand: libraries refuse to make some of these.
    const fullHeader = { ...header, kid: header.kid ?? key.kid };
    const input = `${b64(fullHeader)}.${b64(claims)}`;
    const signature = cryptoSign('sha256', Buffer.from(input), createPrivateKey({ key: key as never, format: 'jwk' })).toString('base64url');
    return `${input}.${signature}${t.append ?? ''}`;
  }

  for (const c of cases) {
    it(`${c.name}: ${c.why}`, async () => {
      switch (c.kind) {
        case 'raw': {
          // A marker header finds this case's delivery among the ordinary ones arriving meanwhile.
          const marker = `case-${Math.random().toString(36).slice(2, 10)}`;
          const text = c.expect.bodyHex || c.expect.check ? c.request!.replace('\r\n', `\r\nX-Case: ${marker}\r\n`) : c.request!;
          let bytes = Buffer.from(text, c.latin1 ? 'latin1' : 'utf8');
          if (c.chunked) {
            const chunk = Buffer.concat([Buffer.from(`${c.chunked.size.toString(16)}\r\n`), Buffer.alloc(c.chunked.size, 0x61), Buffer.from('\r\n')]);
            bytes = Buffer.concat([bytes, ...Array.from({ length: c.chunked.count }, () => chunk), Buffer.from('0\r\n\r\n')]);
          }
          const answer = await rawExchange(engine.receiverUrl, bytes, 4000);
          expect(answer.slice(0, 12), answer.slice(0, 200)).toBe(`HTTP/1.1 ${c.expect.status}`);
          if (c.expect.then) expect(answer.slice(answer.indexOf('HTTP/1.1', 5), answer.indexOf('HTTP/1.1', 5) + 12)).toBe(`HTTP/1.1 ${c.expect.then}`);
          if (c.expect.bodyHex || c.expect.check) {
            const found = await byMarker(marker);
            if (c.expect.bodyHex) expect(Buffer.from(found!.bodyBase64, 'base64').toString('hex')).toBe(c.expect.bodyHex);
            if (c.expect.check) expect(found!.verdict!.checks.find((x) => x.id === c.expect.check![0])?.status).toBe(c.expect.check[1]);
          }
          return;
        }
        case 'jwt': {
          const jwt = await token(c.token!);
          expect((await send(`${engine.receiverUrl}/e/set`, { headers: { 'Content-Type': 'application/secevent+jwt' }, body: jwt })).status).toBe(200);
          const [latest] = (await engine.call('deliveries.list', { endpointId: (await engine.call('endpoints.list', undefined)).find((e) => e.name === 'set')!.id })).items;
          const d = await engine.call('deliveries.get', { id: latest!.id });
          expect(d.verdict!.outcome).toBe(c.expect.verdict);
          expect(d.verdict!.checks.find((x) => x.id === c.expect.check![0])?.status, JSON.stringify(d.verdict!.checks)).toBe(c.expect.check![1]);
          return;
        }
        case 'hmac': {
          const headers = Object.fromEntries(Object.entries(c.headers!).map(([k, v]) => [k, v === 'now' ? String(Math.floor(Date.now() / 1000)) : v]));
          const verdict = await (async () => {
            const name = `h-${c.scheme}`;
            const existing = (await engine.call('endpoints.list', undefined)).find((e) => e.name === name);
            if (!existing) await engine.call('endpoints.create', { name, verification: { scheme: c.scheme as never, secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] } });
            await send(`${engine.receiverUrl}/e/${name}`, { headers, body: c.body! });
            const id = (await engine.call('endpoints.list', undefined)).find((e) => e.name === name)!.id;
            const [latest] = (await engine.call('deliveries.list', { endpointId: id })).items;
            return (await engine.call('deliveries.get', { id: latest!.id })).verdict!;
          })();
          expect(verdict.outcome).toBe(c.expect.verdict);
          expect(verdict.checks.find((x) => x.id === c.expect.check![0])?.status, JSON.stringify(verdict.checks)).toBe(c.expect.check![1]);
          return;
        }
        case 'replay-target': {
          const [any] = (await engine.call('deliveries.list', {})).items;
          await expect(engine.call('replays.send', { deliveryId: any!.id, targetUrl: c.url! })).rejects.toMatchObject({ code: c.expect.error });
          await expect(engine.call('send.deliver', { profile: 'stripe', targetUrl: c.url!, secret: 's' })).rejects.toMatchObject({ code: c.expect.error });
          return;
        }
        case 'body': {
          if (c.generator === 'idle-connections') {
            const sockets: Socket[] = [];
            for (let i = 0; i < 2000; i++) {
              const s = connect(Number(new URL(engine.receiverUrl).port), '127.0.0.1');
              s.on('error', () => {});
              sockets.push(s);
            }
            await new Promise((r) => setTimeout(r, 300));
            const res = await send(`${engine.receiverUrl}/e/default`, { body: '{"during":"idle flood"}' });
            sockets.forEach((s) => s.destroy());
            expect(res.status).toBe(c.expect.status);
            return;
          }
          const body = c.generator === 'deep-json' ? `${'['.repeat(100_000)}${']'.repeat(100_000)}` : `{"items":"${'x'.repeat(10 * 1024 * 1024)}"}`;
          const marker = `case-${Math.random().toString(36).slice(2, 10)}`;
          const res = await send(`${engine.receiverUrl}/e/default`, { body, headers: { 'Content-Type': 'application/json', 'X-Case': marker, 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` } });
          expect(res.status).toBe(c.expect.status);
          const d = await byMarker(marker);
          expect(Buffer.from(d.bodyBase64, 'base64').length).toBe(Buffer.byteLength(body));
          return;
        }
      }
    });
  }

  it('kept serving ordinary deliveries the whole time', () => {
    expect(ordinary).toBeGreaterThan(20);
    expect(ordinaryFailures).toEqual([]);
  });
});
