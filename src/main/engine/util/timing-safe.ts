/**
 * The one place that compares secrets. `crypto.timingSafeEqual` throws on a
 * length mismatch; here a length mismatch is simply "not equal", so a
 * malformed signature can never become a 500.
 */
import { timingSafeEqual } from 'node:crypto';

export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = typeof a === 'string' ? Buffer.from(a) : a;
  const right = typeof b === 'string' ? Buffer.from(b) : b;
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
