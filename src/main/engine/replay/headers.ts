/** Header-list edits that keep the original names' casing and order. */
import type { HeaderPair } from '../../../shared/model';

export function getHeader(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Sets a header: replaces the first of that name in place (dropping repeats), or appends it. */
export function setHeader(headers: HeaderPair[], name: string, value: string): HeaderPair[] {
  const lower = name.toLowerCase();
  const index = headers.findIndex(([k]) => k.toLowerCase() === lower);
  if (index === -1) return [...headers, [name, value]];
  return headers.flatMap((pair, i): HeaderPair[] => (i === index ? [[pair[0], value]] : pair[0].toLowerCase() === lower ? [] : [pair]));
}

export function removeHeaders(headers: HeaderPair[], names: string[]): HeaderPair[] {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([k]) => !lower.has(k.toLowerCase()));
}

/** Headers that belong to one connection, never to a replay (RFC 9110 §7.6.1), plus Host and the body length. */
export const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'];
