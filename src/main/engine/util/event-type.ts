/**
 * The event a delivery carries, as its sender names it, for filtering:
 * a header where the sender has one, else the body's `type`, else the SET's
 * event URI (its last segment).
 */
import type { HeaderPair } from '../../../shared/model';

const EVENT_HEADERS = ['x-engageplus-event', 'x-envoyou-event-type', 'x-github-event', 'x-event-type', 'x-webhook-event'];

function lastSegment(uri: string): string {
  return uri.split(/[/#:]/).filter(Boolean).pop() ?? uri;
}

function fromClaims(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as { type?: unknown; event?: unknown; events?: unknown };
  if (typeof v.type === 'string') return v.type;
  if (typeof v.event === 'string') return v.event;
  if (v.events && typeof v.events === 'object') {
    const first = Object.keys(v.events)[0];
    if (first) return lastSegment(first);
  }
  return null;
}

export function eventTypeOf(headers: HeaderPair[], body: Buffer): string | null {
  for (const [k, v] of headers) if (EVENT_HEADERS.includes(k.toLowerCase()) && v) return v.slice(0, 120);
  if (body.length === 0 || body.length > 1_000_000) return null;
  const text = body.toString('utf8').trim();
  try {
    if (text.startsWith('{')) return fromClaims(JSON.parse(text))?.slice(0, 120) ?? null;
    const parts = text.split('.');
    if (parts.length === 3 && text.startsWith('eyJ')) return fromClaims(JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()))?.slice(0, 120) ?? null;
  } catch {
    // not JSON, not a JWT: no event type
  }
  return null;
}
