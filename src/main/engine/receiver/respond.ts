/**
 * What the receiver answers, decided after the delivery is judged: the
 * endpoint's configured response, a WebSub verification answer, an RFC 8935
 * recipient's 202/400, or a chosen status for a bad signature.
 */
import type { DeliveryOutcome, Endpoint, HeaderPair, SubscriberTopic } from '../../../shared/model';
import type { Verdict } from '../../../shared/verdict';

export interface Planned {
  status: number;
  headers: HeaderPair[];
  body: Buffer;
  delayMs: number;
}

const JSON_HEADERS: HeaderPair[] = [['Content-Type', 'application/json']];
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The hub.* parameters of a WebSub verification GET, or null when it is not one. */
export function webSubVerification(method: string, query: string): { mode: string; topic: string; challenge: string; leaseSeconds: number | null } | null {
  if (method !== 'GET') return null;
  const params = new URLSearchParams(query);
  const mode = params.get('hub.mode');
  if (mode === null) return null;
  const lease = Number(params.get('hub.lease_seconds'));
  return { mode, topic: params.get('hub.topic') ?? '', challenge: params.get('hub.challenge') ?? '', leaseSeconds: Number.isFinite(lease) && lease > 0 ? lease : null };
}

/** The answer to a verification GET, and the topic state it leaves behind (null when nothing changes). */
export function answerVerification(
  endpoint: Endpoint,
  v: NonNullable<ReturnType<typeof webSubVerification>>,
  now: number,
): { planned: Planned; topic: SubscriberTopic | null } {
  const { websub } = endpoint.behaviour;
  const text = (status: number, body: string, delayMs = 0): Planned => ({ status, headers: [['Content-Type', 'text/plain']], body: Buffer.from(body), delayMs });
  if (v.mode === 'denied') {
    // The hub refused the subscription: acknowledge and remember.
    return { planned: text(200, ''), topic: { topic: v.topic, state: 'denied', leaseExpiresAt: null, updatedAt: now } };
  }
  if ((v.mode !== 'subscribe' && v.mode !== 'unsubscribe') || !v.challenge) {
    return { planned: text(400, 'hub.mode must be subscribe, unsubscribe or denied, with a hub.challenge'), topic: null };
  }
  const allowed = websub.topics.length === 0 || websub.topics.includes(v.topic);
  if (websub.answer === 'refuse' || !allowed) {
    return { planned: text(404, 'not subscribed to this topic'), topic: { topic: v.topic, state: 'refused', leaseExpiresAt: null, updatedAt: now } };
  }
  const state: SubscriberTopic['state'] = v.mode === 'subscribe' ? 'verified' : 'unsubscribed';
  const lease = v.mode === 'subscribe' && v.leaseSeconds ? now + v.leaseSeconds * 1000 : null;
  const topic = { topic: v.topic, state, leaseExpiresAt: lease, updatedAt: now };
  switch (websub.answer) {
    case 'echo':
      return { planned: text(200, v.challenge), topic };
    case 'slow':
      return { planned: text(200, v.challenge, websub.slowMs), topic };
    case 'wrong-challenge':
      return { planned: text(200, `${v.challenge}-not`), topic: null };
    default: {
      const unknown: never = websub.answer;
      throw new Error(`unknown WebSub answer ${String(unknown)}`);
    }
  }
}

/** RFC 8935 §2.3: the error code for the first failed check. */
export function rfc8935Error(verdict: Verdict): { err: string; description: string } {
  const failed = verdict.checks.find((c) => c.status === 'fail');
  const description = failed ? `${failed.label}: ${failed.reason}` : 'the SET was not accepted';
  switch (failed?.id) {
    case 'iss':
      return { err: 'invalid_issuer', description };
    case 'aud':
      return { err: 'invalid_audience', description };
    case 'signature':
    case 'alg':
    case 'kid':
      return { err: 'invalid_key', description };
    default:
      return { err: 'invalid_request', description };
  }
}

export function planResponse(
  outcome: DeliveryOutcome,
  endpoint: Endpoint | undefined,
  verdict: Verdict | null,
  path: string,
  bodyLimit: number,
): Planned {
  switch (outcome) {
    case 'too-large':
      return {
        status: 413,
        headers: JSON_HEADERS,
        body: json({ error: `body larger than the limit of ${bodyLimit} bytes; the request line and headers were kept` }),
        delayMs: 0,
      };
    case 'unknown-endpoint':
      return {
        status: 404,
        headers: JSON_HEADERS,
        body: json({ error: `no endpoint at ${path}`, hint: 'endpoints listen at /e/<name>; this request was captured anyway and is shown in Hookbench' }),
        delayMs: 0,
      };
    case 'verification':
      throw new Error('verification answers come from answerVerification');
    case 'imported':
      throw new Error('imported deliveries are never answered');
    case 'captured': {
      const e = endpoint!;
      if (e.behaviour.rfc8935 && verdict) {
        if (verdict.outcome === 'not-authentic') return { status: 400, headers: JSON_HEADERS, body: json(rfc8935Error(verdict)), delayMs: e.response.delayMs };
        return { status: 202, headers: [], body: Buffer.alloc(0), delayMs: e.response.delayMs };
      }
      if (e.behaviour.invalidSignatureStatus !== null && verdict?.outcome === 'not-authentic') {
        return {
          status: e.behaviour.invalidSignatureStatus,
          headers: JSON_HEADERS,
          body: json({ error: 'signature not accepted', reasons: verdict.checks.filter((c) => c.status === 'fail').map((c) => c.reason) }),
          delayMs: e.response.delayMs,
        };
      }
      return { status: e.response.status, headers: e.response.headers, body: Buffer.from(e.response.body), delayMs: e.response.delayMs };
    }
    default: {
      const unknown: never = outcome;
      throw new Error(`unhandled outcome ${String(unknown)}`);
    }
  }
}
