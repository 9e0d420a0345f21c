/**
 * The renderer's only door to the engine. In the desktop app the preload
 * exposes the bridge on `window.hookbench`; in a browser (headless mode) the
 * same contract runs over HTTP and Server-Sent Events.
 */
import {
  API_EVENTS,
  BRIDGE_GLOBAL,
  type ApiEvent,
  type ApiMethod,
  type HookbenchBridge,
  type ParamsOf,
  type ResultOf,
  type RpcReply,
} from '../../../shared/api';
import type { ErrorCode } from '../../../shared/errors';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(reply: RpcReply<T>): T {
  if (reply.ok) return reply.result;
  throw new ApiError(reply.error.code, reply.error.message);
}

/** The desktop preload hands back RpcReply values; this turns them into results or ApiErrors. */
interface RawBridge {
  invoke(method: ApiMethod, params: unknown): Promise<RpcReply<unknown>>;
  on(event: ApiEvent, listener: (payload: unknown) => void): () => void;
}

function desktopBridge(raw: RawBridge): HookbenchBridge {
  return {
    invoke: async (method, params) => unwrap(await raw.invoke(method, params)) as never,
    on: (event, listener) => raw.on(event, listener as (payload: unknown) => void),
  };
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

function httpBridge(onConnection: (state: ConnectionState) => void): HookbenchBridge {
  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  let source: EventSource | undefined;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onopen = () => onConnection('live');
    source.onerror = () => onConnection('reconnecting');
    for (const event of API_EVENTS) {
      source.addEventListener(event, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as never;
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
  };
  return {
    async invoke<M extends ApiMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const response = await fetch(`/api/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: params === undefined ? '' : JSON.stringify(params),
        credentials: 'same-origin',
      });
      if (response.status === 401) throw new ApiError('unauthorized', 'the access token is missing: open the link printed by `hookbench serve`');
      return unwrap((await response.json()) as RpcReply<ResultOf<M>>);
    },
    on(event, listener) {
      if (!source) connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const stored = listener as (payload: never) => void;
      set.add(stored);
      return () => set.delete(stored);
    },
  };
}

let bridge: HookbenchBridge | undefined;
let connectionListener: (state: ConnectionState) => void = () => {};

export function onConnectionChange(listener: (state: ConnectionState) => void) {
  connectionListener = listener;
}

export function api(): HookbenchBridge {
  if (!bridge) {
    const raw = (window as unknown as Record<string, RawBridge | undefined>)[BRIDGE_GLOBAL];
    bridge = raw ? desktopBridge(raw) : httpBridge((state) => connectionListener(state));
  }
  return bridge;
}

export const isDesktop = () => Boolean((window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL]);
