/**
 * The headless control side: the contract over HTTP, a push stream (SSE) and
 * the built UI. It listens on loopback only, on its own port, never on the
 * receiver's, and refuses any request without the token or with a Host that
 * is not this machine's loopback name (DNS rebinding).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { API_EVENTS, isApiMethod, type RpcReply } from '../../shared/api';
import type { Engine } from '../engine';
import { toErrorPayload } from '../engine/errors';
import { listenWithFallback } from '../engine/util/listen';
import { safeEqual } from '../engine/util/timing-safe';
import { handleWebhooksApi } from './webhooks-api';

export const TOKEN_COOKIE = 'hookbench_token';
const MAX_RPC_BODY = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

/** What the built UI may load: its own files, nothing inline, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ControlServerOptions {
  engine: Engine;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface ControlServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const server = createServer((req, res) => {
    baseHeaders(res);
    const hosts = allowedHosts();
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      return sendText(res, 403, 'Forbidden: this address is only served as 127.0.0.1 or localhost.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '').toLowerCase())) {
      return sendText(res, 403, 'Forbidden: cross-origin request.');
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && safeEqual(queryToken, token) && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the URL for a cookie, then drop it from the address bar.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.writeHead(303, { Location: url.pathname + url.search });
      return res.end();
    }
    if (!hasToken(req, token)) {
      return sendText(
        res,
        401,
        'Unauthorized: open the link printed by `hookbench serve`; it carries the access token.',
      );
    }
    if (url.pathname.startsWith('/api/rpc/') && req.method === 'POST') {
      return void rpc(req, res, options.engine, decodeURIComponent(url.pathname.slice('/api/rpc/'.length)));
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return events(res);
    if (handleWebhooksApi(req, res, url, options.engine)) return;
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(res, options.rendererDir, url.pathname);
    return sendText(res, 405, 'Method not allowed.');
  });

  const events = (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  };

  const unsubscribers = API_EVENTS.map((event) =>
    options.engine.on(event, (payload) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of streams) res.write(frame);
    }),
  );
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  port = await listenWithFallback(server, options.port ?? 0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        unsubscribers.forEach((off) => off());
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && safeEqual(auth.slice(7), token)) return true;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE && safeEqual(value.join('='), token)) return true;
  }
  return false;
}

function baseHeaders(res: ServerResponse) {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}

async function rpc(req: IncomingMessage, res: ServerResponse, engine: Engine, method: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RPC_BODY) {
      const reply: RpcReply<never> = { ok: false, error: { code: 'invalid_input', message: 'request too large' } };
      return sendJson(res, 413, reply);
    }
    chunks.push(chunk);
  }
  if (!isApiMethod(method)) {
    const reply: RpcReply<never> = { ok: false, error: { code: 'unknown_method', message: `unknown method ${method}` } };
    return sendJson(res, 404, reply);
  }
  let params: unknown;
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    params = text ? JSON.parse(text) : undefined;
  } catch {
    const reply: RpcReply<never> = { ok: false, error: { code: 'invalid_input', message: 'the body is not JSON' } };
    return sendJson(res, 400, reply);
  }
  try {
    const result = await engine.call(method, params as never);
    sendJson(res, 200, { ok: true, result } satisfies RpcReply<unknown>);
  } catch (error) {
    const payload = toErrorPayload(error);
    const status = payload.code === 'not_found' ? 404 : payload.code === 'internal' || payload.code === 'storage_failed' ? 500 : 400;
    sendJson(res, status, { ok: false, error: payload } satisfies RpcReply<unknown>);
  }
}

function serveStatic(res: ServerResponse, root: string, pathname: string) {
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return sendText(res, 400, 'Bad path.');
  }
  // Client-side routes fall back to the app shell.
  let file = join(root, relative || 'index.html');
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) return sendText(res, 404, 'Not found.');
  let stat = statSafe(file);
  if (!stat?.isFile()) {
    if (extname(relative)) return sendText(res, 404, 'Not found.');
    file = join(root, 'index.html');
    stat = statSafe(file);
    if (!stat?.isFile()) return sendText(res, 500, 'The UI is not built: run `npm run build`.');
  }
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': stat.size,
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  });
  createReadStream(file).pipe(res);
}

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
