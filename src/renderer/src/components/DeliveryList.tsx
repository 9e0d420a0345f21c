import { useEffect, useMemo, useRef, useState } from 'react';
import type { DeliveryOutcome, DeliverySummary } from '../../../shared/model';
import { api } from '../lib/api';
import { formatBytes, relativeTime } from '../lib/bytes';
import { useStore } from '../store';
import { useNow } from './use-now';
import { VerdictBadge } from './VerdictPanel';

const OUTCOME_NOTE: Record<DeliveryOutcome, string> = {
  captured: '',
  'unknown-endpoint': ' · unknown endpoint',
  'too-large': ' · too large',
  verification: ' · WebSub verification',
  imported: ' · imported',
};

/** Every row is this tall, so only the visible ones are rendered (100,000 rows stay fast). */
const ROW_HEIGHT = 54;
const OVERSCAN = 8;

/** Arrivals per 5 s over the last 2 minutes, from the loaded rows. */
function Sparkline({ items, now }: { items: DeliverySummary[]; now: number }) {
  const buckets = new Array<number>(24).fill(0);
  for (const d of items) {
    const age = now - d.receivedAt;
    if (age > 120_000) break;
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

export function DeliveryList() {
  const items = useStore((s) => s.items);
  const total = useStore((s) => s.total);
  const unseen = useStore((s) => s.unseen);
  const reload = useStore((s) => s.reload);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const loadMore = useStore((s) => s.loadMore);
  const hasMore = useStore((s) => s.nextBeforeId !== null);
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

  // Keep the selected row in view when moving with the keyboard.
  useEffect(() => {
    const el = listRef.current;
    const index = items.findIndex((d) => d.id === selectedId);
    if (!el || index === -1) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selectedId, items]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = useMemo(() => items.slice(first, last), [items, first, last]);

  return (
    <nav className="list" aria-label="Deliveries">
      <div className="list-head">
        <span>Deliveries</span>
        <Sparkline items={items} now={now} />
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
      <ol
        ref={listRef}
        role="listbox"
        aria-label="Deliveries, newest first"
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          if (hasMore && el.scrollTop + el.clientHeight > el.scrollHeight - 20 * ROW_HEIGHT) void loadMore();
        }}
      >
        <li aria-hidden="true" className="spacer" style={{ height: items.length * ROW_HEIGHT }} />
        {visible.map((d, i) => (
          <Row key={d.id} d={d} top={(first + i) * ROW_HEIGHT} selected={d.id === selectedId} now={now} onSelect={() => void select(d.id)} />
        ))}
      </ol>
      {items.length === 0 && total === 0 ? <p className="muted empty-list">Nothing matches.</p> : null}
    </nav>
  );
}
