import { useEffect, useMemo, useRef, useState } from 'react';
import type { DeliveryOutcome, DeliverySummary } from '../../../shared/model';
import { api } from '../lib/api';
import { formatBytes, relativeTime } from '../lib/bytes';
import { isFiltering, useStore } from '../store';
import { useNow } from './use-now';
import { VerdictBadge } from './VerdictPanel';

const OUTCOME_NOTE: Record<DeliveryOutcome, string> = {
  captured: '',
  'unknown-endpoint': ' · unknown endpoint',
  'too-large': ' · too large',
  verification: ' · WebSub verification',
  imported: ' · imported',
};

/** Every row is this tall, so only the visible ones are rendered (a million rows stay fast). */
const ROW_HEIGHT = 54;
const OVERSCAN = 8;
/** Browsers cap an element's height; past this the scrollbar maps proportionally onto the rows. */
const MAX_SCROLL_PX = 8_000_000;

/** Arrivals per 5 s over the last 2 minutes. */
function Sparkline({ arrivals, now }: { arrivals: number[]; now: number }) {
  const buckets = new Array<number>(24).fill(0);
  for (const at of arrivals) {
    const age = now - at;
    if (age > 120_000) continue;
    const i = 23 - Math.floor(Math.max(0, age) / 5000);
    if (i >= 0) buckets[i]! += 1;
  }
  const max = Math.max(1, ...buckets);
  const points = buckets.map((n, i) => `${i * 4},${14 - (n / max) * 13}`).join(' ');
  const total = buckets.reduce((a, b) => a + b, 0);
  return (
    <svg className="sparkline" viewBox="0 0 92 15" role="img" aria-label={`${total} arrivals in the last 2 minutes`} data-testid="sparkline">
      <title>{`${total} in the last 2 minutes`}</title>
      <polyline points={points} fill="none" strokeWidth="1.5" />
    </svg>
  );
}

function Row({ d, selected, now, onSelect, top }: { d: DeliverySummary; selected: boolean; now: number; onSelect: () => void; top: number }) {
  return (
    <li
      role="option"
      aria-selected={selected}
      className={`row ${d.outcome !== 'captured' ? 'row-warn' : ''}`}
      onClick={onSelect}
      data-testid="delivery-row"
      style={{ top, height: ROW_HEIGHT }}
    >
      <span className={`method m-${d.method.toLowerCase()}`}>{d.method}</span>
      <span className="path" title={d.path + (d.query ? `?${d.query}` : '')}>
        {d.path}
        {d.query ? <span className="muted">?{d.query}</span> : null}
      </span>
      <span className={`status s${String(d.responseStatus)[0]}`}>{d.responseStatus || '—'}</span>
      <span className="meta muted">
        <span title={new Date(d.receivedAt).toLocaleString()}>{relativeTime(d.receivedAt, now)}</span>
        {' · '}
        {formatBytes(d.bodySize)}
        {OUTCOME_NOTE[d.outcome]}
        {d.viaTunnel ? ' · via tunnel' : ''}
        {d.eventType ? ` · ${d.eventType}` : d.scheme ? ` · ${d.scheme}` : ''} <VerdictBadge outcome={d.verdictOutcome} />
      </span>
    </li>
  );
}

function Filters() {
  const filters = useStore((s) => s.filters);
  const setFilters = useStore((s) => s.setFilters);
  const total = useStore((s) => s.total);
  const [search, setSearch] = useState(filters.search);
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);
  // Cleared from elsewhere ("Clear filters"): the box follows.
  useEffect(() => {
    if (filters.search === '') setSearch('');
  }, [filters.search]);
  useEffect(() => {
    const t = setTimeout(() => {
      if (search !== useStore.getState().filters.search) void setFilters({ search });
    }, 250);
    return () => clearTimeout(t);
  }, [search, setFilters]);
  useEffect(() => {
    void api().invoke('deliveries.facets', undefined).then((f) => setEventTypes(f.eventTypes), () => setEventTypes([]));
  }, [total]);
  // "/" jumps to the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !(e.target as HTMLElement).closest('input, textarea, select')) {
        e.preventDefault();
        inputRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="filters">
      <input
        ref={inputRef}
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder="Search bodies and headers ( / )"
        aria-label="Search deliveries"
      />
      <div className="row-fields">
        <select value={filters.eventType} onChange={(e) => void setFilters({ eventType: e.target.value })} aria-label="Event type">
          <option value="">any event</option>
          {eventTypes.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <select value={filters.verdict} onChange={(e) => void setFilters({ verdict: e.target.value as never })} aria-label="Verdict">
          <option value="">any verdict</option>
          <option value="authentic">authentic</option>
          <option value="not-authentic">not authentic</option>
          <option value="unverified">not verified</option>
          <option value="none">not judged</option>
        </select>
      </div>
    </div>
  );
}

