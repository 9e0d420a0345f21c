/**
 * A safe wrapper around the localtunnel client. Left alone, localtunnel 2.0.2
 * retries its server forever when it cannot reach it, and close() does not
 * stop that loop. Here the tunnel info is requested with our own deadline and
 * abort, localtunnel's socket cluster carries the traffic, every error is
 * handled, a dropped tunnel is reopened with backoff, and stop() ends every
 * timer and socket.
 */
import Tunnel from 'localtunnel/lib/Tunnel.js';
import type { TunnelState } from '../../../shared/tunnel';
import type { Clock } from '../clock';

export interface TunnelOptions {
  host: string;
  subdomain: string | null;
  /** The receiver's tunnel port on 127.0.0.1: the only thing the tunnel reaches. */
  localPort: number;
  /** Opening gives up after this long, with a reason. */
  deadlineMs?: number;
  clock: Clock;
  onState(state: TunnelState): void;
}

interface TunnelInfo {
  id: string;
  port: number;
  url: string;
  max_conn_count?: number;
  ip?: string;
}

const RETRY_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

export type TunnelHandle = ReturnType<typeof createTunnel>;

export function createTunnel(options: TunnelOptions) {
  const deadlineMs = options.deadlineMs ?? 10_000;
  let state: TunnelState = { status: 'closed', url: null, host: options.host, subdomain: options.subdomain, reason: null, nextTryAt: null, previousUrl: null };
  let tunnel: Tunnel | null = null;
  let stopped = false;
  let abort: AbortController | null = null;
  const timers = new Set<NodeJS.Timeout>();
  let failures = 0;

  const set = (patch: Partial<TunnelState>) => {
    state = { ...state, ...patch };
    options.onState(state);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** `GET /?new` or `GET /<subdomain>`, retried each second until the deadline. */
  async function requestInfo(): Promise<TunnelInfo> {
    const url = `${options.host.replace(/\/$/, '')}/${options.subdomain ?? '?new'}`;
    const until = options.clock.now() + deadlineMs;
    let lastReason = 'no answer';
    while (!stopped) {
      abort = new AbortController();
      const left = until - options.clock.now();
      if (left <= 0) break;
      const timer = setTimeout(() => abort?.abort(), left);
      try {
        const res = await fetch(url, { signal: abort.signal, headers: { Accept: 'application/json' } });
        const body = (await res.json().catch(() => null)) as (TunnelInfo & { message?: string }) | null;
        if (!res.ok) throw new Error(body?.message ?? `the tunnel server answered ${res.status}`);
        if (!body || typeof body.port !== 'number' || typeof body.url !== 'string') throw new Error('the tunnel server answered without a port and URL');
        return body;
      } catch (error) {
        const e = error as Error & { cause?: { code?: string; message?: string } };
        lastReason = e.name === 'AbortError' ? `no answer within ${Math.round(deadlineMs / 1000)} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
        if (/answered|without a port/.test(e.message)) throw new Error(lastReason);
      } finally {
        clearTimeout(timer);
        abort = null;
      }
      if (until - options.clock.now() > RETRY_MS) await sleep(RETRY_MS);
      else break;
    }
    throw new Error(stopped ? 'stopped' : `cannot reach the tunnel server ${options.host}: ${lastReason}`);
  }

  /** Opens localtunnel's sockets to the server's port; resolves once one is connected. */
  function establish(info: TunnelInfo): Promise<void> {
    // No local_host: with it, localtunnel rewrites the Host header, and captures must be byte-exact.
    const t = new Tunnel({ host: options.host, port: options.localPort });
    tunnel = t;
    t.url = info.url;
    t.clientId = info.id;
    let connected = 0;
    return new Promise<void>((resolve, reject) => {
      const giveUp = setTimeout(() => {
        timers.delete(giveUp);
        reject(new Error(`the tunnel server gave port ${info.port} but no connection to it opened within ${Math.round(deadlineMs / 1000)} s`));
      }, deadlineMs);
      timers.add(giveUp);
      t.on('error', (error: Error) => {
        // A socket of the cluster failed. Only when none is left is the tunnel down.
        if (t !== tunnel || stopped) return;
        if (connected === 0 && state.status === 'open') reconnect(error.message);
      });
      t._establish(t._getInfo(info));
      const cluster = t.tunnelCluster!;
      cluster.on('open', () => {
        connected++;
        if (connected === 1) {
          clearTimeout(giveUp);
          timers.delete(giveUp);
          resolve();
        }
      });
      cluster.on('dead', () => {
        connected = Math.max(0, connected - 1);
      });
    });
  }

  function dispose(t: Tunnel | null) {
    if (!t) return;
    t.closed = true;
    t.removeAllListeners('error');
    t.on('error', () => {});
    t.tunnelCluster?.on('error', () => {});
    t.close();
  }

  let reconnecting = false;

  function reconnect(reason: string) {
    if (stopped || reconnecting) return;
    reconnecting = true;
    const old = tunnel;
    tunnel = null;
    dispose(old);
    const delay = Math.min(BACKOFF_MAX_MS, RETRY_MS * 2 ** failures);
    failures++;
    set({ status: 'reconnecting', reason: `the tunnel dropped: ${reason}`, nextTryAt: options.clock.now() + delay });
    void (async () => {
      await sleep(delay);
      if (stopped) return;
      try {
        const info = await requestInfo();
        await establish(info);
        failures = 0;
        reconnecting = false;
        const previous = state.url;
        set({ status: 'open', url: info.url, reason: null, nextTryAt: null, previousUrl: previous && previous !== info.url ? previous : null });
      } catch (error) {
        reconnecting = false;
        if (!stopped) reconnect((error as Error).message);
      }
    })();
  }

  return {
    state: () => state,
    async start(): Promise<TunnelState> {
      stopped = false;
      set({ status: 'opening', reason: null, url: null, nextTryAt: null, previousUrl: null });
      try {
        const info = await requestInfo();
        await establish(info);
        set({ status: 'open', url: info.url });
      } catch (error) {
        const reason = (error as Error).message;
        await this.stop();
        set({ status: 'failed', reason });
      }
      return state;
    },
    /** Ends every timer, request and socket; nothing is left running. */
    async stop(): Promise<void> {
      stopped = true;
      abort?.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      dispose(tunnel);
      tunnel = null;
      if (state.status !== 'failed') set({ status: 'closed', url: null, nextTryAt: null, reason: null });
    },
  };
}
