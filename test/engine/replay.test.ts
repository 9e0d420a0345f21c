import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { signStandardWebhooks } from '../../src/main/engine/schemes/standard-webhooks';
import { fromCurl, shellWords } from '../../src/main/engine/replay/import';
import type { DeliveryDetail, MutationPresetId } from '../../src/shared/model';
import { outboundSettled, INVALID_UTF8, send, tempDir } from '../helpers';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PERSON = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace', ip: '203.0.113.7' };

describe('replay, mutation, diff, export', () => {
  let dirs: ReturnType<typeof tempDir>[];
  let source: Engine;
  let target: Engine;
  beforeEach(async () => {
    dirs = [tempDir(), tempDir()];
    source = await createEngine({ dataDir: dirs[0]!.path, receiverPort: 0 });
    target = await createEngine({ dataDir: dirs[1]!.path, receiverPort: 0 });
    await source.call('endpoints.create', { name: 'sw', verification: { scheme: 'standard-webhooks', secrets: [SECRET] } });
    await target.call('endpoints.create', { name: 'app', verification: { scheme: 'standard-webhooks', secrets: [SECRET] }, behaviour: { invalidSignatureStatus: 401 } });
  });
  afterEach(async () => {
    await source.close();
    await target.close();
    dirs.forEach((d) => d.remove());
  });

  const capture = async (body: string | Buffer, ageSeconds = 0, extra: Record<string, string> = {}): Promise<DeliveryDetail> => {
    const signed = signStandardWebhooks({ body: Buffer.from(body), secret: SECRET, id: `msg_${Math.random().toString(36).slice(2)}`, timestamp: Math.floor(Date.now() / 1000) - ageSeconds });
    await send(`${source.receiverUrl}/e/sw?src=1`, { headers: { ...Object.fromEntries(signed.headers), 'Content-Type': 'application/json', ...extra }, body });
    const [latest] = (await source.call('deliveries.list', {})).items;
    return source.call('deliveries.get', { id: latest!.id });
  };
  const latestAtTarget = async () => {
    const [latest] = (await target.call('deliveries.list', {})).items;
    return target.call('deliveries.get', { id: latest!.id });
  };
  const targetUrl = () => `${target.receiverUrl}/e/app`;

  it('as captured: arrives byte-identical (minus hop-by-hop and Host), and a timestamp check rejects it', async () => {
    const original = await capture(JSON.stringify({ type: 'user.created', ...PERSON }), 600);
    const replay = await source.call('replays.send', { deliveryId: original.id, targetUrl: targetUrl() });
    expect(replay).toMatchObject({ mode: 'as-captured', status: 401, deliveryId: original.id });
    const arrived = await latestAtTarget();
    expect(arrived.bodyBase64).toBe(original.bodyBase64);
    const names = (d: DeliveryDetail) => d.headers.map(([k]) => k.toLowerCase()).filter((k) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k));
    expect(names(arrived)).toEqual(names(original));
    for (const [k, v] of original.headers.filter(([k]) => k.startsWith('webhook-'))) expect(arrived.headers).toContainEqual([k, v]);
    expect(arrived.verdict!.checks.find((c) => c.id === 'timestamp')!.status).toBe('fail');
  });

  it('re-signed: a fresh timestamp and id, accepted; replays are linked, compared and diffed', async () => {
    const original = await capture('{"type":"user.created"}', 600);
    const resigned = await source.call('replays.send', { deliveryId: original.id, targetUrl: targetUrl(), mode: 'resigned' });
    expect(resigned.status).toBe(200);
    const arrived = await latestAtTarget();
    expect(arrived.verdict!.outcome).toBe('authentic');
    const asCaptured = await source.call('replays.send', { deliveryId: original.id, targetUrl: targetUrl() });
    expect((await source.call('replays.list', { deliveryId: original.id })).map((r) => r.id)).toEqual([asCaptured.id, resigned.id]);

    const diff = await source.call('deliveries.diff', { a: { delivery: original.id }, b: { replay: resigned.id } });
    const changed = diff.headers.filter((h) => h.change === 'changed').map((h) => h.name).sort();
    expect(changed).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(diff.body).toMatchObject({ kind: 'json' });
    expect((diff.body as { changes: { change: string }[] }).changes.every((c) => c.change === 'same')).toBe(true);
  });

  it('each preset makes exactly the change it names', async () => {
    const original = await capture('{"type":"user.created","data":{"id":"u_1","n":1}}');
    const presets = await source.call('replays.presets', { deliveryId: original.id });
    expect(presets.map((p) => p.id)).toEqual(['tampered-body', 'stale-timestamp', 'future-timestamp', 'duplicate-id', 'missing-signature', 'reordered-keys', 'added-whitespace']);
    const header = (h: [string, string][], n: string) => h.find(([k]) => k === n)?.[1];
    const made = async (preset: MutationPresetId) => source.call('replays.preview', { deliveryId: original.id, targetUrl: targetUrl(), preset });
    const body = (p: { bodyBase64: string }) => Buffer.from(p.bodyBase64, 'base64').toString();
    const originalTs = Number(header(original.headers, 'webhook-timestamp'));
    const now = Math.floor(Date.now() / 1000);

    const tampered = await made('tampered-body');
    expect(body(tampered)).toBe('{"type":"user.created-tampered","data":{"id":"u_1","n":1}}');
    expect(header(tampered.headers, 'webhook-signature')).toBe(header(original.headers, 'webhook-signature'));
    const stale = await made('stale-timestamp');
    expect(Math.abs(Number(header(stale.headers, 'webhook-timestamp')) - (now - 600))).toBeLessThanOrEqual(2);
    expect(header(stale.headers, 'webhook-signature')).not.toBe(header(original.headers, 'webhook-signature'));
    const future = await made('future-timestamp');
    expect(Math.abs(Number(header(future.headers, 'webhook-timestamp')) - (now + 600))).toBeLessThanOrEqual(2);
    const dup = await made('duplicate-id');
    expect(header(dup.headers, 'webhook-id')).toBe(header(original.headers, 'webhook-id'));
    expect(Number(header(dup.headers, 'webhook-timestamp'))).toBeGreaterThanOrEqual(originalTs);
    const missing = await made('missing-signature');
    expect(header(missing.headers, 'webhook-signature')).toBeUndefined();
    expect(header(missing.headers, 'webhook-id')).toBe(header(original.headers, 'webhook-id'));
    expect(body(await made('reordered-keys'))).toBe('{"data":{"n":1,"id":"u_1"},"type":"user.created"}');
    expect(body(await made('added-whitespace'))).toBe(JSON.stringify(JSON.parse(body(original as never)), null, 2));
  });

  it('SET presets: alg none, HS256 with the public key, unknown kid, rotated-out key, iat in milliseconds', async () => {
    await source.call('keys.generate', { issuer: 'https://engageplus.id' });
    await source.call('endpoints.create', { name: 'set' });
    const sent = await source.call('send.deliver', { profile: 'engageplus', targetUrl: `${source.receiverUrl}/e/set`, policy: 'once' });
    await outboundSettled(source, sent.id);
    const [latest] = (await source.call('deliveries.list', {})).items;
    const presets = (await source.call('replays.presets', { deliveryId: latest!.id })).map((p) => p.id);
    expect(presets).toEqual(expect.arrayContaining(['alg-none', 'hs256-public-key', 'unknown-kid', 'rotated-out-key', 'iat-milliseconds']));
    const decode = async (preset: MutationPresetId) => {
      const p = await source.call('replays.preview', { deliveryId: latest!.id, targetUrl: 'http://127.0.0.1:1/', preset });
      const [h, c, s] = Buffer.from(p.bodyBase64, 'base64').toString().split('.');
      return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), claims: JSON.parse(Buffer.from(c!, 'base64url').toString()), sig: s, headers: p.headers };
    };
    expect(await decode('alg-none')).toMatchObject({ header: { alg: 'none' }, sig: '' });
    expect((await decode('hs256-public-key')).header.alg).toBe('HS256');
    expect((await decode('unknown-kid')).header.kid).toMatch(/^unknown-/);
    expect((await decode('iat-milliseconds')).claims.iat).toBeGreaterThan(1e12);
    const keys = await source.call('keys.list', undefined);
    const { previous } = await source.call('keys.rotate', { issuer: 'https://engageplus.id' });
    await source.call('keys.retire', { kid: previous!.kid });
    expect((await decode('rotated-out-key')).header.kid).toBe(keys[0]!.kid);
    // Every mutated SET is judged not authentic by Hookbench's own receiver.
    for (const preset of ['alg-none', 'hs256-public-key', 'unknown-kid', 'rotated-out-key', 'iat-milliseconds', 'tampered-body'] as MutationPresetId[]) {
      await source.call('replays.send', { deliveryId: latest!.id, targetUrl: `${source.receiverUrl}/e/set`, preset });
      const [judged] = (await source.call('deliveries.list', {})).items;
      expect(judged!.verdictOutcome, preset).toBe('not-authentic');
    }
  });

  it('the replay-protection check reports what a naive target wrongly accepts, and nothing for a strict one', async () => {
    const original = await capture('{"type":"user.created","id":"u_1"}');
    const strict = await source.call('replays.protectionCheck', { deliveryId: original.id, targetUrl: targetUrl() });
    expect(strict.wronglyAccepted).toEqual([]);
    expect(strict.replays.find((r) => r.preset === 'duplicate-id')!.verdictOnTarget).toBe('as-expected');
    await target.call('endpoints.create', { name: 'naive' });
    const naive = await source.call('replays.protectionCheck', { deliveryId: original.id, targetUrl: `${target.receiverUrl}/e/naive` });
    expect(naive.wronglyAccepted.sort()).toEqual(['added-whitespace', 'future-timestamp', 'missing-signature', 'reordered-keys', 'stale-timestamp', 'tampered-body']);
  });

  it('HAR export then import gives byte-identical deliveries, binary and repeated headers included', async () => {
    const a = await capture(INVALID_UTF8, 0, { 'X-Repeat': 'one' });
    const b = await capture(JSON.stringify(PERSON));
    const { text } = await source.call('deliveries.export', { ids: [a.id, b.id], format: 'har' });
    const har = JSON.parse(text);
    expect(har.log.version).toBe('1.2');
    const { ids } = await target.call('deliveries.import', { text });
    expect(ids).toHaveLength(2);
    for (const [i, original] of [a, b].entries()) {
      const back = await target.call('deliveries.get', { id: ids[i]! });
      expect(back.bodyBase64).toBe(original.bodyBase64);
      expect(back.headers).toEqual(original.headers);
      expect(back).toMatchObject({ method: 'POST', path: '/e/sw', query: 'src=1', outcome: 'imported', responseStatus: original.responseStatus, receivedAt: original.receivedAt });
    }
  });

  it('copy as cURL keeps the exact bytes: the command parses back to the same request', async () => {
    const d = await capture(Buffer.concat([Buffer.from("{'quote'}\n"), INVALID_UTF8]));
    const { text } = await source.call('deliveries.export', { ids: [d.id], format: 'curl' });
    expect(text).toMatch(/^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/e\/sw\?src=1' -H /);
    expect(text).toContain("--data-binary $'{\\'quote\\'}\\n\\xff\\xfe\\x00a\\xc3(\\x80{}'");
    const [parsed] = fromCurl(text);
    expect(parsed!.body.equals(Buffer.from(d.bodyBase64, 'base64'))).toBe(true);
    expect(parsed!.headers).toContainEqual(['webhook-signature', d.headers.find(([k]) => k === 'webhook-signature')![1]]);
    expect(shellWords(`curl -d "a b" $'\\x41' 'c'`).map(String)).toEqual(['curl', '-d', 'a b', 'A', 'c']);
  });

  it('a redacted export holds none of the secrets, tokens or personal data of the source', async () => {
    await source.call('keys.generate', { issuer: 'https://engageplus.id' });
    await source.call('endpoints.create', { name: 'set' });
    const sent = await source.call('send.deliver', { profile: 'engageplus', targetUrl: `${source.receiverUrl}/e/set`, dataScope: 'INCLUDE_USER_DATA', policy: 'once' });
    await outboundSettled(source, sent.id);
    const [set] = (await source.call('deliveries.list', {})).items;
    const setDetail = await source.call('deliveries.get', { id: set!.id });
    const d = await capture(JSON.stringify({ user: PERSON, note: `contact ${PERSON.email} from ${PERSON.ip}` }), 0, { Authorization: 'Bearer sk_live_abc123', 'X-Forwarded-For': PERSON.ip });
    const { text } = await source.call('deliveries.export', { ids: [d.id, set!.id], format: 'har', redact: true });
    const secrets = [
      PERSON.email, PERSON.name, PERSON.ip, 'sk_live_abc123', '127.0.0.1',
      d.headers.find(([k]) => k === 'webhook-signature')![1].slice(3),
      Buffer.from(setDetail.bodyBase64, 'base64').toString().split('.')[2]!,
      (setDetail.verdict!.jwt!.claims.events as Record<string, { user: { email: string } }>)['https://engageplus.id/events/auth_success']!.user.email,
      String(setDetail.verdict!.jwt!.claims.sub),
    ];
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    expect(text).toContain('[redacted]');
    const curl = (await source.call('deliveries.export', { ids: [d.id], format: 'curl', redact: true })).text;
    for (const secret of secrets) expect(curl).not.toContain(secret);
  });

  it('imports a cURL command and a raw request, judged as if they had arrived', async () => {
    const signed = signStandardWebhooks({ body: Buffer.from('{"a":1}'), secret: SECRET, id: 'msg_imp', timestamp: Math.floor(Date.now() / 1000) });
    const curl = `curl -X POST http://example.com/e/sw ${signed.headers.map(([k, v]) => `-H '${k}: ${v}'`).join(' ')} -d '{"a":1}'`;
    const { ids } = await source.call('deliveries.import', { text: curl });
    const imported = await source.call('deliveries.get', { id: ids[0]! });
    expect(imported).toMatchObject({ outcome: 'imported', endpointName: 'sw', responseStatus: 0 });
    expect(imported.verdict!.outcome).toBe('authentic');
    const raw = await source.call('deliveries.import', { text: 'POST /nowhere HTTP/1.1\nContent-Type: text/plain\n\nhello' });
    expect((await source.call('deliveries.get', { id: raw.ids[0]! })).bodyBase64).toBe(Buffer.from('hello').toString('base64'));
    await expect(source.call('deliveries.import', { text: 'curl' })).rejects.toThrow(/no URL/);
  });

  it('forwards every delivery to a local URL and records the answer next to the capture', async () => {
    const endpoint = (await source.call('endpoints.list', undefined)).find((e) => e.name === 'sw')!;
    await source.call('endpoints.update', { id: endpoint.id, behaviour: { forwardTo: targetUrl() } });
    const d = await capture('{"fwd":true}');
    let replays = await source.call('replays.list', { deliveryId: d.id });
    for (let i = 0; i < 100 && replays.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      replays = await source.call('replays.list', { deliveryId: d.id });
    }
    expect(replays[0]).toMatchObject({ mode: 'forward', status: 200, targetUrl: targetUrl() });
    expect((await latestAtTarget()).bodyBase64).toBe(Buffer.from('{"fwd":true}').toString('base64'));
  });
});
