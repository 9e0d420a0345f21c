/**
 * Bringing deliveries in: a HAR file (Hookbench's own exports round-trip byte
 * for byte), a cURL command line, or a raw HTTP request, as support staff get
 * them from a customer.
 */
import type { HeaderPair, ImportFormat } from '../../../shared/model';
import { EngineError } from '../errors';
import { parseRawRequest, type RawRequest } from '../util/raw-http';

export interface ImportedRequest extends RawRequest {
  receivedAt: number | null;
  response: { status: number; headers: HeaderPair[]; body: Buffer } | null;
}

function splitUrl(url: string): { path: string; query: string } {
  try {
    const u = new URL(url);
    return { path: u.pathname, query: u.search.replace(/^\?/, '') };
  } catch {
    const q = url.indexOf('?');
    return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
  }
}

interface HarEntry {
  startedDateTime?: string;
  request?: { method?: string; url?: string; httpVersion?: string; headers?: { name: string; value: string }[]; postData?: { text?: string; _encoding?: string; encoding?: string } };
  response?: { status?: number; headers?: { name: string; value: string }[]; content?: { text?: string; encoding?: string } };
}

export function fromHar(text: string): ImportedRequest[] {
  let har: { log?: { entries?: HarEntry[] } };
  try {
    har = JSON.parse(text) as typeof har;
  } catch {
    throw new EngineError('invalid_input', 'the file is not JSON, so not a HAR file');
  }
  const entries = har.log?.entries;
  if (!Array.isArray(entries)) throw new EngineError('invalid_input', 'a HAR file has log.entries: this one does not');
  return entries.map((e, i) => {
    const req = e.request;
    if (!req?.method || !req.url) throw new EngineError('invalid_input', `HAR entry ${i + 1} has no request method or URL`);
    const post = req.postData;
    const body = post?.text === undefined ? Buffer.alloc(0) : Buffer.from(post.text, post._encoding === 'base64' || post.encoding === 'base64' ? 'base64' : 'utf8');
    const content = e.response?.content;
    const when = e.startedDateTime ? Date.parse(e.startedDateTime) : NaN;
    return {
      method: req.method,
      ...splitUrl(req.url),
      httpVersion: (req.httpVersion ?? 'HTTP/1.1').replace(/^HTTP\//i, ''),
      headers: (req.headers ?? []).map((h): HeaderPair => [h.name, h.value]),
      body,
      receivedAt: Number.isNaN(when) ? null : when,
      response:
        typeof e.response?.status === 'number' && e.response.status > 0
          ? {
              status: e.response.status,
              headers: (e.response.headers ?? []).map((h): HeaderPair => [h.name, h.value]),
              body: content?.text === undefined ? Buffer.alloc(0) : Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8'),
            }
          : null,
    };
  });
}

/** Splits a shell command line into words: '…', "…", $'…' (with \xHH escapes) and backslash continuations. */
export function shellWords(line: string): (string | Buffer)[] {
  const words: (string | Buffer)[] = [];
  let current: number[] = [];
  let inWord = false;
  const push = (s: string) => current.push(...Buffer.from(s));
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(Buffer.from(current));
      current = [];
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new EngineError('invalid_input', 'an opening quote \' is never closed');
      push(line.slice(i + 1, end));
      i = end + 1;
    } else if (c === '$' && line[i + 1] === "'") {
      i += 2;
      while (i < line.length && line[i] !== "'") {
        if (line[i] === '\\') {
          const n = line[i + 1];
          const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34, '0': 0, a: 7, b: 8, e: 27, f: 12, v: 11 };
          if (n === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(line.slice(i + 2))![0];
            current.push(parseInt(hex, 16));
            i += 2 + hex.length;
            continue;
          }
          if (n !== undefined && n in simple) {
            current.push(simple[n]!);
            i += 2;
            continue;
          }
          push(n ?? '');
          i += 2;
          continue;
        }
        push(line[i]!);
        i++;
      }
      if (line[i] !== "'") throw new EngineError('invalid_input', "a $'…' quote is never closed");
      i++;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) i++;
        push(line[i]!);
        i++;
      }
      if (line[i] !== '"') throw new EngineError('invalid_input', 'an opening quote " is never closed');
      i++;
    } else if (c === '\\') {
      push(line[i + 1] ?? '');
      i += 2;
    } else {
      push(c);
      i++;
    }
  }
  if (inWord) words.push(Buffer.from(current));
  return words;
}

export function fromCurl(text: string): ImportedRequest[] {
  const words = shellWords(text.trim());
  if (words[0]?.toString() !== 'curl') throw new EngineError('invalid_input', 'a cURL command starts with curl');
  let method: string | null = null;
  let url: string | null = null;
  const headers: HeaderPair[] = [];
  const data: Buffer[] = [];
  const takesValue = new Set(['-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--url', '-u', '--user', '-A', '--user-agent', '-o', '--output', '-m', '--max-time', '--connect-timeout', '-e', '--referer']);
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!.toString();
    const value = () => {
      const v = words[++i];
      if (v === undefined) throw new EngineError('invalid_input', `${word} needs a value`);
      return v;
    };
    if (word === '-X' || word === '--request') method = value().toString();
    else if (word === '-H' || word === '--header') {
      const h = value().toString();
      const colon = h.indexOf(':');
      if (colon <= 0) throw new EngineError('invalid_input', `not a header: "${h}"`);
      headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii'].includes(word)) {
      const v = value();
      if (word !== '--data-raw' && v.toString().startsWith('@')) throw new EngineError('invalid_input', `${word} ${v.toString()} reads a file; paste the body itself`);
      data.push(Buffer.from(v));
    } else if (word === '-A' || word === '--user-agent') headers.push(['User-Agent', value().toString()]);
    else if (word === '--url') url = value().toString();
    else if (takesValue.has(word)) value();
    else if (!word.startsWith('-')) url = word;
  }
  if (!url) throw new EngineError('invalid_input', 'the cURL command has no URL');
  const body = data.length <= 1 ? (data[0] ?? Buffer.alloc(0)) : Buffer.from(data.map((d) => d.toString()).join('&'));
  return [{ method: method ?? (data.length ? 'POST' : 'GET'), ...splitUrl(url), httpVersion: '1.1', headers, body, receivedAt: null, response: null }];
}

export function parseImport(format: ImportFormat, input: string | Buffer): ImportedRequest[] {
  const text = input.toString('utf8');
  switch (format) {
    case 'har':
      return fromHar(text);
    case 'curl':
      return fromCurl(text);
    case 'http':
      return [{ ...parseRawRequest(typeof input === 'string' ? Buffer.from(input, 'utf8') : input), receivedAt: null, response: null }];
    default: {
      const unknown: never = format;
      throw new EngineError('invalid_input', `unknown import format ${String(unknown)}`);
    }
  }
}

/** Recognises the format of pasted text. */
export function detectFormat(text: string): ImportFormat {
  const t = text.trimStart();
  if (t.startsWith('{')) return 'har';
  if (/^curl(\s|$)/.test(t)) return 'curl';
  return 'http';
}
