/**
 * One delivery attempt over HTTP(S) as a strict sender makes it: no redirects
 * followed (3xx is a failure), a per-attempt timeout, the answer kept (body
 * capped), and what it means for the retry loop.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HeaderPair } from '../../../shared/model';

export const RESPONSE_CAP = 64 * 1024;

export interface AttemptResult {
  status: number | null;
  responseHeaders: HeaderPair[];
  responseBody: string;
  error: string | null;
  durationMs: number;
  retryAfter: string | undefined;
}

function pairs(raw: string[]): HeaderPair[] {
  const out: HeaderPair[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

export function sendOnce(url: string, method: string, headers: HeaderPair[], body: Buffer, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const done = (partial: Omit<AttemptResult, 'durationMs'>): AttemptResult => ({ ...partial, durationMs: Math.round(performance.now() - started) });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done({ status: null, responseHeaders: [], responseBody: '', error: `"${url}" is not a URL`, retryAfter: undefined }));
  }
  const request = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null;
  if (!request) {
    return Promise.resolve(done({ status: null, responseHeaders: [], responseBody: '', error: `only http and https targets, not ${target.protocol}`, retryAfter: undefined }));
  }
  const outgoing: Record<string, string | string[]> = {};
  for (const [k, v] of headers) {
    const prev = outgoing[k];
    outgoing[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  outgoing['Content-Length'] = String(body.length);
  return new Promise((resolve) => {
    const req = request(target, { method, headers: outgoing, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_CAP) chunks.push(chunk.subarray(0, RESPONSE_CAP - size));
        size += chunk.length;
      });
      const finish = () =>
        resolve(
          done({
            status: res.statusCode ?? null,
            responseHeaders: pairs(res.rawHeaders),
            responseBody: Buffer.concat(chunks).toString('utf8') + (size > RESPONSE_CAP ? `\n… (${size - RESPONSE_CAP} more bytes not kept)` : ''),
            error: null,
            retryAfter: headerOf(res.headers, 'retry-after'),
          }),
        );
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(done({ status: null, responseHeaders: [], responseBody: '', error: error.code ? `${error.code}: ${error.message}` : error.message, retryAfter: undefined })),
    );
    req.end(body);
  });
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export type Classification = 'success' | 'retry' | 'disable' | 'slow-down';

/** Only 2xx is success; 3xx is a failure; 410 disables the endpoint; 429, 502, 503, 504 mean slow down. */
export function classify(status: number | null): Classification {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'success';
  if (status === 410) return 'disable';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'slow-down';
  return 'retry';
}
