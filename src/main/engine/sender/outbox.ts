/**
 * Outgoing deliveries and their attempts, kept in SQLite so pending retries
 * resume after a restart. Each attempt is signed afresh (timestamped schemes
 * need a current timestamp) with the same delivery id, sent, logged, and the
 * next one planned on the policy's schedule, compressed by the time scale.
 */
import type { HeaderPair } from '../../../shared/model';
import type { AttemptOutcome, Outbound, OutboundStatus, ProfileId, RetryPolicy } from '../../../shared/sender';
import type { Clock } from '../clock';
import { EngineError } from '../errors';
import type { Db } from '../store/database';
import { classify, sendOnce } from './http-attempt';
import { delayBefore, retryAfterMs, withJitter } from './policies';
import { getProfile, type SignContext } from './profiles';
import { newId } from './sample-data';

interface OutboundRow {
  id: string;
  subscription_id: string | null;
  profile: ProfileId;
  event: string;
  target_url: string;
  payload: string;
  extra_headers_json: string;
  secret_sealed: Buffer | null;
  issuer: string | null;
  policy_json: string;
  time_scale: number;
  status: OutboundStatus;
  created_at: number;
  next_attempt_at: number | null;
  next_offset_ms: number;
}

interface AttemptRow {
  number: number;
  planned_offset_ms: number;
  started_at: number;
  duration_ms: number;
  request_headers_json: string;
  status: number | null;
  response_headers_json: string;
  response_body: string;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface NewOutbound {
  subscriptionId: string | null;
  profile: ProfileId;
  event: string;
  targetUrl: string;
  payload: string;
  extraHeaders: HeaderPair[];
  secretSealed: Buffer | null;
  issuer: string | null;
  policy: RetryPolicy;
  timeScale: number;
}

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  /** The secret (opened) and key for signing one outbound. */
  credentials(row: { subscriptionId: string | null; secretSealed: Buffer | null; issuer: string | null }): Pick<SignContext, 'secret' | 'key'>;
  /** A 410 Gone: the subscription stops. */
  disableSubscription(id: string, reason: string): void;
  onChange(outbound: Outbound): void;
}

export type Outbox = ReturnType<typeof createOutbox>;

const RFC8935_ERRORS = ['invalid_request', 'invalid_key', 'invalid_issuer', 'invalid_audience', 'authentication_failed', 'access_denied'];

/** A SET recipient's 400 {err, description} (RFC 8935 §2.3): permanent, so retrying cannot help. */
export function rfc8935Error(status: number | null, headers: HeaderPair[], body: string): string | null {
  if (status !== 400) return null;
  if (!headers.some(([k, v]) => k.toLowerCase() === 'content-type' && /json/i.test(v))) return null;
  try {
    const parsed = JSON.parse(body) as { err?: unknown; description?: unknown };
    if (typeof parsed.err !== 'string' || !RFC8935_ERRORS.includes(parsed.err)) return null;
    return `RFC 8935 ${parsed.err}${typeof parsed.description === 'string' ? `: ${parsed.description}` : ''} (a permanent error: no retry)`;
  } catch {
    return null;
  }
}

