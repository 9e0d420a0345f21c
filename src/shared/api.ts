/**
 * THE contract between the UI and the engine. The preload bridge, the IPC
 * handlers, the headless HTTP server and the renderer client are all derived
 * from these two maps; nothing re-declares a channel or a payload by hand.
 */
import type {
  AppInfo,
  CreateEndpointInput,
  DeliveryDetail,
  DeliveryPage,
  DeliveryQuery,
  DeliverySummary,
  Endpoint,
  SchemeInfo,
  Retention,
  StorageStats,
  SubscriberTopic,
  DiffRef,
  DiffResult,
  HeaderPair,
  ImportFormat,
  MutationPreset,
  ProtectionReport,
  Replay,
  ReplayInput,
  UpdateEndpointInput,
  VerifyAgainInput,
} from './model';
import type { Verdict } from './verdict';
import type { TunnelState } from './tunnel';
import type {
  CreatedSubscription,
  CreateSubscriptionInput,
  GenerateKeyInput,
  HubTopic,
  VerificationResult,
  KeyInfo,
  KeyType,
  Outbound,
  PreviewInput,
  ProfileInfo,
  RetryPolicy,
  SendInput,
  Subscription,
  UpdateSubscriptionInput,
} from './sender';
import type { ErrorPayload } from './errors';

/** Every request the UI can make: method name -> its params and its result. */
export interface ApiRequests {
  /** Version, data folder and receiver URL, for the status bar and the empty state. */
  'app.info': { params: void; result: AppInfo };
  'endpoints.list': { params: void; result: Endpoint[] };
  'endpoints.create': { params: CreateEndpointInput; result: Endpoint };
  'endpoints.update': { params: UpdateEndpointInput; result: Endpoint };
  'endpoints.delete': { params: { id: string }; result: { deleted: boolean } };
  /** Topics a WebSub subscriber endpoint has confirmed, unsubscribed or refused. */
  'endpoints.topics': { params: { id: string }; result: SubscriberTopic[] };
  /** Newest first, paged by id. */
  'deliveries.list': { params: DeliveryQuery; result: DeliveryPage };
  'deliveries.get': { params: { id: number }; result: DeliveryDetail };
  /** Recompute a verdict with other settings or at another time; nothing stored changes. */
  'deliveries.verify': { params: VerifyAgainInput; result: Verdict };
  /** The signature schemes Hookbench knows, for pickers. */
  'schemes.list': { params: void; result: SchemeInfo[] };

  /** Signing keys, public parts only. */
  'keys.list': { params: void; result: KeyInfo[] };
  'keys.generate': { params: GenerateKeyInput; result: KeyInfo };
  /** New active key for the issuer; the previous one stays published until retired. */
  'keys.rotate': { params: { issuer: string; type?: KeyType }; result: { active: KeyInfo; previous: KeyInfo | null } };
  /** Takes a key out of the JWKS. */
  'keys.retire': { params: { kid: string }; result: KeyInfo };
  'keys.import': { params: { text: string; issuer: string; name?: string; activate?: boolean }; result: KeyInfo };
  'keys.export': { params: { kid: string; format: 'jwk' | 'pem'; includePrivate?: boolean }; result: { text: string } };

  'profiles.list': { params: void; result: ProfileInfo[] };
  'policies.list': { params: void; result: RetryPolicy[] };
  /** A payload template with fresh sample data. */
  'send.preview': { params: PreviewInput; result: { payload: string } };
  /** Sends one event to a URL as the profile's sender would, with retries. */
  'send.deliver': { params: SendInput; result: Outbound };
  'outbound.list': { params: { limit?: number }; result: Outbound[] };
  'outbound.get': { params: { id: string }; result: Outbound };

