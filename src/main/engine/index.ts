/**
 * The composition root: one engine per data folder. Plain Node, never
 * Electron, so the desktop shell, the headless server, the CLI and the tests
 * all run the same code.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  isApiMethod,
  type ApiEvent,
  type ApiEvents,
  type ApiMethod,
  type ParamsOf,
  type ResultOf,
} from '../../shared/api';
import type { AppInfo, CreateEndpointInput, DeliveryDetail, DiffRef, Endpoint, EndpointResponse, SubscriberTopic } from '../../shared/model';
import { DEFAULT_VERIFICATION, type Verdict } from '../../shared/verdict';
import { systemClock, type Clock } from './clock';
import { EngineError } from './errors';
import { startReceiver, type Receiver } from './receiver/receiver';
import { openDatabase, type Db } from './store/database';
import { createDeliveriesRepo, summaryOf, type DeliveriesRepo, type NewDelivery } from './store/deliveries-repo';
import { createEndpointsRepo, type EndpointsRepo } from './store/endpoints-repo';
import { StoreWriter } from './store/writer';
import { startIndexer, type IndexerThread } from './store/indexer';
import { attachSearch, SEARCH_FILE } from './store/search-index';
import { createKeyLoader } from './schemes/jwks';
import { SCHEMES } from './schemes/registry';
import { validateBehaviour, validateEndpointName, validateResponse, validateVerification } from './validate';
import { createVerifier } from './verifier';
import { createSender } from './sender';
import { POLICIES } from './sender/policies';
import { getProfile, PROFILE_IDS, profileInfo } from './sender/profiles';
import { fileSealer, openTagged, sealTagged, type Sealer } from './sender/sealer';
import { validateTargetUrl } from './sender/subscriptions';
import { DEFAULT_LEASE_SECONDS, verifySubscriber } from './sender/websub-hub';
import { endpointNameOf, JWKS_PATH } from './receiver/receiver';
import { diffRequests, type DiffSide } from './replay/diff';
import { redactDelivery, toCurl, toHar } from './replay/export';
import { detectFormat, parseImport, type ImportedRequest } from './replay/import';
import { createReplayer } from './replay/replay';
import { createRetention } from './store/retention';
import { createTunnel, type TunnelHandle } from './tunnel/tunnel';
import { DEFAULT_TUNNEL_HOST, type TunnelState } from '../../shared/tunnel';
import { answerVerification, planResponse, webSubVerification, type Planned } from './receiver/respond';
import { DEFAULT_BEHAVIOUR } from './store/endpoints-repo';
import { eventTypeOf } from './util/event-type';

export const VERSION = '0.1.0';
export const DEFAULT_BODY_LIMIT = 25 * 1024 * 1024;
export const DEFAULT_RECEIVER_PORT = 8787;
export const DEFAULT_ENDPOINT_NAME = 'default';

export const DEFAULT_RESPONSE: EndpointResponse = {
  status: 200,
  headers: [['Content-Type', 'application/json']],
  body: '{"received":true}',
  delayMs: 0,
};

export interface EngineOptions {
  dataDir: string;
  clock?: Clock;
  /** Where the receiver listens. Loopback by default: exposing it is the tunnel's job. */
  receiverHost?: string;
  /** Preferred receiver port; a taken port falls back to a free one. 0 picks one. */
  receiverPort?: number;
  bodyLimitBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Create the `default` endpoint when there is none, so the first start has a URL to send to. */
  ensureDefaultEndpoint?: boolean;
  mode?: AppInfo['mode'];
  nativeBinding?: string;
  synchronous?: 'FULL' | 'NORMAL';
  /** Seals private keys and secrets at rest; default: a 0600 key file in the data folder. */
  sealer?: Sealer;
  /** False for CLI commands that only send: no receiver listens and earlier pending retries stay for the app. */
  listen?: boolean;
  /** The localtunnel server (default the public one); a self-hosted one can be named. */
  tunnelHost?: string;
  /** How long opening the tunnel may take before it fails with a reason. */
  tunnelDeadlineMs?: number;
  /** How long a write waits for a lock held by another process (the CLI, a second app) before failing. */
  busyTimeoutMs?: number;
  /** Called with the open database before anything else uses it. */
  configureDatabase?: (db: Db) => void;
  /** Called with the writer of captured deliveries: tests use it to simulate a full disk. */
  configureWriter?: (writer: Pick<StoreWriter, 'pragma'>) => void;
}

