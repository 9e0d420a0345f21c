/** Real things for tests: temporary data folders, raw HTTP, engines that stop in hooks. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Engine } from '../src/main/engine';
import type { NewDelivery } from '../src/main/engine/store/deliveries-repo';
import type { Outbound } from '../src/shared/sender';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'hookbench-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request with exact body bytes. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string | number | string[]>; body?: Buffer | string } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a TCP socket and collects whatever comes back until the server closes or `waitMs` passes. */
export function rawExchange(baseUrl: string, bytes: string | Buffer, waitMs = 3000): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

/** Bytes that are not valid UTF-8 on purpose. */
export const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0x61, 0xc3, 0x28, 0x80, 0x7b, 0x7d]);

/** Waits until an outgoing delivery has stopped trying (delivered, failed or cancelled). */
export async function outboundSettled(engine: Engine, id: string, timeoutMs = 8000): Promise<Outbound> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const o = await engine.call('outbound.get', { id });
    if (o.status !== 'pending' || Date.now() > deadline) return o;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A captured delivery as the store takes it: a small JSON POST, with what the test cares about changed. */
export function newDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  const body = overrides.body ?? Buffer.from('{}');
  return {
    receivedAt: 1_700_000_000_000,
    endpointId: null,
    endpointName: null,
    method: 'POST',
    path: '/e/x',
    query: '',
    httpVersion: '1.1',
    headers: [['Content-Type', 'application/json']],
    body,
    bodySize: body.length,
    remoteAddress: '127.0.0.1',
    remotePort: 5000,
    responseStatus: 200,
    responseHeaders: [],
    responseBody: Buffer.alloc(0),
    outcome: 'captured',
    ...overrides,
  };
}
