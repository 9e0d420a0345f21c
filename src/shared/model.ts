/**
 * Serialisable data that crosses every boundary (IPC, HTTP, CLI --json).
 * Plain objects only: no classes, no Buffers, no Dates.
 */
import type { SchemeId, Verdict, VerdictOutcome, VerificationConfig } from './verdict';

/** A header exactly as it arrived: original name casing, order and repeats kept. */
export type HeaderPair = [name: string, value: string];

/** How an endpoint answers the deliveries it captures. */
export interface EndpointResponse {
  status: number;
  headers: HeaderPair[];
  body: string;
  /** Milliseconds to wait after the delivery is stored and before answering. */
  delayMs: number;
}

/** How a WebSub subscriber endpoint answers a hub's verification GET. */
export type WebSubAnswer =
  /** Echo hub.challenge as text/plain with 200: the normal answer. */
  | 'echo'
  /** 404: refuse every verification. */
  | 'refuse'
  /** 200 with a different body: a broken subscriber. */
  | 'wrong-challenge'
  /** Echo, but only after `slowMs`: tests a hub's timeout. */
  | 'slow';

/** What an endpoint does beyond capturing: WebSub subscriber, RFC 8935 recipient, answers to bad signatures. */
export interface EndpointBehaviour {
  websub: {
    /** Answer verification GETs (hub.mode, hub.topic, hub.challenge). */
    enabled: boolean;
    answer: WebSubAnswer;
    /** Only these topics are confirmed (others get 404); empty confirms any topic. */
    topics: string[];
    slowMs: number;
  };
  /** Answer as an RFC 8935 SET recipient: 202 empty when accepted, 400 {err, description} when not. */
  rfc8935: boolean;
  /** Answer this status when the verdict is "not authentic" (null: the configured response regardless). */
  invalidSignatureStatus: number | null;
  /** Forward every delivery as captured to this URL (e.g. http://localhost:3000/webhooks), recording the answer. */
  forwardTo: string | null;
}

/** A topic as a WebSub subscriber endpoint knows it. */
export interface SubscriberTopic {
  topic: string;
  state: 'verified' | 'unsubscribed' | 'denied' | 'refused';
  /** When the lease ends (ms), for verified topics with a lease. */
  leaseExpiresAt: number | null;
  updatedAt: number;
}

export interface Endpoint {
  id: string;
  /** URL-safe name; the endpoint listens at `/e/<name>`. */
  name: string;
  createdAt: number;
  response: EndpointResponse;
  /** How its deliveries are judged: the sender's scheme and its secrets or keys. */
  verification: VerificationConfig;
  behaviour: EndpointBehaviour;
}

export interface CreateEndpointInput {
  name: string;
  response?: Partial<EndpointResponse>;
  verification?: Partial<VerificationConfig>;
  behaviour?: Partial<EndpointBehaviour>;
}

export interface UpdateEndpointInput {
  id: string;
  response?: Partial<EndpointResponse>;
  verification?: Partial<VerificationConfig>;
  behaviour?: Partial<EndpointBehaviour>;
}

/** What the receiver did with a request, beyond answering the endpoint's configured response. */
export type DeliveryOutcome =
  /** Matched an endpoint and answered its configured response. */
  | 'captured'
  /** No endpoint has this path; captured and answered 404. */
  | 'unknown-endpoint'
  /** Body exceeded the size limit; the head is stored, the body is not, answered 413. */
  | 'too-large'
  /** A WebSub hub's verification GET, answered per the endpoint's WebSub setting. */
  | 'verification'
  /** Brought in from a HAR file, a cURL command or a raw HTTP request; never answered here. */
  | 'imported';

/** One row of the delivery list: everything but the bodies. */
export interface DeliverySummary {
  id: number;
  receivedAt: number;
  endpointId: string | null;
  endpointName: string | null;
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  bodySize: number;
  remoteAddress: string;
  responseStatus: number;
  outcome: DeliveryOutcome;
  /** The verdict at capture, for the list's badge; null when nothing was judged (e.g. a refused body). */
  verdictOutcome: VerdictOutcome | null;
  scheme: SchemeId | null;
  /** Came through the public tunnel; its X-Forwarded-For, if any, is the tunnel server's word, not verified. */
  viaTunnel: boolean;
  /** The event as its sender names it: a header, the body's type, or the SET's event. */
  eventType: string | null;
}

/** A delivery with its bytes. Bodies travel as base64 so no byte is re-encoded. */
export interface DeliveryDetail extends DeliverySummary {
  httpVersion: string;
  headers: HeaderPair[];
  bodyBase64: string;
  remotePort: number;
  responseHeaders: HeaderPair[];
  responseBodyBase64: string;
  verdict: Verdict | null;
}

