/** Retry schedules published by real senders, and the arithmetic of a schedule. */
import type { PolicyName, RetryPolicy } from '../../../shared/sender';
import { EngineError } from '../errors';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

export const POLICIES: { [K in PolicyName]: RetryPolicy } = {
  // Seed 003: immediately, then 1 s, 2 s, 4 s, 8 s (5 attempts, multiplier 2, initial 1000 ms).
  envoyou: { name: 'envoyou', maxAttempts: 5, schedule: [1 * S], multiplier: 2, jitter: 0, timeoutMs: 10 * S },
  // Standard Webhooks' example: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, with jitter.
  'standard-webhooks': {
    name: 'standard-webhooks',
    maxAttempts: 10,
    schedule: [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H],
    multiplier: 1,
    jitter: 0.1,
    timeoutMs: 15 * S,
  },
  // Stripe documents "up to three days with exponential backoff"; this doubling from 1 min reaches 3 days in 13 attempts.
  stripe: { name: 'stripe', maxAttempts: 13, schedule: [1 * M], multiplier: 2, jitter: 0.1, timeoutMs: 20 * S },
  // GitHub counts a delivery failed after 10 s and does not retry by itself.
  github: { name: 'github', maxAttempts: 1, schedule: [], multiplier: 1, jitter: 0, timeoutMs: 10 * S },
  once: { name: 'once', maxAttempts: 1, schedule: [], multiplier: 1, jitter: 0, timeoutMs: 10 * S },
};

export function resolvePolicy(policy: PolicyName | RetryPolicy | undefined, fallback: PolicyName): RetryPolicy {
  if (policy === undefined) return POLICIES[fallback];
  if (typeof policy === 'string') {
    const found = (POLICIES as Record<string, RetryPolicy | undefined>)[policy];
    if (!found) throw new EngineError('invalid_input', `unknown policy "${policy}" (known: ${Object.keys(POLICIES).join(', ')})`);
    return found;
  }
  const p = policy;
  const ok =
    typeof p.name === 'string' &&
    Number.isInteger(p.maxAttempts) && p.maxAttempts >= 1 && p.maxAttempts <= 50 &&
    Array.isArray(p.schedule) && p.schedule.every((d) => Number.isFinite(d) && d >= 0) &&
    Number.isFinite(p.multiplier) && p.multiplier >= 1 &&
    Number.isFinite(p.jitter) && p.jitter >= 0 && p.jitter <= 1 &&
    Number.isInteger(p.timeoutMs) && p.timeoutMs >= 100 && p.timeoutMs <= 120_000;
  if (!ok) throw new EngineError('invalid_input', 'a policy needs 1-50 attempts, delays >= 0, multiplier >= 1, jitter 0-1, timeout 100-120000 ms');
  return { name: p.name, maxAttempts: p.maxAttempts, schedule: [...p.schedule], multiplier: p.multiplier, jitter: p.jitter, timeoutMs: p.timeoutMs };
}

export { delayBefore } from '../../../shared/sender';

export function withJitter(delay: number, jitter: number, random = Math.random): number {
  return Math.max(0, Math.round(delay * (1 + jitter * (random() * 2 - 1))));
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
