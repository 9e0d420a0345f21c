import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverySummary } from '../../src/shared/model';
import { createEngine, type Engine } from '../../src/main/engine';
import { systemClock } from '../../src/main/engine/clock';
import { endpointNameOf, startReceiver } from '../../src/main/engine/receiver/receiver';
import { INVALID_UTF8, rawExchange, send, tempDir } from '../helpers';

describe('receiver (real HTTP on 127.0.0.1, real SQLite)', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let base: string;

  beforeEach(async () => {
    dir = tempDir();
    engine = await createEngine({
      dataDir: dir.path,
      receiverPort: 0,
      ensureDefaultEndpoint: true,
      bodyLimitBytes: 1024,
      headersTimeoutMs: 500,
    });
    base = engine.receiverUrl;
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  it('stores a delivery byte-exact, answers the endpoint response, and pushes an event', async () => {
    const seen: DeliverySummary[] = [];
    engine.on('delivery.created', (d) => seen.push(d));
    const res = await send(`${base}/e/default/sub?x=1&y=%20`, {
      headers: { 'Content-Type': 'application/octet-stream' },
      body: INVALID_UTF8,
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"received":true}');
    const page = await engine.call('deliveries.list', {});
    expect(page.total).toBe(1);
    const detail = await engine.call('deliveries.get', { id: page.items[0]!.id });
    expect(Buffer.from(detail.bodyBase64, 'base64').equals(INVALID_UTF8)).toBe(true);
    expect(detail).toMatchObject({
      method: 'POST',
      path: '/e/default/sub',
      query: 'x=1&y=%20',
      endpointName: 'default',
      outcome: 'captured',
      responseStatus: 200,
      bodySize: INVALID_UTF8.length,
      remoteAddress: '127.0.0.1',
    });
    expect(seen.map((d) => d.id)).toEqual([detail.id]);
  });

  it('keeps header order, casing and repeats as they came over the wire', async () => {
    const request =
      'POST /e/default HTTP/1.1\r\nHost: x\r\nX-Signature: one\r\nx-signature: two\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';
    const answer = await rawExchange(base, request);
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    const detail = await engine.call('deliveries.get', { id: latest!.id });
    expect(detail.headers).toEqual([
      ['Host', 'x'],
      ['X-Signature', 'one'],
      ['x-signature', 'two'],
      ['Content-Length', '2'],
      ['Connection', 'close'],
    ]);
  });

  it('captures a request to an unknown path and answers 404 saying so', async () => {
    const res = await send(`${base}/hooks/stripe`, { body: 'x' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).hint).toMatch(/captured anyway/);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    expect(latest).toMatchObject({ path: '/hooks/stripe', outcome: 'unknown-endpoint', endpointId: null, responseStatus: 404 });
  });

  it('answers 413 to a declared oversized body, keeps its head, and goes on serving', async () => {
    const big = Buffer.alloc(4096, 0x61);
    const res = await send(`${base}/e/default`, { body: big });
    expect(res.status).toBe(413);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    expect(latest).toMatchObject({ outcome: 'too-large', bodySize: 4096, responseStatus: 413 });
    expect((await send(`${base}/e/default`, { body: 'ok' })).status).toBe(200);
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const head = 'POST /e/default HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = `800\r\n${'b'.repeat(0x800)}\r\n`;
    const answer = await rawExchange(base, head + chunk + chunk + '0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1.1 413/);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    expect(latest!.outcome).toBe('too-large');
  });

  it('answers 400 to a malformed request and keeps serving', async () => {
    const answer = await rawExchange(base, 'THIS IS NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect((await send(`${base}/e/default`, { body: '{}' })).status).toBe(200);
  });

  it('drops a client that never finishes its headers (408), and keeps serving', async () => {
    const started = Date.now();
    const answer = await rawExchange(base, 'POST /e/default HTTP/1.1\r\nHost: x\r\n', 5000);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await send(`${base}/e/default`, { body: '{}' })).status).toBe(200);
  });

  it('answers with the configured status, headers, body and delay', async () => {
    const [endpoint] = await engine.call('endpoints.list', undefined);
    await engine.call('endpoints.update', {
      id: endpoint!.id,
      response: { status: 202, headers: [['X-Test', 'yes']], body: 'accepted', delayMs: 150 },
    });
    const started = Date.now();
    const res = await send(`${base}/e/default`, { body: '{}' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(202);
    expect(res.headers['x-test']).toBe('yes');
    expect(res.body.toString()).toBe('accepted');
  });

  it('rejects invalid endpoint input with a typed error', async () => {
    await expect(engine.call('endpoints.create', { name: '../etc' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(engine.call('endpoints.create', { name: 'default' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(engine.call('deliveries.get', { id: 999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(engine.call('nope' as never, undefined as never)).rejects.toMatchObject({ code: 'unknown_method' });
    const [endpoint] = await engine.call('endpoints.list', undefined);
    await expect(
      engine.call('endpoints.update', { id: endpoint!.id, response: { headers: [['Bad\r\nName', 'x']] } }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('receiver when the store refuses', () => {
  it('answers 503 with Retry-After instead of acknowledging what it could not store', async () => {
    const receiver = await startReceiver({
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: 1024,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 5000,
      clock: systemClock,
      findEndpoint: () => undefined,
      accept: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')),
    });
    try {
      const res = await send(`${receiver.url}/e/any`, { body: '{}' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.toString()).toMatch(/could not be stored.*disk is full/);
    } finally {
      await receiver.close();
    }
  });
});

describe('endpointNameOf', () => {
  it.each([
    ['/e/orders', 'orders'],
    ['/e/orders/deep/path', 'orders'],
    ['/e/', null],
    ['/x/orders', null],
    ['/e/%E0%A4%A', null],
  ])('%s -> %s', (path, name) => {
    expect(endpointNameOf(path)).toBe(name);
  });
});
