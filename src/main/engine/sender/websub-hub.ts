/**
 * Hookbench as a WebSub hub, the way Asgardeo (seed 002) subscribes: one
 * verification GET per subscribed event type, a fresh random challenge and a
 * lease; a topic is verified only by a 2xx whose body is exactly the
 * challenge. Events go only to verified topics; deactivating unsubscribes;
 * leases are renewed before they end.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { HubTopic, Subscription, VerificationResult } from '../../../shared/sender';
import type { Clock } from '../clock';
import type { Db } from '../store/database';
import { sendOnce } from './http-attempt';

export const DEFAULT_LEASE_SECONDS = 864_000;
const VERIFY_TIMEOUT_MS = 10_000;
/** Leases are renewed when this share of them has passed. */
const RENEW_AT = 0.9;
/** setTimeout cannot wait longer than this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The Asgardeo event type an event belongs to: its topic. */
export function eventGroupOf(event: string): string {
  if (event.startsWith('login')) return 'login';
  if (event.startsWith('registration')) return 'registration';
  if (/token/i.test(event)) return 'token';
  if (event.startsWith('session')) return 'session';
  if (event.startsWith('credential')) return 'credential';
  return 'userAccountManagement';
}

/** `{org-domain}.{org-id}.schema.{profile}.{version}.event.{type}`, as seed 002 documents. */
export function topicFor(subscription: Pick<Subscription, 'id' | 'issuer'>, group: string): string {
  const orgDomain = /\/t\/([^/]+)/.exec(subscription.issuer ?? '')?.[1] ?? 'myorg';
  const h = createHash('sha256').update(subscription.id).digest('hex');
  const orgId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `${orgDomain}.${orgId}.schema.wso2.v1.event.${group}`;
}

/** One verification GET, as a strict hub sends it: no redirects, a deadline, the body compared exactly. */
export async function verifySubscriber(
  callback: string,
  mode: 'subscribe' | 'unsubscribe',
  topic: string,
  leaseSeconds: number | null,
  timeoutMs = VERIFY_TIMEOUT_MS,
): Promise<VerificationResult> {
  const challenge = randomUUID();
  const url = new URL(callback);
  url.searchParams.set('hub.mode', mode);
  url.searchParams.set('hub.topic', topic);
  url.searchParams.set('hub.challenge', challenge);
  if (leaseSeconds !== null) url.searchParams.set('hub.lease_seconds', String(leaseSeconds));
  const answer = await sendOnce(url.href, 'GET', [['User-Agent', 'Hookbench-WebSub-Hub/1.0']], Buffer.alloc(0), timeoutMs);
  const base = { status: answer.status, durationMs: answer.durationMs, challenge, url: url.href };
  if (answer.status === null) {
    const timedOut = answer.error?.includes('no answer within');
    return { ...base, ok: false, reason: timedOut ? `timeout: ${answer.error}` : `no answer: ${answer.error}` };
  }
  if (answer.status >= 300 && answer.status < 400) {
    return { ...base, ok: false, reason: `answered ${answer.status}: redirects are not followed, the callback must answer itself` };
  }
  if (answer.status < 200 || answer.status >= 300) return { ...base, ok: false, reason: `answered ${answer.status}; a 2xx with the challenge is needed` };
  if (answer.responseBody !== challenge) {
    const got = answer.responseBody.length > 60 ? `${answer.responseBody.slice(0, 60)}…` : answer.responseBody;
    return { ...base, ok: false, reason: `answered ${answer.status} but the body was not the challenge (expected "${challenge}", got "${got}")` };
  }
  return { ...base, ok: true, reason: `answered ${answer.status} with the challenge` };
}

interface Row {
  subscription_id: string;
  topic: string;
  event_group: string;
  state: HubTopic['state'];
  reason: string | null;
  lease_seconds: number;
  verified_at: number | null;
  lease_expires_at: number | null;
}

const toTopic = (r: Row): HubTopic => ({
  topic: r.topic,
  eventGroup: r.event_group,
  state: r.state,
  reason: r.reason,
  leaseSeconds: r.lease_seconds,
  verifiedAt: r.verified_at,
  leaseExpiresAt: r.lease_expires_at,
});

export type Hub = ReturnType<typeof createHub>;

