import { useStore } from '../store';
import { Timeline } from './Timeline';

/** Recent outgoing deliveries; the selected one with its attempt timeline. */
export function OutboundList({ subscriptionId }: { subscriptionId?: string }) {
  const all = useStore((s) => s.outbound);
  const selectedId = useStore((s) => s.selectedOutboundId);
  const select = useStore((s) => s.selectOutbound);
  const items = subscriptionId ? all.filter((o) => o.subscriptionId === subscriptionId) : all;
  const selected = items.find((o) => o.id === selectedId) ?? items[0];
  if (items.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <section className="outbound" aria-label="Sent">
      <h3>Sent</h3>
      <ul className="outbound-list">
        {items.slice(0, 30).map((o) => (
          <li key={o.id} aria-selected={o.id === selected?.id} onClick={() => select(o.id)} data-testid="outbound-row">
            <span className={`status-pill st-${o.status}`}>{o.status}</span> {o.event} · {o.profile} → {o.targetUrl}
            <span className="muted"> · {o.attempts.length} attempt{o.attempts.length === 1 ? '' : 's'}</span>
          </li>
        ))}
      </ul>
      {selected ? <Timeline outbound={selected} /> : null}
    </section>
  );
}