type Handlers = { [M in ApiMethod]: (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };
type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

export interface Engine {
  readonly dataDir: string;
  readonly receiverUrl: string;
  /** Dispatches one contract call. Throws EngineError on misuse. */
  call<M extends ApiMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  on<E extends ApiEvent>(event: E, listener: Listener<E>): () => void;
  close(): Promise<void>;
}

/** The store alone, for CLI commands that read or change data without listening. */
export interface Store {
  db: Db;
  /** The data folder's key file: seals endpoint secrets, and keys and subscription secrets in headless mode. */
  sealer: Sealer;
  endpoints: EndpointsRepo;
  deliveries: DeliveriesRepo;
}

export const DATABASE_FILE = 'hookbench.sqlite';

export function openStore(dataDir: string, options: Pick<EngineOptions, 'nativeBinding' | 'synchronous' | 'busyTimeoutMs' | 'configureDatabase'> = {}): Store {
  const db = openDatabase(join(dataDir, DATABASE_FILE), options);
  let key: Sealer;
  try {
    attachSearch(db, join(dataDir, SEARCH_FILE));
    key = fileSealer(dataDir);
  } catch (error) {
    db.close();
    if (error instanceof EngineError) throw error;
    throw new EngineError('storage_failed', `cannot open the search index at ${join(dataDir, SEARCH_FILE)}: ${(error as Error).message}`, { cause: error });
  }
  options.configureDatabase?.(db);
  // Endpoint secrets are sealed with the data folder's key file, so the CLI can judge with them too.
  const box = { seal: (plain: string) => sealTagged(key, plain).toString('base64'), open: (sealed: string) => openTagged([key], Buffer.from(sealed, 'base64')) };
  return { db, sealer: key, endpoints: createEndpointsRepo(db, box), deliveries: createDeliveriesRepo(db) };
}

export function newEndpoint(input: CreateEndpointInput, clock: Clock): Endpoint {
  return {
    id: `ep_${randomBytes(8).toString('hex')}`,
    name: validateEndpointName(input?.name),
    createdAt: clock.now(),
    response: validateResponse({ ...DEFAULT_RESPONSE, ...input.response }),
    verification: validateVerification({ ...DEFAULT_VERIFICATION, ...input.verification }),
    behaviour: validateBehaviour({ ...DEFAULT_BEHAVIOUR, ...input.behaviour }),
  };
}

export function createEndpoint(store: Store, input: CreateEndpointInput, clock: Clock): Endpoint {
  const endpoint = newEndpoint(input, clock);
  if (store.endpoints.findByName(endpoint.name)) {
    throw new EngineError('conflict', `an endpoint named "${endpoint.name}" already exists`);
  }
  store.endpoints.insert(endpoint);
  return endpoint;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir, options);
  const { endpoints, deliveries } = store;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;

  if (options.ensureDefaultEndpoint && endpoints.list().length === 0) {
    createEndpoint(store, { name: DEFAULT_ENDPOINT_NAME }, clock);
  }

  // Endpoints by name for the capture path, kept a second: changes made here clear it at once,
  // changes made by another process (the CLI) are seen within a second.
  const endpointCache = new Map<string, { at: number; endpoint: Endpoint | undefined }>();
  const findEndpoint = (name: string) => {
    const hit = endpointCache.get(name);
    if (hit && Date.now() - hit.at < 1000) return hit.endpoint;
    const endpoint = endpoints.findByName(name);
    if (endpointCache.size > 1000) endpointCache.clear();
    endpointCache.set(name, { at: Date.now(), endpoint });
    return endpoint;
  };

  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    if (event === 'endpoints.changed') endpointCache.clear();
    for (const listener of listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch {
        // A broken listener (a closed window, a gone browser tab) must not stop capture.
      }
    }
  };

  const databaseFile = join(options.dataDir, DATABASE_FILE);
  // Captures are committed on a thread of their own (group commit), so a sync to disk never
  // holds up the receiver's event loop.
  const writes = new StoreWriter({
    file: databaseFile,
    nativeBinding: options.nativeBinding,
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  options.configureWriter?.(writes);
  // Search indexing and log checkpoints run on a thread of their own while the app receives.
  const indexer: IndexerThread | null =
    options.listen === false
      ? null
      : startIndexer({
          file: databaseFile,
          searchFile: join(options.dataDir, SEARCH_FILE),
          nativeBinding: options.nativeBinding,
          busyTimeoutMs: options.busyTimeoutMs,
        });
  const sender = createSender({
    db: store.db,
    clock,
    sealers: options.sealer ? [options.sealer, store.sealer] : [store.sealer],
    onOutbound: (outbound) => emit('outbound.changed', outbound),
    onSubscriptions: (list) => emit('subscriptions.changed', list),
  });
  const keysChanged = <T>(result: T): T => {
    emit('keys.changed', sender.keys.list());
    return result;
  };
  /** Replay keys of deliveries judged and on their way to the writer, with how many carry each. */
  const arriving = new Map<string, number>();
  const arrivingKey = (endpointId: string | null, key: string) => `${endpointId ?? ''}\n${key}`;
  const verdictFor = createVerifier(
    deliveries,
    createKeyLoader(() => clock.now(), undefined, () => sender.keys.jwks()),
    (endpointId, key) => arriving.has(arrivingKey(endpointId, key)),
  );
  /** Set once the replayer exists; captures arriving before then are not forwarded. */
  let forward: (deliveryId: number, url: string) => void = () => {};
  let receiver: Receiver = {
    url: '',
    port: 0,
    tunnelPort: () => Promise.reject(new EngineError('invalid_input', 'this engine does not listen')),
    close: async () => {},
  };
  try {
    if (options.listen !== false) receiver = await startReceiver({
      host: options.receiverHost ?? '127.0.0.1',
      port: options.receiverPort ?? DEFAULT_RECEIVER_PORT,
      bodyLimitBytes,
      headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
      clock,
      findEndpoint,
      jwks: (issuer) => sender.keys.jwks(issuer),
      accept: async (captured, endpoint) => {
        const verification = endpoint ? webSubVerification(captured.method, captured.query) : null;
        let planned: Planned;
        let verdict: Verdict | null = null;
        let outcome = captured.outcome;
        let topic: SubscriberTopic | null = null;
        if (verification && endpoint?.behaviour.websub.enabled && outcome === 'captured') {
          outcome = 'verification';
          ({ planned, topic } = answerVerification(endpoint, verification, captured.receivedAt));
        } else {
          const config = endpoint?.verification ?? DEFAULT_VERIFICATION;
          verdict = outcome === 'too-large' ? null : await verdictFor(captured, config, captured.receivedAt);
          planned = planResponse(outcome, endpoint, verdict, captured.path, bodyLimitBytes);
        }
        const delivery: NewDelivery = {
          ...captured,
          outcome,
          verdict,
          responseStatus: planned.status,
          responseHeaders: planned.headers,
          responseBody: planned.body,
        };
        // Worked out here, once: the summary needs it and the writer keeps it.
        delivery.eventType = eventTypeOf(delivery.headers, delivery.body);
        const replayKey = verdict?.replayKey ? arrivingKey(captured.endpointId, verdict.replayKey) : null;
        if (replayKey) arriving.set(replayKey, (arriving.get(replayKey) ?? 0) + 1);
        let id: number;
        try {
          id = await writes.add(delivery);
        } finally {
          const left = replayKey ? arriving.get(replayKey)! - 1 : 0;
          if (left > 0) arriving.set(replayKey!, left);
          else if (replayKey) arriving.delete(replayKey);
        }
        if (topic && endpoint) endpoints.setTopic(endpoint.id, topic);
        emit('delivery.created', summaryOf(id, delivery));
        if (endpoint?.behaviour.forwardTo && outcome === 'captured') forward(id, endpoint.behaviour.forwardTo);
        return planned;
      },
    });
  } catch (error) {
    await Promise.all([writes.close(), indexer?.close()]);
    store.db.close();
    throw error;
  }

  const configOf = (d: { endpointId: string | null }) => (d.endpointId && endpoints.get(d.endpointId)?.verification) || DEFAULT_VERIFICATION;
  const replayer = createReplayer({
    db: store.db,
    clock,
    delivery: (id) => mustGetDelivery(id),
    configFor: configOf,
    signingKey: (issuer) => (issuer ? sender.keys.signingKey(issuer) : null),
    retiredKey: (issuer) => (issuer ? sender.keys.retiredKey(issuer) : null),
    onReplay: (replay) => emit('replay.created', replay),
  });
  forward = (id, url) => void replayer.forward(id, url).catch(() => undefined);

  const diffSide = (ref: DiffRef): DiffSide => {
    if ('replay' in ref) {
      const r = replayer.get(ref.replay);
      return { headers: r.requestHeaders, body: Buffer.from(r.requestBodyBase64, 'base64'), verdict: null };
    }
    const d = mustGetDelivery(ref.delivery);
    return { headers: d.headers, body: Buffer.from(d.bodyBase64, 'base64'), verdict: d.verdict };
  };

  /** Imported requests are judged as if they had just arrived, and stored like captures. */
  const importRequests = async (requests: ImportedRequest[]): Promise<number[]> => {
    const rows: NewDelivery[] = [];
    for (const r of requests) {
      const name = endpointNameOf(r.path);
      const endpoint = name ? findEndpoint(name) : undefined;
      const receivedAt = r.receivedAt ?? clock.now();
      const captured = { ...r, endpointId: endpoint?.id ?? null };
      const verdict = await verdictFor(captured, endpoint?.verification ?? DEFAULT_VERIFICATION, receivedAt);
      rows.push({
        receivedAt,
        endpointId: endpoint?.id ?? null,
        endpointName: endpoint?.name ?? name,
        method: r.method,
        path: r.path,
        query: r.query,
        httpVersion: r.httpVersion,
        headers: r.headers,
        body: r.body,
        bodySize: r.body.length,
        remoteAddress: 'imported',
        remotePort: 0,
        responseStatus: r.response?.status ?? 0,
        responseHeaders: r.response?.headers ?? [],
        responseBody: r.response?.body ?? Buffer.alloc(0),
        outcome: 'imported',
        verdict,
      });
    }
    const ids = deliveries.insertMany(rows);
    ids.forEach((id, i) => emit('delivery.created', summaryOf(id, rows[i]!)));
    return ids;
  };

  const mustGetDelivery = (id: number): DeliveryDetail => {
    const found = deliveries.get(Number(id));
    if (!found) throw new EngineError('not_found', `no delivery with id ${String(id)}`);
    return found;
  };

  const mustGetEndpoint = (id: string) => {
    const endpoint = endpoints.get(id);
    if (!endpoint) throw new EngineError('not_found', `no endpoint with id ${id}`);
    return endpoint;
  };

  const handlers: Handlers = {
    'app.info': () => ({
      version: VERSION,
      dataDir: options.dataDir,
      receiverUrl: receiver.url,
      jwksUrl: `${tunnelState().status === 'open' ? tunnelState().url : receiver.url}${JWKS_PATH}`,
      publicUrl: tunnelState().status === 'open' ? tunnelState().url : null,
      mode: options.mode ?? 'headless',
      bodyLimitBytes,
    }),
    'endpoints.list': () => endpoints.list(),
    'endpoints.topics': (params) => endpoints.topics(mustGetEndpoint(params?.id).id),
    'endpoints.create': (params) => {
      const endpoint = createEndpoint(store, params ?? { name: '' }, clock);
      emit('endpoints.changed', endpoints.list());
      return endpoint;
    },
    'endpoints.update': (params) => {
      const endpoint = mustGetEndpoint(params?.id);
      const updated: Endpoint = {
        ...endpoint,
        response: validateResponse({ ...endpoint.response, ...params.response }),
        verification: validateVerification({ ...endpoint.verification, ...params.verification }),
        behaviour: validateBehaviour({ ...endpoint.behaviour, ...params.behaviour }),
      };
      endpoints.update(updated);
      emit('endpoints.changed', endpoints.list());
      return updated;
    },
    'endpoints.delete': (params) => {
      const deleted = endpoints.delete(String(params?.id));
      if (deleted) emit('endpoints.changed', endpoints.list());
      return { deleted };
    },
    'deliveries.list': (params) => deliveries.page(params ?? {}),
    'deliveries.get': (params) => mustGetDelivery(params?.id),
    'deliveries.verify': (params) => {
      const delivery = mustGetDelivery(params?.id);
      const config = validateVerification({ ...configOf(delivery), ...params.config });
      const at = params.at ?? delivery.receivedAt;
      if (!Number.isFinite(at)) throw new EngineError('invalid_input', 'at must be a time in milliseconds');
      const request = { ...delivery, body: Buffer.from(delivery.bodyBase64, 'base64') };
      return verdictFor(request, config, at, delivery.id);
    },
    'schemes.list': () => Object.values(SCHEMES).map((s) => ({ id: s.id, label: s.label })),
    'keys.list': () => sender.keys.list(),
    'keys.generate': (p) => keysChanged(sender.keys.generate(p?.issuer, p.type, p.name, p.activate ?? true)),
    'keys.rotate': (p) => keysChanged(sender.keys.rotate(p?.issuer, p.type)),
    'keys.retire': (p) => keysChanged(sender.keys.retire(p?.kid)),
    'keys.import': (p) => keysChanged(sender.keys.import(p?.text, p.issuer, p.name, p.activate ?? false)),
    'keys.export': (p) => ({ text: sender.keys.export(p?.kid, p.format === 'pem' ? 'pem' : 'jwk', p.includePrivate === true) }),
    'profiles.list': () => PROFILE_IDS.map((id) => profileInfo(getProfile(id))),
    'policies.list': () => Object.values(POLICIES),
    'send.preview': (p) => sender.preview(p),
    'send.deliver': (p) => sender.send(p),
    'outbound.list': (p) => sender.outbox.recent(Math.min(Math.max(1, p?.limit ?? 50), 500)),
    'outbound.get': (p) => sender.outbox.get(p?.id),
    'subscriptions.list': () => sender.subscriptions.list(),
    'subscriptions.create': (p) => {
      const { subscription, secret } = sender.subscriptions.create(p);
      emit('subscriptions.changed', sender.subscriptions.list());
      return { ...subscription, secret };
    },
    'subscriptions.update': (p) => {
      const updated = sender.subscriptions.update(p);
      if (updated.status === 'DISABLED') sender.outbox.cancelForSubscription(updated.id);
      emit('subscriptions.changed', sender.subscriptions.list());
      return updated;
    },
    'subscriptions.delete': (p) => {
      sender.outbox.cancelForSubscription(String(p?.id));
      const deleted = sender.subscriptions.delete(String(p?.id));
      emit('subscriptions.changed', sender.subscriptions.list());
      return { deleted };
    },
    'subscriptions.trigger': (p) => sender.trigger(p?.id, p.event, p.payload, p.timeScale),
    'subscriptions.topics': (p) => {
      sender.subscriptions.get(p?.id);
      return sender.hub.topics(p.id);
    },
    'subscriptions.verify': (p) => sender.resendVerification(p?.id, p.topic),
    'websub.verify': (p) => {
      if (typeof p?.topic !== 'string' || p.topic === '') throw new EngineError('invalid_input', 'a verification needs a topic');
      return verifySubscriber(validateTargetUrl(p.url), p.mode ?? 'subscribe', p.topic, p.mode === 'unsubscribe' ? null : (p.leaseSeconds ?? DEFAULT_LEASE_SECONDS));
    },
    'replays.send': (p) => replayer.replay(p),
    'replays.preview': (p) => replayer.preview(p),
    'replays.list': (p) => replayer.list(p?.deliveryId),
    'replays.presets': (p) => replayer.presets(p?.deliveryId),
    'replays.protectionCheck': (p) => replayer.protectionCheck(p?.deliveryId, p.targetUrl),
    'deliveries.diff': (p) => diffRequests(diffSide(p?.a), diffSide(p.b)),
    'deliveries.export': (p) => {
      if (!Array.isArray(p?.ids) || p.ids.length === 0) throw new EngineError('invalid_input', 'choose at least one delivery to export');
      const items = p.ids.map((id) => mustGetDelivery(id)).map((d) => (p.redact ? redactDelivery(d) : d));
      // A redacted copy does not say where this machine listens either.
      const base = p.redact ? 'http://receiver.invalid' : receiver.url || `http://127.0.0.1:${DEFAULT_RECEIVER_PORT}`;
      if (p.format === 'curl') return { text: items.map((d) => toCurl(d, `${base}${d.path}${d.query ? `?${d.query}` : ''}`)).join('\n\n') };
      return { text: JSON.stringify(toHar(items, base, VERSION), null, 2) };
    },
    'deliveries.import': async (p) => {
      if (typeof p?.text !== 'string' || p.text.trim() === '') throw new EngineError('invalid_input', 'paste a HAR file, a cURL command or a raw HTTP request');
      return { ids: await importRequests(parseImport(p.format ?? detectFormat(p.text), p.text)) };
    },
    'tunnel.start': async (p) => {
      if (tunnel && tunnel.state().status !== 'closed' && tunnel.state().status !== 'failed') {
        throw new EngineError('conflict', 'the tunnel is already running: stop it first');
      }
      const host = p?.host?.trim() || options.tunnelHost || DEFAULT_TUNNEL_HOST;
      try {
        if (!/^https?:$/.test(new URL(host).protocol)) throw new Error();
      } catch {
        throw new EngineError('invalid_input', `the tunnel server "${host}" is not an http(s) URL`);
      }
      const subdomain = p?.subdomain?.trim() || null;
      if (subdomain !== null && !/^[a-z0-9][a-z0-9-]{2,62}$/.test(subdomain)) {
        throw new EngineError('invalid_input', 'a subdomain is 3-63 lowercase letters, digits or dashes');
      }
      tunnel = createTunnel({
        host,
        subdomain,
        localPort: await receiver.tunnelPort(),
        deadlineMs: options.tunnelDeadlineMs,
        clock,
        onState: (state) => emit('tunnel.changed', state),
      });
      return tunnel.start();
    },
    'tunnel.stop': async () => {
      await tunnel?.stop();
      return tunnelState();
    },
    'tunnel.status': () => tunnelState(),
    'deliveries.facets': () => ({ eventTypes: deliveries.eventTypes() }),
    'storage.stats': () => retention.stats(),
    'retention.set': (p) => {
      retention.set({ ...retention.get(), ...p });
      retention.prune();
      return retention.stats();
    },
    'subscriptions.logs': (p) => {
      sender.subscriptions.get(p?.id);
      return sender.outbox.forSubscription(p.id, Math.min(Math.max(1, p.limit ?? 50), 500), Math.max(0, p.offset ?? 0));
    },
  };

  if (options.listen !== false) sender.outbox.resume();
  const retention = createRetention(store.db, () => clock.now());
  // History is kept within its caps: checked every minute, off the capture path.
  const pruning = setInterval(() => {
    try {
      retention.prune();
    } catch {
      // A busy or full disk: try again next minute; capture is not affected.
    }
  }, 60_000);
  pruning.unref();
  let tunnel: TunnelHandle | null = null;
  function tunnelState(): TunnelState {
    return tunnel?.state() ?? { status: 'closed', url: null, host: options.tunnelHost ?? DEFAULT_TUNNEL_HOST, subdomain: null, reason: null, nextTryAt: null, previousUrl: null };
  }
  let closed = false;
  return {
    dataDir: options.dataDir,
    receiverUrl: receiver.url,
    async call(method, params) {
      if (!isApiMethod(method)) throw new EngineError('unknown_method', `unknown method ${String(method)}`);
      const handler = handlers[method] as (p: typeof params) => ResultOf<typeof method> | Promise<ResultOf<typeof method>>;
      return handler(params);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pruning);
      await tunnel?.stop();
      sender.hub.close();
      await sender.outbox.close();
      await receiver.close();
      await Promise.all([writes.close(), indexer?.close()]);
      store.db.close();
    },
  };
}