/** What an empty list says: nothing has arrived yet, or the filters hide everything. */
function EmptyList() {
  const filtering = useStore(isFiltering);
  const setFilters = useStore((s) => s.setFilters);
  if (!filtering) return <p className="muted empty-list">No deliveries yet. They appear here the moment they arrive.</p>;
  return (
    <p className="muted empty-list">
      Nothing matches these filters.{' '}
      <button type="button" className="link" onClick={() => void setFilters({ search: '', eventType: '', verdict: '' })}>
        Clear filters
      </button>
    </p>
  );
}

/**
 * Where the list is scrolled to, as a row index (fractional), and back: the
 * scroll height is capped, so with many rows a pixel covers more than a row's.
 */
function geometry(total: number, height: number) {
  const spacer = Math.min(total * ROW_HEIGHT, MAX_SCROLL_PX);
  const maxScroll = Math.max(1, spacer - height);
  const rowsInView = height / ROW_HEIGHT;
  const span = Math.max(0, total - rowsInView);
  return {
    spacer,
    rowAt: (scrollTop: number) => (span === 0 ? 0 : (Math.min(scrollTop, maxScroll) / maxScroll) * span),
    scrollFor: (row: number) => (span === 0 ? 0 : (Math.min(Math.max(0, row), span) / span) * maxScroll),
    rowsInView,
  };
}

export function DeliveryList() {
  const items = useStore((s) => s.items);
  const offset = useStore((s) => s.offset);
  const total = useStore((s) => s.total);
  const arrivals = useStore((s) => s.arrivals);
  const unseen = useStore((s) => s.unseen);
  const reload = useStore((s) => s.reload);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const showRows = useStore((s) => s.showRows);
  const now = useNow(5000);
  const listRef = useRef<HTMLOListElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { spacer, rowAt, scrollFor, rowsInView } = geometry(total, height);
  const exact = rowAt(scrollTop);
  const first = Math.max(0, Math.floor(exact) - OVERSCAN);
  const last = Math.min(total, Math.ceil(exact + rowsInView) + OVERSCAN);

  // Rows are read from the store as they come into view; the page keeps a window of them.
  useEffect(() => {
    void showRows(first, last);
  }, [first, last, total, showRows]);

  // Keep the selected row in view when moving with the keyboard.
  useEffect(() => {
    const el = listRef.current;
    const index = items.findIndex((d) => d.id === selectedId);
    if (!el || index === -1) return;
    const row = offset + index;
    const at = rowAt(el.scrollTop);
    if (row < at) el.scrollTop = scrollFor(row);
    else if (row + 1 > at + rowsInView) el.scrollTop = scrollFor(row + 1 - rowsInView);
  }, [selectedId, items, offset]);

  const rows = useMemo(() => {
    const out: { index: number; d: DeliverySummary | undefined }[] = [];
    for (let i = first; i < last; i++) out.push({ index: i, d: items[i - offset] });
    return out;
  }, [items, offset, first, last]);

  return (
    <nav className="list" aria-label="Deliveries">
      <div className="list-head">
        <span>Deliveries</span>
        <Sparkline arrivals={arrivals} now={now} />
        <span className="muted" data-testid="delivery-count">
          {total}
        </span>
      </div>
      <Filters />
      {unseen > 0 ? (
        <button type="button" className="more" onClick={() => void reload()}>
          {unseen} new — show
        </button>
      ) : null}
      {total === 0 ? <EmptyList /> : null}
      <ol ref={listRef} role="listbox" aria-label="Deliveries, newest first" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <li aria-hidden="true" className="spacer" style={{ height: spacer }} />
        {rows.map(({ index, d }) => {
          const top = scrollTop + (index - exact) * ROW_HEIGHT;
          return d ? (
            <Row key={d.id} d={d} top={top} selected={d.id === selectedId} now={now} onSelect={() => void select(d.id)} />
          ) : (
            <li key={`row-${index}`} aria-hidden="true" className="row row-loading muted" style={{ top, height: ROW_HEIGHT }}>
              loading…
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
