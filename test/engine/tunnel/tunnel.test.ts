import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '../../../src/main/engine';
import { startControlServer, type ControlServer } from '../../../src/main/headless/control-server';
import type { TunnelState } from '../../../src/shared/tunnel';
import { INVALID_UTF8, tempDir } from '../../helpers';
import { fakeTunnelServer } from './fake-server';

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

describe('public tunnel (real localtunnel client, a tunnel server on 127.0.0.1)', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  let server: Awaited<ReturnType<typeof fakeTunnelServer>>;
  let states: TunnelState[];
  beforeEach(async () => {
    dir = tempDir();
    server = await fakeTunnelServer();
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0, ensureDefaultEndpoint: true, tunnelHost: server.host, tunnelDeadlineMs: 3000 });
    states = [];
    engine.on('tunnel.changed', (s) => states.push(s));
  });
  afterEach(async () => {
    await engine.close();
    await server.close();
    dir.remove();
  });

  it('opens, announces its URL, and captures a delivery sent through it byte-exact, marked as tunnelled', async () => {
    const state = await engine.call('tunnel.start', {});
    expect(state).toMatchObject({ status: 'open', url: 'https://t1.tunnel.test', host: server.host });
    expect(states.map((s) => s.status)).toEqual(['opening', 'open']);
    const info = await engine.call('app.info', undefined);
    expect(info).toMatchObject({ publicUrl: 'https://t1.tunnel.test', jwksUrl: 'https://t1.tunnel.test/.well-known/jwks.json' });
    await server.waitForSockets(2);

    const head = `POST /e/default HTTP/1.1\r\nHost: t1.tunnel.test\r\nX-Forwarded-For: 198.51.100.23\r\nContent-Length: ${INVALID_UTF8.length}\r\n\r\n`;
    const answer = await server.request(Buffer.concat([Buffer.from(head), INVALID_UTF8]));
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    const [latest] = (await engine.call('deliveries.list', {})).items;
    const detail = await engine.call('deliveries.get', { id: latest!.id });
    expect(Buffer.from(detail.bodyBase64, 'base64').equals(INVALID_UTF8)).toBe(true);
    expect(detail.viaTunnel).toBe(true);
    expect(detail.headers).toContainEqual(['Host', 't1.tunnel.test']);
    expect(detail.headers).toContainEqual(['X-Forwarded-For', '198.51.100.23']);
  });

  it('never reaches the control API or the UI, whatever the path or Host header', async () => {
    const control: ControlServer = await startControlServer({ engine, rendererDir: dir.path, token: 'tok' });
    try {
      await engine.call('tunnel.start', { subdomain: 'my-hooks' });
      expect(server.requests).toContain('/my-hooks');
      await server.waitForSockets(1);
      const uiHost = new URL(control.origin).host;
      for (const path of ['/api/rpc/endpoints.list', '/api/events', '/?token=tok', '/api/webhooks']) {
        const answer = await server.request(`GET ${path} HTTP/1.1\r\nHost: ${uiHost}\r\nAuthorization: Bearer tok\r\nCookie: hookbench_token=tok\r\n\r\n`);
        expect(answer, path).toMatch(/^HTTP\/1.1 404/);
        expect(answer).not.toContain('"ok":true');
        expect(answer).toContain('captured anyway');
      }
    } finally {
      await control.close();
    }
  });

  it('reconnects when the tunnel server kills its sockets', async () => {
    await engine.call('tunnel.start', {});
    await server.waitForSockets(2);
    server.killSockets();
    await server.waitForSockets(2);
    const answer = await server.request('POST /e/default HTTP/1.1\r\nHost: t1.tunnel.test\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer).toMatch(/^HTTP\/1.1 200/);
  });

  it('when the server goes away it says so, with the next try time, and stops cleanly', async () => {
    await engine.call('tunnel.start', {});
    await server.waitForSockets(2);
    await server.close();
    await expect.poll(() => states.at(-1)?.status, { timeout: 5000 }).toBe('reconnecting');
    const reconnecting = states.at(-1)!;
    expect(reconnecting.reason).toMatch(/^the tunnel dropped: /);
    expect(reconnecting.nextTryAt).toBeGreaterThan(Date.now() - 1000);
    await engine.call('tunnel.stop', undefined);
    expect(states.at(-1)?.status).toBe('closed');
  });

  it('when its port goes away it asks the server again, reopens, and announces the changed URL', async () => {
    await engine.call('tunnel.start', {});
    await server.waitForSockets(2);
    await server.moveTcp();
    await expect.poll(() => states.at(-1)?.url, { timeout: 8000 }).toBe('https://t2.tunnel.test');
    expect(states.map((s) => s.status)).toContain('reconnecting');
    expect(states.at(-1)).toMatchObject({ url: 'https://t2.tunnel.test', previousUrl: 'https://t1.tunnel.test' });
    await server.waitForSockets(2);
    const answer = await server.request('POST /e/default HTTP/1.1\r\nHost: t2.tunnel.test\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer).toMatch(/^HTTP\/1.1 200/);
  });

  it('offline: fails within the deadline with a one-line reason, and everything else keeps working', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const state = await engine.call('tunnel.start', { host: unreachable });
    expect(Date.now() - started).toBeLessThan(3500);
    expect(state.status).toBe('failed');
    expect(state.reason).toMatch(new RegExp(`^cannot reach the tunnel server ${unreachable}: ECONNREFUSED$`));
    expect(state.reason).not.toContain('\n');
    const res = await fetch(`${engine.receiverUrl}/e/default`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
  });

  it('an unreachable server leaves no timer or socket behind: the process exits by itself', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/engine/tunnel/no-leftovers.ts', unreachable, '1500'], { timeout: 8000 }, (error, stdout) =>
        error ? reject(new Error(`did not exit by itself: ${error.message}`)) : resolve(stdout),
      );
    });
    const result = JSON.parse(out) as { status: string; reason: string; ms: number };
    expect(result.status).toBe('failed');
    expect(result.ms).toBeLessThan(2500);
  });
});