/** Judge a stored delivery again with other settings, without changing what was stored. */
export interface VerifyAgainInput {
  id: number;
  /** Overrides of the endpoint's settings: another secret, key set, issuer, skew... */
  config?: Partial<VerificationConfig>;
  /** Judge as if now were this time (ms); default: the arrival time. */
  at?: number;
}

export interface SchemeInfo {
  id: SchemeId;
  label: string;
}

export interface DeliveryQuery {
  endpointId?: string;
  /** The event as its sender names it (see DeliverySummary.eventType). */
  eventType?: string;
  verdict?: VerdictOutcome | 'none';
  /** Text to find in the request line, headers or the first 64 KiB of the body (3 characters or more). */
  search?: string;
  /** Only deliveries with an id lower than this (paging backwards from newest). */
  beforeId?: number;
  /** Rows to skip first, newest first (jumping to a place in the list). */
  offset?: number;
  limit?: number;
}

export interface DeliveryPage {
  items: DeliverySummary[];
  total: number;
  /** Pass as `beforeId` to read the next page; null when this was the last. */
  nextBeforeId: number | null;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  /** Base URL of the receiver as seen from this machine, e.g. `http://127.0.0.1:8787`. */
  receiverUrl: string;
  /** Hookbench's own public keys, on the receiver's listener: `<receiverUrl>/.well-known/jwks.json`. */
  jwksUrl: string;
  /** The tunnel's public base URL while it is open: endpoint and JWKS URLs use it then. */
  publicUrl: string | null;
  /** Where the desktop or browser UI runs, for the status bar. */
  mode: 'desktop' | 'headless';
  bodyLimitBytes: number;
}

/** How a replay changes the captured delivery. */
export type ReplayMode = 'as-captured' | 'resigned' | 'forward';

export type MutationPresetId =
  | 'tampered-body'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'duplicate-id'
  | 'iat-milliseconds'
  | 'alg-none'
  | 'hs256-public-key'
  | 'unknown-kid'
  | 'missing-signature'
  | 'rotated-out-key'
  | 'reordered-keys'
  | 'added-whitespace';

export interface MutationPreset {
  id: MutationPresetId;
  label: string;
  /** What a correct receiver does with it. */
  expect: 'reject' | 'accept-once';
  /** In words, for the UI and the report. */
  explanation: string;
}

/** A hand edit of a delivery before replaying it. */
export interface ReplayEdit {
  headers?: HeaderPair[];
  /** The new body, base64 (any bytes). */
  bodyBase64?: string;
  /** Re-sign after editing (true) or keep the old signature headers (false). */
  resign: boolean;
}

export interface ReplayInput {
  deliveryId: number;
  targetUrl: string;
  mode?: 'as-captured' | 'resigned';
  preset?: MutationPresetId;
  edit?: ReplayEdit;
}

/** One replay: what was sent, what came back. */
export interface Replay {
  id: number;
  deliveryId: number;
  createdAt: number;
  mode: ReplayMode;
  preset: MutationPresetId | null;
  targetUrl: string;
  method: string;
  requestHeaders: HeaderPair[];
  requestBodyBase64: string;
  status: number | null;
  responseHeaders: HeaderPair[];
  responseBodyBase64: string;
  durationMs: number;
  error: string | null;
  /** What the mutation should have caused, and whether the target did it. */
  expected: MutationPreset['expect'] | null;
  verdictOnTarget: 'as-expected' | 'wrongly-accepted' | 'rejected' | null;
}

export interface ProtectionReport {
  deliveryId: number;
  targetUrl: string;
  replays: Replay[];
  /** Presets the target accepted (2xx) though a correct receiver rejects them. */
  wronglyAccepted: MutationPresetId[];
}

/** Either side of a comparison. */
export type DiffRef = { delivery: number } | { replay: number };

export type ChangeKind = 'same' | 'added' | 'removed' | 'changed';

export interface DiffResult {
  headers: { name: string; a: string | null; b: string | null; change: ChangeKind }[];
  body:
    | { kind: 'json'; changes: { path: string; a: string | null; b: string | null; change: ChangeKind }[] }
    | { kind: 'bytes'; equal: boolean; firstDifference: number; aLength: number; bLength: number };
  claims: { path: string; a: string | null; b: string | null; change: ChangeKind }[] | null;
  /** The signed bytes of each side (base64), when a verdict recorded them. */
  signed: { a: string | null; b: string | null; firstDifference: number };
}

export type ImportFormat = 'har' | 'curl' | 'http';

/** How much history is kept; null means no limit of that kind. */
export interface Retention {
  maxCount: number | null;
  maxAgeDays: number | null;
  /** Bytes of stored request and response data (bodies and headers). */
  maxBytes: number | null;
}

export interface StorageStats {
  count: number;
  /** Stored bodies and headers. */
  dataBytes: number;
  /** The database file and the search index file (they do not shrink until vacuumed). */
  fileBytes: number;
  oldestAt: number | null;
  retention: Retention;
}
