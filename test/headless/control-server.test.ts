import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Engine } from '../../src/main/engine';
import type { ControlServer } from '../../src/main/headless/control-server';
import { startHeadless } from '../../src/main/headless/start';
import { outboundSettled, send, tempDir } from '../helpers';

const TOKEN = 'test-token-0123456789';

describe('headless control server', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let control: ControlServer;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeEach(async () => {
    dir = tempDir();
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ui</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir.path, 'secret.txt'), 'do not serve');
    ({ engine, control } = await startHeadless({ dataDir: join(dir.path, 'data'), rendererDir, receiverPort: 0, token: TOKEN }));
  });
  afterEach(async () => {
    await control.close();
    await engine.close();
    dir.remove();
  });

  it('listens on its own port, apart from the receiver, which does not serve the API', async () => {
    expect(new URL(control.origin).port).not.toBe(new URL(engine.receiverUrl).port);
    const viaReceiver = await send(`${engine.receiverUrl}/api/rpc/endpoints.list`, { headers: auth });
    expect(viaReceiver.status).toBe(404);
    expect(viaReceiver.body.toString()).not.toContain('"ok":true');
  });

  it('refuses requests without the token', async () => {
    const res = await send(`${control.origin}/api/rpc/endpoints.list`);
    expect(res.status).toBe(401);
    expect((await send(`${control.origin}/`, { method: 'GET' })).status).toBe(401);
    const wrong = await send(`${control.origin}/api/rpc/endpoints.list`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await send(`${control.origin}/api/rpc/endpoints.list`, { headers: { ...auth, Host: 'attacker.example:80' } });
    expect(res.status).toBe(403);
  });

  it('refuses a cross-origin request even with the cookie', async () => {
    const res = await send(`${control.origin}/api/rpc/endpoints.list`, {
      headers: { Cookie: `hookbench_token=${TOKEN}`, Origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('trades the token in the URL for an HttpOnly cookie, then serves the UI with a strict CSP', async () => {
    const first = await send(control.url, { method: 'GET' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await send(`${control.origin}/`, { method: 'GET', headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>ui</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('runs contract calls and reports typed errors', async () => {
    const list = await send(`${control.origin}/api/rpc/endpoints.list`, { headers: auth });
    expect(JSON.parse(list.body.toString())).toMatchObject({ ok: true, result: [{ name: 'default' }] });
    const missing = await send(`${control.origin}/api/rpc/deliveries.get`, { headers: auth, body: '{"id":12345}' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unknown = await send(`${control.origin}/api/rpc/shell.exec`, { headers: auth, body: '{}' });
    expect(JSON.parse(unknown.body.toString()).error.code).toBe('unknown_method');
    const bad = await send(`${control.origin}/api/rpc/endpoints.create`, { headers: auth, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error.code).toBe('invalid_input');
  });

  it('does not serve files outside the UI folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await send(`${control.origin}${path}`, { method: 'GET', headers: auth });
      expect(res.body.toString()).not.toContain('do not serve');
    }
    expect((await send(`${control.origin}/assets/app.js`, { method: 'GET', headers: auth })).status).toBe(200);
  });

  it('pushes a delivery.created event on the event stream when a delivery arrives', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(`${control.origin}/api/events`, { headers: auth }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('event: delivery.created')) {
            resolve(text);
            req.destroy();
          } else if (text.includes(': connected')) {
            void send(`${engine.receiverUrl}/e/default`, { body: '{"live":true}' });
          }
        });
      });
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    const text = await received;
    const data = JSON.parse(text.split('data: ')[1]!.split('\n')[0]!);
    expect(data).toMatchObject({ path: '/e/default', method: 'POST', outcome: 'captured' });
  });
});

describe("seed 000's webhook management API on the headless server", () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let control: ControlServer;
  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    send(`${control.origin}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeEach(async () => {
    dir = tempDir();
    ({ engine, control } = await startHeadless({ dataDir: dir.path, rendererDir: dir.path, receiverPort: 0, token: TOKEN }));
  });
  afterEach(async () => {
    await control.close();
    await engine.close();
    dir.remove();
  });

  it('lists, creates (secret shown once), updates, pages logs and deletes, as the seed documents', async () => {
    await engine.call('keys.generate', { issuer: 'https://engageplus.id' });
    const created = await api('/api/webhooks', {
      method: 'POST',
      body: { name: 'Production Webhook', endpointUrl: `${engine.receiverUrl}/e/default`, events: ['AUTH_SUCCESS'], dataScope: 'UUID_ONLY' },
    });
    expect(created.status).toBe(201);
    const webhook = JSON.parse(created.body.toString());
    expect(webhook).toMatchObject({ name: 'Production Webhook', events: ['AUTH_SUCCESS'], dataScope: 'UUID_ONLY', status: 'ACTIVE' });
    expect(webhook.signingSecret).toMatch(/^whsec_/);
    const listed = JSON.parse((await api('/api/webhooks')).body.toString());
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('signingSecret');

    const sent = await engine.call('subscriptions.trigger', { id: webhook.id });
    await outboundSettled(engine, sent.id);
    const logs = JSON.parse((await api(`/api/webhooks/${webhook.id}/logs?limit=50&offset=0`)).body.toString());
    expect(logs).toMatchObject({ total: 1, limit: 50, offset: 0, data: [{ event: 'AUTH_SUCCESS', attempt: 1, statusCode: 200, success: true }] });

    const paused = await api(`/api/webhooks/${webhook.id}`, { method: 'PUT', body: { status: 'PAUSED', name: 'Updated Name' } });
    expect(JSON.parse(paused.body.toString())).toMatchObject({ status: 'PAUSED', name: 'Updated Name' });
    const bad = await api(`/api/webhooks/${webhook.id}`, { method: 'PUT', body: { status: 'SLEEPING' } });
    expect(bad.status).toBe(400);
    expect((await api(`/api/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/webhooks/${webhook.id}/logs`)).status).toBe(404);
    expect((await send(`${control.origin}/api/webhooks`, { method: 'GET' })).status).toBe(401);
  });
});
