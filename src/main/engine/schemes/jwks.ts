/**
 * Loads public key sets for JWT verification: pasted JSON, or a URL fetched
 * with a deadline, a size cap and a short cache. Only the configured source is
 * ever fetched; `jku`/`x5u` in a token are never followed (RFC 8725).
 */
import type { JwksSource } from '../../../shared/verdict';
import type { KeySetResult } from './types';

export const JWKS_TIMEOUT_MS = 3_000;
export const JWKS_MAX_BYTES = 1024 * 1024;
const CACHE_MS = 5 * 60_000;
const FAILURE_CACHE_MS = 5_000;

export function parseKeySet(text: string, source: string): KeySetResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `the key set from ${source} is not JSON` };
  }
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)) {
    const keys = (parsed as { keys: unknown[] }).keys.filter((k): k is Record<string, unknown> => !!k && typeof k === 'object' && !Array.isArray(k));
    return { ok: true, keys, source };
  }
  if (parsed && typeof parsed === 'object' && typeof (parsed as { kty?: unknown }).kty === 'string') {
    return { ok: true, keys: [parsed as Record<string, unknown>], source };
  }
  return { ok: false, reason: `the key set from ${source} has no "keys" array` };
}

async function readCapped(response: Response, limit: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface KeyLoader {
  load(source: JwksSource): Promise<KeySetResult>;
}

export function createKeyLoader(
  now: () => number = Date.now,
  timeoutMs = JWKS_TIMEOUT_MS,
  ownKeys: () => { keys: Record<string, unknown>[] } = () => ({ keys: [] }),
): KeyLoader {
  const cache = new Map<string, { at: number; result: KeySetResult }>();
  const pasted = new Map<string, KeySetResult>();
  return {
    async load(source) {
      if (source.kind === 'own') return { ok: true, keys: ownKeys().keys, source: "Hookbench's own keys" };
      if (source.kind === 'json') {
        let result = pasted.get(source.json);
        if (!result) {
          if (pasted.size >= 32) pasted.clear();
          result = parseKeySet(source.json, 'the pasted key set');
          pasted.set(source.json, result);
        }
        return result;
      }
      const cached = cache.get(source.url);
      if (cached && now() - cached.at < (cached.result.ok ? CACHE_MS : FAILURE_CACHE_MS)) return cached.result;
      const result = await fetchKeySet(source.url, timeoutMs);
      cache.set(source.url, { at: now(), result });
      return result;
    },
  };
}

async function fetchKeySet(url: string, timeoutMs: number): Promise<KeySetResult> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return { ok: false, reason: `"${url}" is not a URL` };
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
    return { ok: false, reason: `key sets are fetched over http or https only, not ${parsedUrl.protocol}` };
  }
  try {
    const response = await fetch(parsedUrl, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { Accept: 'application/json' } });
    if (!response.ok) return { ok: false, reason: `the key set URL answered ${response.status}` };
    const declared = Number(response.headers.get('content-length'));
    if (declared > JWKS_MAX_BYTES) return { ok: false, reason: `the key set is ${declared} bytes, over the ${JWKS_MAX_BYTES}-byte limit` };
    const text = await readCapped(response, JWKS_MAX_BYTES);
    if (text === null) return { ok: false, reason: `the key set is over the ${JWKS_MAX_BYTES}-byte limit` };
    return parseKeySet(text, url);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, reason: `the key set URL did not answer within ${timeoutMs} ms` };
    return { ok: false, reason: `the key set could not be fetched: ${e.cause?.code ?? e.cause?.message ?? e.message}` };
  }
}
