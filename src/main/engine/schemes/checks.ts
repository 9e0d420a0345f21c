/** Building blocks shared by the schemes: header access, check lists, time and signature comparisons. */
import type { HeaderPair } from '../../../shared/model';
import type { Check, CheckStatus, SignedContent, Verdict, VerdictOutcome } from '../../../shared/verdict';
import { safeEqual } from '../util/timing-safe';

/** Every value of a header, case-insensitive, repeats kept apart. */
export function headerValues(headers: HeaderPair[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

export function hasHeader(headers: HeaderPair[], name: string): boolean {
  return headerValues(headers, name).length > 0;
}

export class CheckList {
  readonly checks: Check[] = [];

  add(id: string, label: string, status: CheckStatus, reason: string): CheckStatus {
    this.checks.push({ id, label, status, reason });
    return status;
  }
  pass(id: string, label: string, reason: string) {
    return this.add(id, label, 'pass', reason);
  }
  fail(id: string, label: string, reason: string) {
    return this.add(id, label, 'fail', reason);
  }
  warn(id: string, label: string, reason: string) {
    return this.add(id, label, 'warn', reason);
  }
  skip(id: string, label: string, reason: string) {
    return this.add(id, label, 'skipped', reason);
  }

  /**
   * Reads a header that must appear exactly once. A repeat is judged as a
   * failure of its own: never "whichever copy passes".
   */
  single(headers: HeaderPair[], name: string, id: string, required = true): string | null {
    const values = headerValues(headers, name);
    if (values.length === 1) return values[0]!;
    if (values.length === 0) {
      if (required) this.fail(id, `${name} header`, `the ${name} header is missing`);
      return null;
    }
    this.fail(
      id,
      `${name} header`,
      `the ${name} header appears ${values.length} times; a sender sends it once, so Hookbench will not pick one`,
    );
    return null;
  }
}

/** authentic / not-authentic / unverified, from the checks. */
export function outcomeOf(checks: Check[]): VerdictOutcome {
  if (checks.some((c) => c.status === 'fail')) return 'not-authentic';
  return checks.some((c) => c.id === 'signature' && c.status === 'pass') ? 'authentic' : 'unverified';
}

export function humanDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86400)} days`;
}

/** The year a Unix-seconds value falls in, for explaining millisecond mix-ups. */
export function yearOfSeconds(seconds: number): number {
  const ms = seconds * 1000;
  // Dates past year 275760 are outside Date's range: estimate those arithmetically.
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).getUTCFullYear() : Math.floor(1970 + seconds / 31_556_952);
}

/**
 * Judges a Unix-seconds timestamp against now and a tolerance. Recognises
 * milliseconds and says so, since a verifier assuming seconds sees the far future.
 */
export function checkTimestamp(
  list: CheckList,
  id: string,
  label: string,
  raw: string | number | null,
  nowMs: number,
  toleranceSeconds: number,
): number | null {
  if (raw === null) return null;
  const value = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(value)) {
    list.fail(id, label, `"${String(raw)}" is not a whole number of seconds`);
    return null;
  }
  if (value > 100_000_000_000) {
    list.fail(
      id,
      label,
      `${value} is in milliseconds: read as seconds it is year ${yearOfSeconds(value)}; as milliseconds it is ${new Date(value).toISOString()}`,
    );
    return null;
  }
  const delta = value - nowMs / 1000;
  const when = new Date(value * 1000).toISOString();
  if (Math.abs(delta) <= toleranceSeconds) {
    list.pass(id, label, `${when}, ${humanDuration(delta)} ${delta > 0 ? 'ahead' : 'ago'}: within ±${humanDuration(toleranceSeconds)}`);
  } else if (delta > 0) {
    list.fail(id, label, `${when} is ${humanDuration(delta)} in the future: beyond the allowed ±${humanDuration(toleranceSeconds)}`);
  } else {
    list.fail(
      id,
      label,
      `${when} is ${humanDuration(delta)} old: beyond the allowed ±${humanDuration(toleranceSeconds)} (a replay, or a retry re-sent without re-signing)`,
    );
  }
  return value;
}

/** Index of the first differing character, -1 when equal. */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Constant-time equality of a received and a computed signature. */
export const signaturesEqual = safeEqual;

/** The verdict's record of what was signed, and both signatures side by side. */
export function signedRecord(content: Buffer, variant: string, received: string, computed: string): SignedContent {
  const equal = safeEqual(received, computed);
  return {
    base64: content.toString('base64'),
    variant,
    received,
    computed,
    firstDifference: equal ? -1 : firstDifference(received, computed),
  };
}

/** The first secret whose signature equals the received one, computing each signature once. */
export function matchSecret(
  secrets: string[],
  compute: (secret: string) => string,
  received: string,
): { index: number; computed: string } | null {
  for (const [index, secret] of secrets.entries()) {
    const computed = compute(secret);
    if (safeEqual(received, computed)) return { index, computed };
  }
  return null;
}

/** Records a replay key: a duplicate is a warning (a retry) or a failure (a nonce must never repeat). */
export function checkReplay(
  list: CheckList,
  ctx: { seenBefore(key: string): { deliveryId: number | null } | null },
  key: string,
  label: string,
  what: string,
  duplicateIs: 'warn' | 'fail',
): void {
  const earlier = ctx.seenBefore(key);
  // No id yet: the earlier one arrived moments ago and is still being committed.
  const where = earlier?.deliveryId == null ? 'moments ago (still being stored)' : `in delivery #${earlier.deliveryId}`;
  if (!earlier) {
    list.pass('replay', label, `${what} not seen before on this endpoint`);
  } else if (duplicateIs === 'warn') {
    list.warn('replay', label, `${what} already arrived ${where}: a retry or a replay; process it once`);
  } else {
    list.fail('replay', label, `${what} already arrived ${where}: a replayed request`);
  }
}

export type PartialVerdict = Omit<Verdict, 'scheme' | 'detected' | 'outcome' | 'judgedAt'>;

export function partial(list: CheckList, signed: SignedContent[] = [], replayKey: string | null = null): PartialVerdict {
  return { checks: list.checks, signed, jwt: null, replayKey };
}
