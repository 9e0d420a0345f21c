/**
 * The capture listener: its own HTTP server, never shared with the controls.
 * Every request is stored byte-exact before it is answered; when the store
 * refuses, the sender gets a 503 and can retry, rather than a false 2xx.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DeliveryOutcome, Endpoint, HeaderPair } from '../../../shared/model';
import type { Clock } from '../clock';
import type { NewDelivery } from '../store/deliveries-repo';
import type { Planned } from './respond';

/** A request as captured, before it is judged and answered. */
export type CapturedRequest = Omit<NewDelivery, 'responseStatus' | 'responseHeaders' | 'responseBody' | 'verdict'>;
import { listenWithFallback } from '../util/listen';

export const ENDPOINT_PREFIX = '/e/';
/** Hookbench's own public keys, on the listener a tunnel exposes, so a receiver anywhere can fetch them. */
export const JWKS_PATH = '/.well-known/jwks.json';

export interface ReceiverOptions {
  host: string;
  /** Preferred port; 0 or a taken port means one chosen by the system. */
  port: number;
  bodyLimitBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  clock: Clock;
  findEndpoint(name: string): Endpoint | undefined;
  /**
   * Judges, stores and plans the answer; resolves once the delivery is
   * committed, with what to answer. Rejects when it cannot be stored.
   */
  accept(captured: CapturedRequest, endpoint: Endpoint | undefined): Promise<Planned>;
  /** Public keys for `GET /.well-known/jwks.json[?iss=...]`; never captured as a delivery. */
  jwks?(issuer?: string): { keys: Record<string, unknown>[] };
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Starts (once) and returns the loopback port the tunnel client connects to. */
  tunnelPort(): Promise<number>;
  close(): Promise<void>;
}

/** `/e/orders/extra?x=1` -> `orders`; anything else -> null. */
export function endpointNameOf(path: string): string | null {
  if (!path.startsWith(ENDPOINT_PREFIX)) return null;
  const rest = path.slice(ENDPOINT_PREFIX.length);
  const name = rest.split('/')[0] ?? '';
  try {
    return name ? decodeURIComponent(name) : null;
  } catch {
    return null;
  }
}

function pairs(raw: string[]): HeaderPair[] {
  const out: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}


/** One HTTP server running the capture handler; `viaTunnel` marks what it receives. */
function captureServer(options: ReceiverOptions, viaTunnel: boolean): Server {
  const server: Server = createServer(
    {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: 5_000,
      // How often Node checks the two timeouts above; its 30 s default lets slow clients linger.
      connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
    },
    (req, res) => {
      handle(req, res, options, viaTunnel).catch((error: unknown) => {
        // Reached only when the store refused the delivery: say so, never 2xx.
        if (!res.headersSent) {
          res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '5', Connection: 'close' });
          res.end(JSON.stringify({ error: 'delivery could not be stored', detail: (error as Error).message }));
        } else {
          res.destroy();
        }
      });
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Malformed requests and slow clients: answer what Node would, without crashing or logging noise.
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const text = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  return server;
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const server = captureServer(options, false);
  // The tunnel gets a listener of its own on loopback: same capture handler, nothing else,
  // and whatever arrives on it is marked as having come through the tunnel.
  const tunnelServer = captureServer(options, true);
  const port = await listenWithFallback(server, options.port, options.host);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  let tunnelPort: Promise<number> | null = null;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    tunnelPort: () => (tunnelPort ??= listenWithFallback(tunnelServer, 0, '127.0.0.1')),
    close: async () => {
      await Promise.all([closeServer(server), closeServer(tunnelServer)]);
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ReceiverOptions, viaTunnel: boolean): Promise<void> {
  const receivedAt = options.clock.now();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  if (path === JWKS_PATH && options.jwks && (req.method === 'GET' || req.method === 'HEAD')) {
    const issuer = new URLSearchParams(query).get('iss') ?? undefined;
    const body = JSON.stringify(options.jwks(issuer));
    res.writeHead(200, { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
    res.end(req.method === 'HEAD' ? undefined : body);
    req.resume();
    return;
  }
  const name = endpointNameOf(path);
  const endpoint = name ? options.findEndpoint(name) : undefined;

  const declared = Number(req.headers['content-length']);
  let outcome: DeliveryOutcome = endpoint ? 'captured' : 'unknown-endpoint';
  let body: Buffer = Buffer.alloc(0);
  let bodySize = 0;

  if (Number.isFinite(declared) && declared > options.bodyLimitBytes) {
    outcome = 'too-large';
    bodySize = declared;
  } else {
    const read = await readBody(req, options.bodyLimitBytes);
    if (read === 'aborted') return; // the client went away: nothing was acknowledged
    if (read.tooLarge) outcome = 'too-large';
    body = read.tooLarge ? Buffer.alloc(0) : read.body;
    bodySize = read.size;
  }

  const socket = req.socket;
  const captured: CapturedRequest = {
    receivedAt,
    endpointId: endpoint?.id ?? null,
    endpointName: endpoint?.name ?? name,
    method: req.method ?? 'GET',
    path,
    query,
    httpVersion: req.httpVersion,
    headers: pairs(req.rawHeaders),
    body,
    bodySize,
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort ?? 0,
    outcome,
    viaTunnel,
  };
  const response = await options.accept(captured, endpoint);

  if (response.delayMs > 0) await new Promise((r) => setTimeout(r, response.delayMs));
  if (res.destroyed) return;
  const head: Record<string, string | string[]> = {};
  for (const [k, v] of response.headers) {
    const prev = head[k];
    head[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  if (outcome === 'too-large') head['Connection'] = 'close';
  res.writeHead(response.status, head);
  res.end(response.body);
  // A refused oversized body is not read; the socket goes rather than draining megabytes.
  if (outcome === 'too-large') res.on('finish', () => req.destroy());
}

function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; size: number; tooLarge: boolean } | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          // Stop reading; answer 413 now.
          req.pause();
          resolve({ body: Buffer.alloc(0), size, tooLarge });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks, size), size, tooLarge }));
    req.on('error', () => resolve('aborted'));
    req.on('aborted', () => resolve('aborted'));
    req.on('close', () => {
      if (!req.complete && !tooLarge) resolve('aborted');
    });
  });
}
