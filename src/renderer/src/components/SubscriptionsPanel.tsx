import { useEffect, useState, type FormEvent } from 'react';
import type { CreatedSubscription, DataScope, Outbound, ProfileId, SubscriptionStatus } from '../../../shared/sender';
import { api } from '../lib/api';
import { useStore } from '../store';
import { CopyButton } from './CopyButton';
import { Timeline } from './Timeline';
import { HubTopics } from './HubTopics';
import { ProfileSelect, ScopeSelect, useDefaultTarget } from './SenderFields';

const PAGE = 10;

function Logs({ id }: { id: string }) {
  const outbound = useStore((s) => s.outbound);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Outbound[]; total: number }>({ items: [], total: 0 });
  const [open, setOpen] = useState<string | null>(null);
  // Reload when anything of this subscription changes (live attempts).
  const changed = outbound.filter((o) => o.subscriptionId === id).map((o) => `${o.id}:${o.attempts.length}:${o.status}`).join();
  useEffect(() => {
    void api().invoke('subscriptions.logs', { id, limit: PAGE, offset }).then(setPage);
  }, [id, offset, changed]);
  if (page.total === 0) return <p className="muted">No deliveries yet: send an event.</p>;
  return (
    <div className="logs">
      <ul className="outbound-list">
        {page.items.map((o) => (
          <li key={o.id} onClick={() => setOpen(open === o.id ? null : o.id)} aria-expanded={open === o.id} data-testid="log-row">
            <span className={`status-pill st-${o.status}`}>{o.status}</span> {o.event} · {new Date(o.createdAt).toLocaleString()} ·{' '}
            {o.attempts.length} attempt{o.attempts.length === 1 ? '' : 's'}
            {open === o.id ? <Timeline outbound={o} /> : null}
          </li>
        ))}
      </ul>
      <div className="row-fields">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Newer
        </button>
        <span className="muted">
          {offset + 1}-{Math.min(offset + PAGE, page.total)} of {page.total}
        </span>
        <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
          Older
        </button>
      </div>
    </div>
  );
}

/** Webhook subscriptions as seed 000's dashboard has them, with delivery logs and the attempt timeline. */
export function SubscriptionsPanel() {
  const profiles = useStore((s) => s.profiles);
  const subscriptions = useStore((s) => s.subscriptions);
  const setError = useStore((s) => s.setError);
  const [name, setName] = useState('Production Webhook');
  const [profileId, setProfileId] = useState<ProfileId>('engageplus');
  const profile = profiles.find((p) => p.id === profileId);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [scope, setScope] = useState<DataScope>('UUID_ONLY');
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const defaultUrl = useDefaultTarget();
  const call = async <T,>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      setError((error as Error).message);
      return undefined;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await call(() =>
      api().invoke('subscriptions.create', {
        name,
        profile: profileId,
        endpointUrl: url || defaultUrl,
        events: events.length ? events : undefined,
        dataScope: profile?.scopes.includes(scope) ? scope : undefined,
      }),
    );
    if (result) setCreated(result);
  };

  return (
    <section className="subscriptions-panel" aria-label="Subscriptions">
      <h2>Subscriptions</h2>
      <form onSubmit={submit} className="send-form" aria-label="Create a subscription">
        <div className="row-fields">
          <label>
            Name <input value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <ProfileSelect
            value={profileId}
            onChange={(id) => {
              setProfileId(id);
              setEvents([]);
            }}
          />
          <ScopeSelect profile={profile} value={scope} onChange={setScope} />
        </div>
        <label>
          Endpoint URL <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={defaultUrl} />
        </label>
        <fieldset className="events">
          <legend>Events</legend>
          {profile?.events.map((ev) => (
            <label key={ev} className="inline">
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} />
              {ev}
            </label>
          ))}
        </fieldset>
        <button type="submit">Create subscription</button>
      </form>
      {created ? (
        <div className="note secret-once" role="status">
          Signing secret for “{created.name}”. It is shown only this once: <code data-testid="new-secret">{created.secret}</code>{' '}
          <CopyButton text={created.secret ?? ''} label="Copy secret" />{' '}
          <button type="button" onClick={() => setCreated(null)}>
            I saved it
          </button>
        </div>
      ) : null}
      {subscriptions.length === 0 ? <p className="muted">No subscriptions yet.</p> : null}
      <ul className="subscriptions">
        {subscriptions.map((s) => (
          <li key={s.id} data-testid="subscription-item">
            <div className="url-row">
              <strong>{s.name}</strong>
              <span className="muted">{s.profile}</span>
              <code>{s.endpointUrl}</code>
              <select
                aria-label={`Status of ${s.name}`}
                value={s.status}
                onChange={(e) => void call(() => api().invoke('subscriptions.update', { id: s.id, status: e.target.value as SubscriptionStatus }))}
              >
                <option>ACTIVE</option>
                <option>PAUSED</option>
                <option>DISABLED</option>
              </select>
              <button type="button" disabled={s.status !== 'ACTIVE'} onClick={() => void call(() => api().invoke('subscriptions.trigger', { id: s.id }))}>
                Send {s.events[0]}
              </button>
              <button type="button" onClick={() => setLogsOf(logsOf === s.id ? null : s.id)} aria-expanded={logsOf === s.id}>
                Delivery logs
              </button>
              <button
                type="button"
                onClick={() => {
                  if (window.confirm(`Delete "${s.name}" and its logs?`)) void call(() => api().invoke('subscriptions.delete', { id: s.id }));
                }}
              >
                Delete
              </button>
            </div>
            <p className="muted">
              {s.events.join(', ')} · {s.dataScope} · retries: {s.policy.name} ({s.policy.maxAttempts} attempts)
              {s.disabledReason ? ` · disabled: ${s.disabledReason}` : ''}
            </p>
            {s.profile === 'asgardeo' ? <HubTopics subscriptionId={s.id} /> : null}
            {logsOf === s.id ? <Logs id={s.id} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