export function createHub(db: Db, clock: Clock, onChange: (subscriptionId: string) => void) {
  const list = db.prepare<[string], Row>('SELECT * FROM hub_topics WHERE subscription_id = ? ORDER BY event_group');
  const upsert = db.prepare(`INSERT INTO hub_topics (subscription_id, topic, event_group, state, reason, lease_seconds, verified_at,
      lease_expires_at, updated_at) VALUES (@subscriptionId, @topic, @group, @state, @reason, @lease, @verifiedAt, @expires, @now)
    ON CONFLICT (subscription_id, topic) DO UPDATE SET state = excluded.state, reason = excluded.reason,
      verified_at = COALESCE(excluded.verified_at, hub_topics.verified_at), lease_expires_at = excluded.lease_expires_at,
      updated_at = excluded.updated_at`);
  const verifiedWithLease = db.prepare<[], Row>("SELECT * FROM hub_topics WHERE state = 'verified' AND lease_expires_at IS NOT NULL");
  const renewals = new Map<string, NodeJS.Timeout>();
  let closed = false;

  const scheduleRenewal = (sub: Subscription, topic: HubTopic, resolve: () => Subscription | null) => {
    const key = `${sub.id} ${topic.topic}`;
    clearTimeout(renewals.get(key));
    if (closed || topic.leaseExpiresAt === null || topic.verifiedAt === null) return;
    const renewAt = topic.verifiedAt + (topic.leaseExpiresAt - topic.verifiedAt) * RENEW_AT;
    const timer = setTimeout(() => {
      renewals.delete(key);
      const current = resolve();
      if (current && current.status === 'ACTIVE') void verifyTopic(current, topic.eventGroup, 'subscribe', resolve);
    }, Math.min(MAX_TIMER_MS, Math.max(0, renewAt - clock.now())));
    timer.unref();
    renewals.set(key, timer);
  };

  async function verifyTopic(sub: Subscription, group: string, mode: 'subscribe' | 'unsubscribe', resolve: () => Subscription | null): Promise<HubTopic> {
    const topic = topicFor(sub, group);
    const lease = DEFAULT_LEASE_SECONDS;
    const result = await verifySubscriber(sub.endpointUrl, mode, topic, mode === 'subscribe' ? lease : null);
    const now = clock.now();
    const state: HubTopic['state'] = mode === 'subscribe' ? (result.ok ? 'verified' : 'failed') : result.ok ? 'unsubscribed' : 'unsubscribe-failed';
    if (!closed) {
      upsert.run({
        subscriptionId: sub.id,
        topic,
        group,
        state,
        reason: result.ok ? null : result.reason,
        lease,
        verifiedAt: state === 'verified' ? now : null,
        expires: state === 'verified' ? now + lease * 1000 : null,
        now,
      });
      onChange(sub.id);
    }
    const saved = list.all(sub.id).map(toTopic).find((t) => t.topic === topic)!;
    if (state === 'verified') scheduleRenewal(sub, saved, resolve);
    return saved;
  }

  return {
    topics: (subscriptionId: string): HubTopic[] => list.all(subscriptionId).map(toTopic),
    /** Groups of the subscription's events, each verified (subscribe) or released (unsubscribe). */
    async verifyAll(sub: Subscription, mode: 'subscribe' | 'unsubscribe', resolve: () => Subscription | null, only?: string): Promise<HubTopic[]> {
      const groups = [...new Set(sub.events.map(eventGroupOf))].filter((g) => only === undefined || g === only || topicFor(sub, g) === only);
      if (mode === 'subscribe') {
        // Mark them pending first so the UI shows the handshake in progress.
        for (const group of groups) {
          upsert.run({ subscriptionId: sub.id, topic: topicFor(sub, group), group, state: 'pending', reason: null, lease: DEFAULT_LEASE_SECONDS, verifiedAt: null, expires: null, now: clock.now() });
        }
        onChange(sub.id);
      }
      return Promise.all(groups.map((g) => verifyTopic(sub, g, mode, resolve)));
    },
    /** The topic an event goes to, if verified. */
    verifiedTopic(sub: Subscription, event: string): HubTopic | { missing: string } {
      const topic = topicFor(sub, eventGroupOf(event));
      const found = list.all(sub.id).map(toTopic).find((t) => t.topic === topic);
      if (found?.state === 'verified') return found;
      return { missing: found ? `the topic ${topic} is ${found.state}${found.reason ? `: ${found.reason}` : ''}` : `the topic ${topic} was never verified` };
    },
    /** Re-arms lease renewals after a restart. */
    resume(resolve: (id: string) => Subscription | null) {
      for (const row of verifiedWithLease.all()) {
        const sub = resolve(row.subscription_id);
        if (sub) scheduleRenewal(sub, toTopic(row), () => resolve(row.subscription_id));
      }
    },
    close() {
      closed = true;
      for (const t of renewals.values()) clearTimeout(t);
      renewals.clear();
    },
  };
}