export function createOutbox(deps: OutboxDeps) {
  const { db, clock } = deps;
  const insert = db.prepare(`INSERT INTO outbound (id, subscription_id, profile, event, target_url, payload, extra_headers_json,
      secret_sealed, issuer, policy_json, time_scale, status, created_at, next_attempt_at, next_offset_ms)
    VALUES (@id, @subscriptionId, @profile, @event, @targetUrl, @payload, @extraHeaders, @secretSealed, @issuer, @policy,
      @timeScale, 'pending', @now, @now, 0)`);
  const byId = db.prepare<[string], OutboundRow>('SELECT * FROM outbound WHERE id = ?');
  const pending = db.prepare<[], OutboundRow>("SELECT * FROM outbound WHERE status = 'pending'");
  const attemptsOf = db.prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE outbound_id = ? ORDER BY number');
  const bySubscription = db.prepare<[string, number, number], OutboundRow>(
    'SELECT * FROM outbound WHERE subscription_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
  );
  const countBySubscription = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbound WHERE subscription_id = ?');
  const recent = db.prepare<[number], OutboundRow>('SELECT * FROM outbound ORDER BY created_at DESC, id LIMIT ?');
  const insertAttempt = db.prepare(`INSERT INTO attempts (outbound_id, number, planned_offset_ms, started_at, duration_ms,
      request_headers_json, status, response_headers_json, response_body, error, outcome)
    VALUES (@outboundId, @number, @plannedOffsetMs, @startedAt, @durationMs, @requestHeaders, @status, @responseHeaders,
      @responseBody, @error, @outcome)`);
  const updateState = db.prepare('UPDATE outbound SET status = ?, next_attempt_at = ?, next_offset_ms = ? WHERE id = ?');
  const cancelForSubscription = db.prepare(
    "UPDATE outbound SET status = 'cancelled', next_attempt_at = NULL WHERE subscription_id = ? AND status = 'pending' RETURNING id",
  );
  const recordAttempt = db.transaction((row: Record<string, unknown>, status: OutboundStatus, next: number | null, offset: number) => {
    insertAttempt.run(row);
    updateState.run(status, next, offset, row.outboundId);
  });

  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const toOutbound = (row: OutboundRow): Outbound => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    profile: row.profile,
    event: row.event,
    targetUrl: row.target_url,
    status: row.status,
    policy: JSON.parse(row.policy_json) as RetryPolicy,
    timeScale: row.time_scale,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    payload: row.payload,
    attempts: attemptsOf.all(row.id).map((a) => ({
      number: a.number,
      plannedOffsetMs: a.planned_offset_ms,
      startedAt: a.started_at,
      durationMs: a.duration_ms,
      requestHeaders: JSON.parse(a.request_headers_json) as HeaderPair[],
      status: a.status,
      responseHeaders: JSON.parse(a.response_headers_json) as HeaderPair[],
      responseBody: a.response_body,
      error: a.error,
      outcome: a.outcome,
    })),
  });

  const mustGet = (id: string) => {
    const row = byId.get(id);
    if (!row) throw new EngineError('not_found', `no outgoing delivery ${id}`);
    return row;
  };

  function schedule(row: OutboundRow) {
    if (closed || row.status !== 'pending' || row.next_attempt_at === null) return;
    clearTimeout(timers.get(row.id));
    const wait = Math.max(0, row.next_attempt_at - clock.now());
    timers.set(
      row.id,
      setTimeout(() => {
        timers.delete(row.id);
        const run = attempt(row.id).finally(() => running.delete(run));
        running.add(run);
      }, wait),
    );
  }

  async function attempt(id: string): Promise<void> {
    const row = byId.get(id);
    if (!row || row.status !== 'pending' || closed) return;
    const policy = JSON.parse(row.policy_json) as RetryPolicy;
    const number = attemptsOf.all(id).length + 1;
    const startedAt = clock.now();
    let requestHeaders: HeaderPair[] = [];
    let result;
    try {
      const credentials = deps.credentials({ subscriptionId: row.subscription_id, secretSealed: row.secret_sealed, issuer: row.issuer });
      const signed = await getProfile(row.profile).sign({
        event: row.event,
        payload: row.payload,
        timestamp: Math.floor(startedAt / 1000),
        deliveryId: row.id,
        ...credentials,
      });
      requestHeaders = [...signed.headers, ...(JSON.parse(row.extra_headers_json) as HeaderPair[])];
      result = await sendOnce(row.target_url, 'POST', requestHeaders, signed.body, policy.timeoutMs);
    } catch (error) {
      result = { status: null, responseHeaders: [], responseBody: '', error: `could not sign: ${(error as Error).message}`, durationMs: 0, retryAfter: undefined };
    }
    if (closed) return;
    const rfc8935 = rfc8935Error(result.status, result.responseHeaders, result.responseBody);
    if (rfc8935) result = { ...result, error: rfc8935 };
    const kind = result.error?.startsWith('could not sign') || rfc8935 ? 'fatal' : classify(result.status);
    let outcome: AttemptOutcome;
    let status: OutboundStatus = 'pending';
    let next: number | null = null;
    let nextOffset = row.next_offset_ms;
    if (kind === 'success') {
      outcome = 'success';
      status = 'delivered';
    } else if (kind === 'disable' || kind === 'fatal') {
      outcome = kind === 'disable' ? 'disabled' : 'failed';
      status = 'failed';
      if (kind === 'disable' && row.subscription_id) deps.disableSubscription(row.subscription_id, 'the receiver answered 410 Gone');
    } else if (number >= policy.maxAttempts) {
      outcome = 'failed';
      status = 'failed';
    } else {
      outcome = 'retry';
      let delay = withJitter(delayBefore(policy, number + 1), policy.jitter);
      const asked = kind === 'slow-down' ? retryAfterMs(result.retryAfter, startedAt) : null;
      if (asked !== null && asked > delay) delay = asked;
      nextOffset = row.next_offset_ms + delay;
      next = clock.now() + Math.round(delay / row.time_scale);
    }
    recordAttempt(
      {
        outboundId: id,
        number,
        plannedOffsetMs: row.next_offset_ms,
        startedAt,
        durationMs: result.durationMs,
        requestHeaders: JSON.stringify(requestHeaders),
        status: result.status,
        responseHeaders: JSON.stringify(result.responseHeaders),
        responseBody: result.responseBody,
        error: result.error,
        outcome,
      },
      status,
      next,
      nextOffset,
    );
    const updated = mustGet(id);
    deps.onChange(toOutbound(updated));
    schedule(updated);
  }

  return {
    enqueue(input: NewOutbound): Outbound {
      if (!(input.timeScale >= 1 && input.timeScale <= 1e7)) throw new EngineError('invalid_input', 'the time scale is from 1 (real time) to 10000000');
      const id = newId('out_', 8);
      insert.run({
        id,
        subscriptionId: input.subscriptionId,
        profile: input.profile,
        event: input.event,
        targetUrl: input.targetUrl,
        payload: input.payload,
        extraHeaders: JSON.stringify(input.extraHeaders),
        secretSealed: input.secretSealed,
        issuer: input.issuer,
        policy: JSON.stringify(input.policy),
        timeScale: input.timeScale,
        now: clock.now(),
      });
      const row = mustGet(id);
      schedule(row);
      const outbound = toOutbound(row);
      deps.onChange(outbound);
      return outbound;
    },
    get: (id: string): Outbound => toOutbound(mustGet(id)),
    recent: (limit: number): Outbound[] => recent.all(limit).map(toOutbound),
    forSubscription: (subscriptionId: string, limit: number, offset: number) => ({
      items: bySubscription.all(subscriptionId, limit, offset).map(toOutbound),
      total: countBySubscription.get(subscriptionId)?.n ?? 0,
    }),
    cancelForSubscription(subscriptionId: string) {
      for (const { id } of cancelForSubscription.all(subscriptionId) as { id: string }[]) {
        clearTimeout(timers.get(id));
        timers.delete(id);
      }
    },
    /** Picks up retries left pending by an earlier run. */
    resume() {
      for (const row of pending.all()) schedule(row);
    },
    /** Resolves when nothing is in flight. */
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