  'subscriptions.list': { params: void; result: Subscription[] };
  /** The result carries the signing secret: the only time it is shown. */
  'subscriptions.create': { params: CreateSubscriptionInput; result: CreatedSubscription };
  'subscriptions.update': { params: UpdateSubscriptionInput; result: Subscription };
  'subscriptions.delete': { params: { id: string }; result: { deleted: boolean } };
  'subscriptions.trigger': { params: { id: string; event?: string; payload?: string; timeScale?: number }; result: Outbound };
  'subscriptions.logs': { params: { id: string; limit?: number; offset?: number }; result: { items: Outbound[]; total: number } };
  /** WebSub topics of a hub-side subscription (Asgardeo) and their verification state. */
  'subscriptions.topics': { params: { id: string }; result: HubTopic[] };
  /** Sends the verification again: every topic, or one. */
  'subscriptions.verify': { params: { id: string; topic?: string }; result: HubTopic[] };
  /** One WebSub verification GET to any callback, as a hub sends it. */
  /** Sends a captured delivery again: as captured, re-signed, edited or mutated by a preset. */
  'replays.send': { params: ReplayInput; result: Replay };
  /** The request a replay would send, to edit it before sending. */
  'replays.preview': { params: ReplayInput; result: { method: string; headers: HeaderPair[]; bodyBase64: string } };
  'replays.list': { params: { deliveryId: number }; result: Replay[] };
  'replays.presets': { params: { deliveryId: number }; result: MutationPreset[] };
  /** Every applicable preset against a target: which ones did it wrongly accept? */
  'replays.protectionCheck': { params: { deliveryId: number; targetUrl: string }; result: ProtectionReport };
  /** Headers, JSON bodies, JWT claims and signed bytes of two deliveries or replays. */
  'deliveries.diff': { params: { a: DiffRef; b: DiffRef }; result: DiffResult };
  /** cURL (one delivery) or HAR 1.2 (several), optionally redacted for sharing. */
  'deliveries.export': { params: { ids: number[]; format: 'har' | 'curl'; redact?: boolean }; result: { text: string } };
  /** A HAR file, a cURL command or a raw HTTP request, judged as if it had arrived. */
  'deliveries.import': { params: { text: string; format?: ImportFormat }; result: { ids: number[] } };
  /** Opens the public tunnel in front of the receiver; resolves once open or failed (with the reason). */
  'tunnel.start': { params: { host?: string; subdomain?: string }; result: TunnelState };
  'tunnel.stop': { params: void; result: TunnelState };
  'tunnel.status': { params: void; result: TunnelState };
  /** Values to filter by: the event types seen so far. */
  'deliveries.facets': { params: void; result: { eventTypes: string[] } };
  /** How much is stored, and the caps that keep it in bounds. */
  'storage.stats': { params: void; result: StorageStats };
  /** Sets the caps and applies them at once (oldest deliveries go first). */
  'retention.set': { params: Partial<Retention>; result: StorageStats };
  'websub.verify': {
    params: { url: string; topic: string; mode?: 'subscribe' | 'unsubscribe'; leaseSeconds?: number };
    result: VerificationResult;
  };
}

/** Every event the engine pushes to the UI. */
export interface ApiEvents {
  'delivery.created': DeliverySummary;
  'endpoints.changed': Endpoint[];
  /** An outgoing delivery was queued or made an attempt. */
  'outbound.changed': Outbound;
  'subscriptions.changed': Subscription[];
  'keys.changed': KeyInfo[];
  'replay.created': Replay;
  /** Every change of the tunnel: opening, open, reconnecting (with the next try), failed, closed, a new URL. */
  'tunnel.changed': TunnelState;
}

export type ApiMethod = keyof ApiRequests;
export type ApiEvent = keyof ApiEvents;
export type ParamsOf<M extends ApiMethod> = ApiRequests[M]['params'];
export type ResultOf<M extends ApiMethod> = ApiRequests[M]['result'];

/** Run-time list of the methods, checked against the map so neither can drift. */
const METHOD_TABLE: { [M in ApiMethod]: true } = {
  'app.info': true,
  'endpoints.list': true,
  'endpoints.create': true,
  'endpoints.update': true,
  'endpoints.delete': true,
  'endpoints.topics': true,
  'deliveries.list': true,
  'deliveries.get': true,
  'deliveries.verify': true,
  'schemes.list': true,
  'keys.list': true,
  'keys.generate': true,
  'keys.rotate': true,
  'keys.retire': true,
  'keys.import': true,
  'keys.export': true,
  'profiles.list': true,
  'policies.list': true,
  'send.preview': true,
  'send.deliver': true,
  'outbound.list': true,
  'outbound.get': true,
  'subscriptions.list': true,
  'subscriptions.create': true,
  'subscriptions.update': true,
  'subscriptions.delete': true,
  'subscriptions.trigger': true,
  'subscriptions.logs': true,
  'subscriptions.topics': true,
  'subscriptions.verify': true,
  'websub.verify': true,
  'tunnel.start': true,
  'tunnel.stop': true,
  'tunnel.status': true,
  'deliveries.facets': true,
  'storage.stats': true,
  'retention.set': true,
  'replays.send': true,
  'replays.preview': true,
  'replays.list': true,
  'replays.presets': true,
  'replays.protectionCheck': true,
  'deliveries.diff': true,
  'deliveries.export': true,
  'deliveries.import': true,
};
export const API_METHODS = Object.keys(METHOD_TABLE) as ApiMethod[];

const EVENT_TABLE: { [E in ApiEvent]: true } = {
  'delivery.created': true,
  'endpoints.changed': true,
  'outbound.changed': true,
  'subscriptions.changed': true,
  'keys.changed': true,
  'replay.created': true,
  'tunnel.changed': true,
};
export const API_EVENTS = Object.keys(EVENT_TABLE) as ApiEvent[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHOD_TABLE, name);
}

/** The shape both transports offer the renderer: one call, one subscription. */
export interface HookbenchBridge {
  invoke<M extends ApiMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Returns a function that unsubscribes. */
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** IPC channel names for the desktop transport. */
export const IPC_INVOKE = 'hookbench:invoke';
export const IPC_EVENT = 'hookbench:event';

/** Name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'hookbench';

/** What one call returns across a transport: IPC loses error classes, so errors travel as data. */
export type RpcReply<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload };
