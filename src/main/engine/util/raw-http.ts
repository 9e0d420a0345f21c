/**
 * Reads a raw HTTP/1.x request as text or bytes (what support staff paste,
 * or `curl --trace` shows): request line, headers, blank line, body. Accepts
 * LF as well as CRLF, honours Content-Length and decodes chunked bodies.
 */
import type { HeaderPair } from '../../../shared/model';
import { EngineError } from '../errors';

export interface RawRequest {
  method: string;
  path: string;
  query: string;
  httpVersion: string;
  headers: HeaderPair[];
  body: Buffer;
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\n', offset);
    if (lineEnd === -1) throw new EngineError('invalid_input', 'chunked body ends without a last chunk');
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1').trim().split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new EngineError('invalid_input', 'chunked body has a bad chunk size');
    offset = lineEnd + 1;
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(offset, offset + size));
    offset += size;
    if (data[offset] === 0x0d) offset++;
    if (data[offset] === 0x0a) offset++;
  }
}

export function parseRawRequest(bytes: Buffer): RawRequest {
  let headEnd = bytes.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = bytes.indexOf('\n\n');
  if (headEnd === -1 || (lf !== -1 && lf < headEnd)) {
    headEnd = lf;
    sep = 2;
  }
  const head = (headEnd === -1 ? bytes : bytes.subarray(0, headEnd)).toString('latin1');
  let body = headEnd === -1 ? Buffer.alloc(0) : bytes.subarray(headEnd + sep);
  const lines = head.split(/\r?\n/).filter((line, i) => i > 0 || line.trim() !== '');
  const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/(\d(?:\.\d)?))?\s*$/.exec(lines[0] ?? '');
  if (!requestLine) throw new EngineError('invalid_input', `the first line is not an HTTP request line: "${(lines[0] ?? '').slice(0, 80)}"`);
  const headers: HeaderPair[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new EngineError('invalid_input', `not a header line: "${line.slice(0, 80)}"`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const header = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
  if (/chunked/i.test(header('transfer-encoding') ?? '')) body = decodeChunked(body);
  else {
    const length = Number(header('content-length'));
    if (Number.isInteger(length) && length >= 0 && length < body.length) body = body.subarray(0, length);
  }
  const target = requestLine[2]!;
  const url = /^https?:\/\//i.test(target) ? new URL(target) : null;
  const pathAndQuery = url ? url.pathname + url.search : target;
  const q = pathAndQuery.indexOf('?');
  return {
    method: requestLine[1]!,
    path: q === -1 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: q === -1 ? '' : pathAndQuery.slice(q + 1),
    httpVersion: requestLine[3] ?? '1.1',
    headers,
    body: Buffer.from(body),
  };
}
