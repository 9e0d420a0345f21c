/**
 * One zustand store of typed slices (the zustand slices pattern). Live
 * arrivals are buffered and merged at most every 100 ms, so a burst of
 * deliveries does not re-render the list once per request.
 */
import { create, type StateCreator } from 'zustand';
import type { VerdictOutcome } from '../../shared/verdict';
import type {
  AppInfo,
  CreateEndpointInput,
  DeliveryQuery,
  DeliveryDetail,
  DeliverySummary,
  Endpoint,
  UpdateEndpointInput,
} from '../../shared/model';
import type { KeyInfo, Outbound, ProfileInfo, RetryPolicy, Subscription } from '../../shared/sender';
import { DEFAULT_TUNNEL_HOST, type TunnelState } from '../../shared/tunnel';
import { api, type ConnectionState } from './lib/api';

const PAGE = 200;
const FLUSH_MS = 100;

interface AppSlice {
  info: AppInfo | null;
  endpoints: Endpoint[];
  /** Show only this endpoint's deliveries; null shows all. */
  endpointFilter: string | null;
  /** The other filters of the list; `search` finds text in headers and bodies. */
  filters: { eventType: string; verdict: '' | VerdictOutcome | 'none'; search: string };
  /** Arrivals not shown because a search is active (the server decides what matches). */
  unseen: number;
  connection: ConnectionState;
  tunnel: TunnelState;
  error: string | null;
  load(): Promise<void>;
  setEndpoints(endpoints: Endpoint[]): void;
  setEndpointFilter(id: string | null): Promise<void>;
  setFilters(filters: Partial<AppSlice['filters']>): Promise<void>;
  reload(): Promise<void>;
  createEndpoint(input: CreateEndpointInput): Promise<boolean>;
  updateEndpoint(input: UpdateEndpointInput): Promise<boolean>;
  deleteEndpoint(id: string): Promise<void>;
  setConnection(state: ConnectionState): void;
  setTunnel(state: TunnelState): void;
  setError(message: string | null): void;
}

interface DeliveriesSlice {
  /** A window of the list: rows `offset` to `offset + items.length - 1`, newest first. */
  items: DeliverySummary[];
  offset: number;
  total: number;
  /** Arrival times of the last 2 minutes, whatever the filters, for the sparkline. */
  arrivals: number[];
  loadingRows: boolean;
  selectedId: number | null;
  detail: DeliveryDetail | null;
  /** Loads what rows `first` to `last` of the whole list need, keeping at most WINDOW rows. */
  showRows(first: number, last: number): Promise<void>;
  select(id: number | null): Promise<void>;
  selectRelative(step: 1 | -1): void;
  receive(summary: DeliverySummary): void;
}

export type View = 'inspect' | 'send' | 'subscriptions' | 'keys';

interface SenderSlice {
  view: View;
  profiles: ProfileInfo[];
  policies: RetryPolicy[];
  keys: KeyInfo[];
  subscriptions: Subscription[];
  outbound: Outbound[];
  selectedOutboundId: string | null;
  setView(view: View): void;
  loadSender(): Promise<void>;
  setKeys(keys: KeyInfo[]): void;
  setSubscriptions(list: Subscription[]): void;
  upsertOutbound(outbound: Outbound): void;
  selectOutbound(id: string | null): void;
}

export type State = AppSlice & DeliveriesSlice & SenderSlice;

