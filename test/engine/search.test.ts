import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { signHubSignature } from '../../src/main/engine/schemes/hub-signature';
import { eventTypeOf } from '../../src/main/engine/util/event-type';
import { send, tempDir } from '../helpers';

describe('filters, full-text search and retention', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  beforeEach(async () => {
    dir = tempDir();
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0, ensureDefaultEndpoint: true });
    await engine.call('endpoints.create', { name: 'gh', verification: { scheme: 'hub-signature', secrets: ['s'] } });
    const post = (path: string, body: string, headers: Record<string, string> = {}) => send(`${engine.receiverUrl}${path}`, { body, headers });
    const gh = (body: string, event: string, secret = 's') =>
      post('/e/gh', body, { 'X-GitHub-Event': event, [signHubSignature({ body: Buffer.from(body), secret }, { header: 'X-Hub-Signature-256' }).headers[0]![0]]: signHubSignature({ body: Buffer.from(body), secret }, { header: 'X-Hub-Signature-256' }).headers[0]![1] });
    await gh('{"user":{"id":"u_4242"}}', 'push');
    await gh('{"user":{"id":"u_1"}}', 'ping', 'wrong');
    await post('/e/default', '{"type":"user.created","data":{"id":"u_4242"}}');
    await post('/e/default', 'plain text mentioning Zoë');
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  const list = (q: Parameters<Engine['call']>[1]) => engine.call('deliveries.list', q as never);

  it('filters by event type and verdict, and lists the event types seen', async () => {
    expect((await engine.call('deliveries.facets', undefined)).eventTypes).toEqual(['ping', 'push', 'user.created']);
    expect((await list({ eventType: 'push' })).items.map((d) => d.eventType)).toEqual(['push']);
    expect((await list({ verdict: 'not-authentic' })).items.map((d) => d.eventType)).toEqual(['ping']);
    expect((await list({ verdict: 'authentic' })).total).toBe(1);
  });

  it('finds text inside bodies and headers, combined with other filters', async () => {
    const found = await list({ search: 'u_4242' });
    expect(found.total).toBe(2);
    expect(found.items.map((d) => d.path)).toEqual(['/e/default', '/e/gh']);
    const [gh] = await engine.call('endpoints.list', undefined).then((l) => l.filter((e) => e.name === 'gh'));
    expect((await list({ search: 'u_4242', endpointId: gh!.id })).total).toBe(1);
    expect((await list({ search: 'Zoë' })).total).toBe(1);
    expect((await list({ search: 'X-GitHub-Event' })).total).toBe(2);
    expect((await list({ search: '"quoted" OR nonsense' })).total).toBe(0);
    expect((await list({ search: 'gh' })).total).toBe(2); // short: path and headers
  });

  it('keeps history within a count cap, oldest first, and reports the size', async () => {
    const before = await engine.call('storage.stats', undefined);
    expect(before).toMatchObject({ count: 4, retention: { maxCount: null, maxAgeDays: null, maxBytes: null } });
    expect(before.dataBytes).toBeGreaterThan(100);
    const after = await engine.call('retention.set', { maxCount: 2 });
    expect(after.count).toBe(2);
    expect((await list({})).items.map((d) => d.path)).toEqual(['/e/default', '/e/default']);
    expect((await list({ search: 'u_1' })).total).toBe(0); // gone from the index too
    await expect(engine.call('retention.set', { maxCount: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    const bytes = await engine.call('retention.set', { maxCount: null, maxBytes: 1 });
    expect(bytes.count).toBe(0);
  });

  it('names the event of each sender', () => {
    expect(eventTypeOf([['X-EngagePlus-Event', 'AUTH_SUCCESS']], Buffer.alloc(0))).toBe('AUTH_SUCCESS');
    expect(eventTypeOf([], Buffer.from('{"events":{"https://schemas.identity.wso2.org/events/login/event-type/loginSuccess":{}}}'))).toBe('loginSuccess');
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ events: { 'https://engageplus.id/events/auth_success': {} } })).toString('base64url')}.`;
    expect(eventTypeOf([], Buffer.from(token))).toBe('auth_success');
    expect(eventTypeOf([], Buffer.from('not json'))).toBeNull();
  });
});
