/**
 * Getting deliveries out: copy as cURL (exact bytes), HAR 1.2 (bytes kept, so
 * an import gives them back), and a share-safe copy with secrets, tokens and
 * personal data redacted for support tickets.
 */
import type { DeliveryDetail, HeaderPair } from '../../../shared/model';
import { getHeader } from './headers';

/** Shell-safe $'…' quoting that keeps every byte. */
export function shellQuote(bytes: Buffer | string): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const text = buf.toString('utf8');
  const exact = Buffer.from(text).equals(buf);
  if (exact && /^[A-Za-z0-9_./:=@%+,-]*$/.test(text) && text !== '') return text;
  const plain = [...text].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== "'" && c !== '\\');
  if (exact && plain) return `'${text}'`;
  let out = "$'";
  for (const byte of buf) {
    if (byte === 0x27) out += "\\'";
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}'`;
}

const SKIP_IN_CURL = ['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding'];

export function toCurl(d: Pick<DeliveryDetail, 'method' | 'headers' | 'bodyBase64'>, url: string): string {
  const body = Buffer.from(d.bodyBase64, 'base64');
  const parts = ['curl', '-X', d.method, shellQuote(url)];
  for (const [k, v] of d.headers) if (!SKIP_IN_CURL.includes(k.toLowerCase())) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (body.length > 0) parts.push('--data-binary', shellQuote(body));
  return parts.join(' ');
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large', 503: 'Service Unavailable' };

function harBody(bytes: Buffer): { text: string; encoding?: 'base64' } {
  const text = bytes.toString('utf8');
  return Buffer.from(text).equals(bytes) ? { text } : { text: bytes.toString('base64'), encoding: 'base64' };
}

const harHeaders = (headers: HeaderPair[]) => headers.map(([name, value]) => ({ name, value }));

export function toHar(deliveries: DeliveryDetail[], baseUrl: string, version: string) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'Hookbench', version },
      entries: deliveries.map((d) => {
        const body = Buffer.from(d.bodyBase64, 'base64');
        const response = Buffer.from(d.responseBodyBase64, 'base64');
        const req = harBody(body);
        const res = harBody(response);
        const contentType = getHeader(d.headers, 'content-type') ?? 'application/octet-stream';
        return {
          startedDateTime: new Date(d.receivedAt).toISOString(),
          time: 0,
          request: {
            method: d.method,
            url: `${baseUrl}${d.path}${d.query ? `?${d.query}` : ''}`,
            httpVersion: `HTTP/${d.httpVersion}`,
            cookies: [],
            headers: harHeaders(d.headers),
            queryString: [...new URLSearchParams(d.query)].map(([name, value]) => ({ name, value })),
            ...(body.length > 0 ? { postData: { mimeType: contentType, text: req.text, ...(req.encoding ? { _encoding: req.encoding } : {}) } } : {}),
            headersSize: -1,
            bodySize: d.bodySize,
          },
          response: {
            status: d.responseStatus,
            statusText: STATUS_TEXT[d.responseStatus] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: harHeaders(d.responseHeaders),
            content: { size: response.length, mimeType: getHeader(d.responseHeaders, 'content-type') ?? '', text: res.text, ...(res.encoding ? { encoding: res.encoding } : {}) },
            redirectURL: '',
            headersSize: -1,
            bodySize: response.length,
          },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
          _hookbench: { id: d.id, endpointName: d.endpointName, remoteAddress: d.remoteAddress, verdict: d.verdict?.outcome ?? null, scheme: d.verdict?.scheme ?? null },
        };
      }),
    },
  };
}

const SENSITIVE_HEADER = /authorization|cookie|signature|token|secret|api[-_]?key|password|x-hub/i;
const SENSITIVE_KEY = /e-?mail|name|phone|address|^ip$|ip_address|user_?agent|picture|avatar|login|first_?name|last_?name|birth|ssn|token|secret|password|^sub$|^value$|ref|location|city|country/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const SECRET_LIKE = /\b(?:whsec|whsk|whpk|sk_live|sk_test)_[A-Za-z0-9+/=_-]+/g;

/** Scrubs personal data and tokens out of free text. */
export function scrubText(text: string): string {
  return text.replace(JWT, '[token]').replace(SECRET_LIKE, '[secret]').replace(EMAIL, '[email]').replace(IPV4, '[ip]').replace(IPV6, '[ip]');
}

function redactJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactJson(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, k)]));
  if (typeof value === 'string') return SENSITIVE_KEY.test(key) ? '[redacted]' : scrubText(value);
  if (typeof value === 'number' && SENSITIVE_KEY.test(key)) return 0;
  return value;
}

/** A body with personal data and tokens removed; a JWT keeps its structure but loses its signature. */
export function redactBody(bytes: Buffer): Buffer {
  if (bytes.length === 0) return bytes;
  const text = bytes.toString('utf8');
  if (!Buffer.from(text).equals(bytes)) return Buffer.from(`[binary body of ${bytes.length} bytes redacted]`);
  const trimmed = text.trim();
  if (/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed)) {
    const [h, p] = trimmed.split('.');
    try {
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as unknown;
      const header = Buffer.from(h!, 'base64url').toString();
      return Buffer.from(`${Buffer.from(header).toString('base64url')}.${Buffer.from(JSON.stringify(redactJson(claims))).toString('base64url')}.signature-removed`);
    } catch {
      return Buffer.from('[token]');
    }
  }
  try {
    return Buffer.from(JSON.stringify(redactJson(JSON.parse(text))));
  } catch {
    return Buffer.from(scrubText(text));
  }
}

function redactHeaders(headers: HeaderPair[]): HeaderPair[] {
  return headers.map(([k, v]): HeaderPair => [k, SENSITIVE_HEADER.test(k) ? '[redacted]' : scrubText(v)]);
}

/** A share-safe copy of a delivery: secrets, tokens, personal data and addresses removed, the verdict's reasons kept. */
export function redactDelivery(d: DeliveryDetail): DeliveryDetail {
  const query = [...new URLSearchParams(d.query)].map(([k, v]): [string, string] => [k, SENSITIVE_KEY.test(k) || SENSITIVE_HEADER.test(k) ? '[redacted]' : scrubText(v)]);
  return {
    ...d,
    query: new URLSearchParams(query).toString(),
    headers: redactHeaders(d.headers),
    bodyBase64: redactBody(Buffer.from(d.bodyBase64, 'base64')).toString('base64'),
    remoteAddress: '[ip]',
    remotePort: 0,
    responseHeaders: redactHeaders(d.responseHeaders),
    responseBodyBase64: redactBody(Buffer.from(d.responseBodyBase64, 'base64')).toString('base64'),
    verdict: d.verdict
      ? {
          ...d.verdict,
          checks: d.verdict.checks.map((c) => ({ ...c, reason: scrubText(c.reason) })),
          signed: [],
          jwt: d.verdict.jwt ? { ...d.verdict.jwt, claims: redactJson(d.verdict.jwt.claims) as Record<string, unknown> } : null,
          replayKey: null,
        }
      : null,
  };
}
