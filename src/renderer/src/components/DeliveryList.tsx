import { useEffect, useRef } from 'react';
import type { DeliveryOutcome } from '../../../shared/model';
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

export function DeliveryList() {
  const items = useStore((s) => s.items);
  const total = useStore((s) => s.total);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const loadMore = useStore((s) => s.loadMore);
  const hasMore = useStore((s) => s.nextBeforeId !== null);
  const now = useNow(5000);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  return (
    <nav className="list" aria-label="Deliveries">
      <div className="list-head">
        <span>Deliveries</span>
        <span className="muted" data-testid="delivery-count">
          {total}
        </span>
      </div>
      <ol
        ref={listRef}
        role="listbox"
        aria-label="Deliveries, newest first"
        onScroll={(e) => {
          const el = e.currentTarget;
          if (hasMore && el.scrollTop + el.clientHeight > el.scrollHeight - 200) void loadMore();
        }}
      >
        {items.map((d) => (
          <li
            key={d.id}
            role="option"
            aria-selected={d.id === selectedId}
            className={`row ${d.outcome !== 'captured' ? 'row-warn' : ''}`}
            onClick={() => void select(d.id)}
            data-testid="delivery-row"
          >
            <span className={`method m-${d.method.toLowerCase()}`}>{d.method}</span>
            <span className="path" title={d.path + (d.query ? `?${d.query}` : '')}>
              {d.path}
              {d.query ? <span className="muted">?{d.query}</span> : null}
            </span>
            <span className={`status s${String(d.responseStatus)[0]}`}>{d.responseStatus}</span>
            <span className="meta muted">
              <span title={new Date(d.receivedAt).toLocaleString()}>{relativeTime(d.receivedAt, now)}</span>
              {' · '}
              {formatBytes(d.bodySize)}
              {OUTCOME_NOTE[d.outcome]}
              {d.viaTunnel ? ' · via tunnel' : ''}
              {d.scheme ? ` · ${d.scheme}` : ''} <VerdictBadge outcome={d.verdictOutcome} />
            </span>
          </li>
        ))}
      </ol>
      {hasMore ? (
        <button type="button" className="more" onClick={() => void loadMore()}>
          Load older
        </button>
      ) : null}
    </nav>
  );
}
