/**
 * The sending side: Hookbench acting as the identity provider. Keys, sender
 * profiles, subscriptions, retry policies and the log of every attempt.
 */
import type { HeaderPair } from './model';
import type { SchemeId } from './verdict';

export type KeyType = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'Ed25519';
export const KEY_TYPES: readonly KeyType[] = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384', 'Ed25519'];

/** active: signs new tokens; published: still in the JWKS (rotation overlap); retired: gone from the JWKS. */
export type KeyStatus = 'active' | 'published' | 'retired';

/** A signing key as the UI sees it: never the private part. */
export interface KeyInfo {
  kid: string;
  name: string;
  /** The `iss` this key signs for. */
  issuer: string;
  type: KeyType;
  alg: string;
  status: KeyStatus;
  createdAt: number;
  retiredAt: number | null;
  publicJwk: Record<string, unknown>;
}

export interface GenerateKeyInput {
  issuer: string;
  type?: KeyType;
  name?: string;
  /** Make it the issuer's active key (the previous active key stays published). Default true. */
  activate?: boolean;
}

export type ProfileId = 'engageplus' | 'voyado' | 'asgardeo' | 'envoyou' | 'tenant-hmac' | 'github' | 'stripe' | 'standard-webhooks';

export type DataScope = 'UUID_ONLY' | 'INCLUDE_USER_DATA';

export interface ProfileInfo {
  id: ProfileId;
  label: string;
  /** The seed document or convention it imitates. */
  source: string;
  scheme: SchemeId;
  /** A shared secret (HMAC) or a signing key (JWT). */
  credential: 'secret' | 'key';
  events: string[];
  defaultIssuer: string | null;
  scopes: DataScope[];
}

export interface RetryPolicy {
  name: string;
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Delay before each retry in ms; when shorter than needed, the last step keeps growing by `multiplier`. */
  schedule: number[];
  multiplier: number;
  /** 0..1: each delay is moved by up to this fraction either way. */
  jitter: number;
  /** Per attempt. */
  timeoutMs: number;
}

export type PolicyName = 'envoyou' | 'standard-webhooks' | 'stripe' | 'github' | 'once';

export type SubscriptionStatus = 'ACTIVE' | 'PAUSED' | 'DISABLED';

export interface Subscription {
  id: string;
  name: string;
  profile: ProfileId;
  endpointUrl: string;
  events: string[];
  dataScope: DataScope;
  status: SubscriptionStatus;
  /** Issuer for key-signed profiles. */
  issuer: string | null;
  policy: RetryPolicy;
  createdAt: number;
  /** Why it was disabled (e.g. "the receiver answered 410 Gone"). */
  disabledReason: string | null;
}

export interface CreateSubscriptionInput {
  name: string;
  profile: ProfileId;
  endpointUrl: string;
  events?: string[];
  dataScope?: DataScope;
  issuer?: string;
  policy?: PolicyName | RetryPolicy;
  /** Use this secret instead of generating one. */
  secret?: string;
}

export interface UpdateSubscriptionInput {
  id: string;
  name?: string;
  endpointUrl?: string;
  events?: string[];
  dataScope?: DataScope;
  status?: SubscriptionStatus;
  policy?: PolicyName | RetryPolicy;
}

/** Created subscriptions carry their signing secret once. */
export interface CreatedSubscription extends Subscription {
  secret: string | null;
}

export type AttemptOutcome = 'success' | 'retry' | 'failed' | 'disabled';

export interface Attempt {
  number: number;
  /** On the policy's schedule: ms after the first attempt (simulated time when compressed). */
  plannedOffsetMs: number;
  startedAt: number;
  durationMs: number;
  requestHeaders: HeaderPair[];
  status: number | null;
  responseHeaders: HeaderPair[];
  /** Capped at 64 KiB. */
  responseBody: string;
  error: string | null;
  outcome: AttemptOutcome;
}

export type OutboundStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** One event on its way to one target, with every attempt. */
export interface Outbound {
  id: string;
  subscriptionId: string | null;
  profile: ProfileId;
  event: string;
  targetUrl: string;
  status: OutboundStatus;
  policy: RetryPolicy;
  /** 1 = real time; 3600 = one hour of schedule per real second. */
  timeScale: number;
  createdAt: number;
  /** Real time of the next attempt, when pending. */
  nextAttemptAt: number | null;
  /** The payload before signing (JSON text). */
  payload: string;
  attempts: Attempt[];
}

export interface SendInput {
  profile: ProfileId;
  targetUrl: string;
  event?: string;
  dataScope?: DataScope;
  /** Edited payload (JSON text); default: the profile's template. */
  payload?: string;
  /** HMAC secret for secret-signed profiles. */
  secret?: string;
  issuer?: string;
  policy?: PolicyName | RetryPolicy;
  timeScale?: number;
  /** Extra headers, e.g. Voyado's custom headers. */
  headers?: HeaderPair[];
}

export interface PreviewInput {
  profile: ProfileId;
  event?: string;
  dataScope?: DataScope;
}

/** Delay on the policy's schedule before attempt `n` (2 for the first retry), without jitter. */
export function delayBefore(policy: RetryPolicy, n: number): number {
  const index = n - 2;
  if (index < 0) return 0;
  if (index < policy.schedule.length && (policy.schedule.length > 1 || index === 0)) return policy.schedule[index]!;
  const last = policy.schedule[policy.schedule.length - 1] ?? 0;
  const beyond = index - (policy.schedule.length - 1);
  return last * policy.multiplier ** beyond;
}

/** Offsets from the first attempt of every attempt the policy plans, without jitter. */
export function plannedOffsets(policy: RetryPolicy): number[] {
  const out: number[] = [];
  let at = 0;
  for (let n = 1; n <= policy.maxAttempts; n++) {
    at += delayBefore(policy, n);
    out.push(at);
  }
  return out;
}

/** A WebSub topic of a hub-side subscription (Asgardeo): one per subscribed event type. */
export interface HubTopic {
  topic: string;
  /** The event type the topic carries, e.g. `login`. */
  eventGroup: string;
  state: 'pending' | 'verified' | 'failed' | 'unsubscribed' | 'unsubscribe-failed';
  /** Why the last verification failed: no answer, wrong status, wrong body, timeout. */
  reason: string | null;
  leaseSeconds: number;
  verifiedAt: number | null;
  leaseExpiresAt: number | null;
}

/** The outcome of one verification GET. */
export interface VerificationResult {
  ok: boolean;
  /** What the subscriber answered, in words. */
  reason: string;
  status: number | null;
  durationMs: number;
  challenge: string;
  url: string;
}