const createAppSlice: StateCreator<State, [], [], AppSlice> = (set, get) => ({
  info: null,
  endpoints: [],
  endpointFilter: null,
  filters: { eventType: '', verdict: '', search: '' },
  unseen: 0,
  connection: 'connecting',
  tunnel: { status: 'closed', url: null, host: DEFAULT_TUNNEL_HOST, subdomain: null, reason: null, nextTryAt: null, previousUrl: null },
  error: null,
  async load() {
    try {
      const [info, endpoints, top, tunnel] = await Promise.all([
        api().invoke('app.info', undefined),
        api().invoke('endpoints.list', undefined),
        readTop(currentQuery(get())),
        api().invoke('tunnel.status', undefined),
      ]);
      set({ info, endpoints, tunnel, error: null });
      // The sparkline starts from the first page, whichever read of it counts for the list.
      if (get().arrivals.length === 0) set({ arrivals: recentOf(top.items.map((d) => d.receivedAt)) });
      if (top.current) set({ items: top.items, total: top.total, offset: 0 });
      // The desktop bridge is live from the start; in a browser the event stream says when it is.
      if (info.mode === 'desktop') set({ connection: 'live' });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  setEndpoints: (endpoints) => set({ endpoints }),
  async setEndpointFilter(endpointFilter) {
    set({ endpointFilter, selectedId: null, detail: null });
    await get().reload();
  },
  async setFilters(filters) {
    set({ filters: { ...get().filters, ...filters } });
    await get().reload();
  },
  async reload() {
    try {
      const top = await readTop(currentQuery(get()));
      if (top.current) set({ items: top.items, total: top.total, offset: 0, unseen: 0 });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  createEndpoint: (input) => attempt(set, async () => get().setEndpoints([...get().endpoints, await api().invoke('endpoints.create', input)])),
  updateEndpoint: (input) =>
    attempt(set, async () => {
      const updated = await api().invoke('endpoints.update', input);
      get().setEndpoints(get().endpoints.map((e) => (e.id === updated.id ? updated : e)));
    }),
  async deleteEndpoint(id) {
    await attempt(set, async () => {
      await api().invoke('endpoints.delete', { id });
      get().setEndpoints(get().endpoints.filter((e) => e.id !== id));
      if (get().endpointFilter === id) await get().setEndpointFilter(null);
    });
  },
  setConnection(connection) {
    const was = get().connection;
    set({ connection });
    // Arrivals while the event stream was not open were never pushed: read the top of the list again.
    if (connection === 'live' && was !== 'live') void get().reload();
  },
  setTunnel: (tunnel) => {
    set({ tunnel });
    // Endpoint and JWKS URLs follow the public base while the tunnel is open.
    void api()
      .invoke('app.info', undefined)
      .then((info) => set({ info }));
  },
  setError: (error) => set({ error }),
});

/** Whether any filter of the list is set. */
export const isFiltering = (s: Pick<State, 'filters'>) => Boolean(s.filters.search.trim() || s.filters.eventType || s.filters.verdict);

/** The list's query from the filters in the store. */
function currentQuery(s: Pick<State, 'endpointFilter' | 'filters'>): DeliveryQuery {
  return {
    endpointId: s.endpointFilter ?? undefined,
    eventType: s.filters.eventType || undefined,
    verdict: s.filters.verdict || undefined,
    search: s.filters.search.trim() || undefined,
  };
}

/** Runs a call; a failure becomes the error banner. Resolves true on success. */
async function attempt(set: (partial: Partial<State>) => void, work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    set({ error: null });
    return true;
  } catch (error) {
    set({ error: (error as Error).message });
    return false;
  }
}

/** Counts list reads of the top; an answer counts only if no read started after it. */
let topReads = 0;
/** Rows live arrivals added, newest last, and how many were ever added: a read of the top keeps those it missed. */
let arrived: DeliverySummary[] = [];
let arrivedCount = 0;

/**
 * The first page of the list for a query, with the rows that arrived live while it was read and
 * are newer than its newest row. Not `current` when the query changed or a later read started
 * meanwhile: the list then waits for that one.
 */
async function readTop(query: DeliveryQuery): Promise<Pick<State, 'items' | 'total'> & { current: boolean }> {
  const read = ++topReads;
  const mark = arrivedCount;
  const page = await api().invoke('deliveries.list', { ...query, limit: PAGE });
  const current = read === topReads && JSON.stringify(currentQuery(useStore.getState())) === JSON.stringify(query);
  const newest = page.items[0]?.id ?? 0;
  const missed = arrived
    .slice(Math.max(0, arrived.length - (arrivedCount - mark)))
    .filter((d) => d.id > newest && matches(query, d))
    .reverse();
  return { items: [...missed, ...page.items], total: page.total + missed.length, current };
}

/** Whether a live arrival belongs in the list under a query without a search (the server decides those). */
function matches(query: DeliveryQuery, d: DeliverySummary): boolean {
  return (
    !query.search &&
    (query.endpointId === undefined || d.endpointId === query.endpointId) &&
    (!query.eventType || d.eventType === query.eventType) &&
    (!query.verdict || (query.verdict === 'none' ? d.verdictOutcome === null : d.verdictOutcome === query.verdict))
  );
}

let pending: DeliverySummary[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/** Rows live arrivals have put above the window: an answer asked for before them lands that much lower. */
let shifted = 0;
/** The latest range asked for while a load was running, loaded after it. */
let wanted: [number, number] | null = null;

/** The sparkline's span: arrival times older than this are dropped (newest first, at most 10,000). */
const recentOf = (times: number[]) => {
  const since = Date.now() - 120_000;
  const kept = times.slice(0, 10_000);
  const cut = kept.findIndex((t) => t < since);
  return cut === -1 ? kept : kept.slice(0, cut);
};

/** Rows kept in the page at most, and rows loaded beyond what is visible. */
const WINDOW = 1000;
const MARGIN = 100;

const createDeliveriesSlice: StateCreator<State, [], [], DeliveriesSlice> = (set, get) => ({
  items: [],
  offset: 0,
  total: 0,
  arrivals: [],
  loadingRows: false,
  selectedId: null,
  detail: null,
  async showRows(first, last) {
    const { items, offset, total, loadingRows } = get();
    const from = Math.max(0, first - MARGIN);
    const to = Math.min(total, last + MARGIN);
    const end = offset + items.length;
    if (from >= offset && to <= end) return;
    if (loadingRows) {
      wanted = [first, last];
      return;
    }
    set({ loadingRows: true });
    const query = currentQuery(get());
    const shiftedBefore = shifted;
    try {
      // Further down from the window: carry on from its last row (no rows are skipped in SQLite).
      // Just above it: the rows up to its first. Anywhere else: the place, by its offset.
      const forward = from >= offset && from <= end && items.length > 0;
      const backward = !forward && to > offset && to <= end;
      const start = forward ? end : Math.max(0, from - MARGIN);
      const limit = Math.min(WINDOW, backward ? offset - start : to - start + MARGIN);
      const anchor = forward ? items[items.length - 1]!.id : null;
      const page = await api().invoke('deliveries.list', anchor !== null ? { ...query, beforeId: anchor, limit } : { ...query, offset: start, limit });
      if (JSON.stringify(currentQuery(get())) !== JSON.stringify(query)) return;
      set((s) => {
        const sEnd = s.offset + s.items.length;
        // Rows that arrived meanwhile moved everything down; rows after the anchor still follow it.
        const at = anchor !== null && s.items[s.items.length - 1]?.id === anchor ? sEnd : start + (shifted - shiftedBefore);
        // Joined to the window when they touch it, otherwise in its place; then cut to WINDOW
        // rows, dropping those farthest from what was asked for.
        let rows: DeliverySummary[];
        let rowsAt: number;
        if (at === sEnd) [rows, rowsAt] = [[...s.items, ...page.items], s.offset];
        else if (at + page.items.length === s.offset) [rows, rowsAt] = [[...page.items, ...s.items], at];
        else [rows, rowsAt] = [page.items, at];
        if (rows.length > WINDOW) {
          const keepFrom = Math.min(Math.max(0, at - rowsAt + page.items.length - WINDOW), rows.length - WINDOW);
          rows = rows.slice(keepFrom, keepFrom + WINDOW);
          rowsAt += keepFrom;
        }
        return { items: rows, offset: rowsAt, total: page.total + (shifted - shiftedBefore) };
      });
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ loadingRows: false });
      const next = wanted;
      wanted = null;
      if (next) void get().showRows(next[0], next[1]);
    }
  },
  async select(id) {
    set({ selectedId: id, detail: id === null ? null : get().detail?.id === id ? get().detail : null });
    if (id === null) return;
    try {
      const detail = await api().invoke('deliveries.get', { id });
      if (get().selectedId === id) set({ detail });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  selectRelative(step) {
    const { items, selectedId } = get();
    if (items.length === 0) return;
    const index = items.findIndex((d) => d.id === selectedId);
    const next = index === -1 ? 0 : Math.min(items.length - 1, Math.max(0, index + step));
    void get().select(items[next]!.id);
  },
  receive(summary) {
    pending.push(summary);
    if (flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      const batch = pending.reverse();
      pending = [];
      set({ arrivals: recentOf([...batch.map((d) => d.receivedAt), ...get().arrivals]) });
      arrived = [...arrived, ...[...batch].reverse()].slice(-WINDOW);
      arrivedCount += batch.length;
      set((s) => {
        const known = new Set(s.items.map((d) => d.id));
        const query = currentQuery(s);
        if (query.search) return { unseen: s.unseen + batch.length };
        const fresh = batch.filter((d) => !known.has(d.id) && matches(query, d));
        // At the top, new rows join the window; further down they only push it down.
        shifted += fresh.length;
        if (s.offset > 0) return { offset: s.offset + fresh.length, total: s.total + fresh.length };
        return { items: [...fresh, ...s.items].slice(0, WINDOW), total: s.total + fresh.length };
      });
    }, FLUSH_MS);
  },
});

const createSenderSlice: StateCreator<State, [], [], SenderSlice> = (set, get) => ({
  view: 'inspect',
  profiles: [],
  policies: [],
  keys: [],
  subscriptions: [],
  outbound: [],
  selectedOutboundId: null,
  setView: (view) => {
    set({ view });
    if (view !== 'inspect' && get().profiles.length === 0) void get().loadSender();
  },
  async loadSender() {
    await attempt(set, async () => {
      const [profiles, policies, keys, subscriptions, outbound] = await Promise.all([
        api().invoke('profiles.list', undefined),
        api().invoke('policies.list', undefined),
        api().invoke('keys.list', undefined),
        api().invoke('subscriptions.list', undefined),
        api().invoke('outbound.list', { limit: 50 }),
      ]);
      set({ profiles, policies, keys, subscriptions, outbound });
    });
  },
  setKeys: (keys) => set({ keys }),
  setSubscriptions: (subscriptions) => set({ subscriptions }),
  upsertOutbound: (o) =>
    set((s) => {
      const rest = s.outbound.filter((x) => x.id !== o.id);
      return { outbound: [o, ...rest].sort((a, b) => b.createdAt - a.createdAt).slice(0, 200) };
    }),
  selectOutbound: (selectedOutboundId) => set({ selectedOutboundId }),
});

export const useStore = create<State>()((...a) => ({
  ...createAppSlice(...a),
  ...createDeliveriesSlice(...a),
  ...createSenderSlice(...a),
}));

/** Subscribes the store to the engine's pushed events; returns the unsubscribe. */
export function connectLiveUpdates(): () => void {
  const offs = [
    api().on('delivery.created', (summary) => useStore.getState().receive(summary)),
    api().on('endpoints.changed', (endpoints) => useStore.getState().setEndpoints(endpoints)),
    api().on('outbound.changed', (o) => useStore.getState().upsertOutbound(o)),
    api().on('subscriptions.changed', (list) => useStore.getState().setSubscriptions(list)),
    api().on('keys.changed', (keys) => useStore.getState().setKeys(keys)),
    api().on('tunnel.changed', (t) => useStore.getState().setTunnel(t)),
  ];
  return () => offs.forEach((off) => off());
}
