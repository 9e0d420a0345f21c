import { useEffect, useState } from 'react';
import { onConnectionChange } from '../lib/api';
import { connectLiveUpdates, isFiltering, useStore } from '../store';
import { CopyButton } from './CopyButton';
import { DeliveryDetail } from './DeliveryDetail';
import { DeliveryList } from './DeliveryList';
import { EmptyState } from './EmptyState';
import { EndpointsPanel } from './EndpointsPanel';
import { ImportPanel } from './ImportPanel';
import { TunnelControl } from './TunnelControl';
import { StoragePanel } from './StoragePanel';
import { KeysPanel } from './KeysPanel';
import { SendPanel } from './SendPanel';
import { SubscriptionsPanel } from './SubscriptionsPanel';
import type { View } from '../store';

const VIEWS: { id: View; label: string }[] = [
  { id: 'inspect', label: 'Inspect' },
  { id: 'send', label: 'Send' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'keys', label: 'Keys' },
];

function useKeyboard() {
  const selectRelative = useStore((s) => s.selectRelative);
  const select = useStore((s) => s.select);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        selectRelative(1);
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        selectRelative(-1);
      } else if (e.key === 'Escape') {
        void select(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectRelative, select]);
}

export function App() {
  const info = useStore((s) => s.info);
  const endpoints = useStore((s) => s.endpoints);
  const detail = useStore((s) => s.detail);
  const selectedId = useStore((s) => s.selectedId);
  const connection = useStore((s) => s.connection);
  const error = useStore((s) => s.error);
  const setError = useStore((s) => s.setError);
  const endpointFilter = useStore((s) => s.endpointFilter);
  const setEndpointFilter = useStore((s) => s.setEndpointFilter);
  const [showEndpoints, setShowEndpoints] = useState(false);
  const [showImport, setShowImport] = useState(false);
  const [showStorage, setShowStorage] = useState(false);
  const total = useStore((s) => s.total);
  const filtering = useStore(isFiltering);
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);

  useEffect(() => {
    onConnectionChange((state) => useStore.getState().setConnection(state));
    const off = connectLiveUpdates();
    void useStore.getState().load();
    return off;
  }, []);
  useKeyboard();

  const current = endpoints.find((e) => e.id === endpointFilter) ?? endpoints[0];
  const url = info && current ? `${info.publicUrl ?? info.receiverUrl}/e/${current.name}` : '';

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Hookbench</strong>
        <nav className="views" role="tablist" aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v.id} type="button" role="tab" aria-selected={view === v.id} onClick={() => setView(v.id)}>
              {v.label}
            </button>
          ))}
        </nav>
        <label className="url-row">
          <span className="muted">Show</span>
          <select
            aria-label="Show deliveries of"
            value={endpointFilter ?? ''}
            onChange={(e) => void setEndpointFilter(e.target.value || null)}
          >
            <option value="">all endpoints</option>
            {endpoints.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        {url ? (
          <span className="url-row">
            <span className="muted">Send to</span>
            <code data-testid="topbar-url">{url}</code>
            <CopyButton text={url} label="Copy URL" />
          </span>
        ) : null}
        <button type="button" onClick={() => setShowEndpoints((v) => !v)} aria-pressed={showEndpoints}>
          Endpoints
        </button>
        <button type="button" onClick={() => setShowImport((v) => !v)} aria-pressed={showImport}>
          Import…
        </button>
        <TunnelControl />
        <span className={`conn conn-${connection}`} title="Live updates">
          {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </header>
      {error ? (
        <div className="error" role="alert">
          {error}
          <button type="button" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {view !== 'inspect' ? (
        <main className="single-pane">
          {view === 'send' ? <SendPanel /> : view === 'keys' ? <KeysPanel /> : <SubscriptionsPanel />}
        </main>
      ) : (
      <main className="panes">
        <DeliveryList />
        <section className="pane-detail">
          {showEndpoints ? (
            <EndpointsPanel onClose={() => setShowEndpoints(false)} />
          ) : showImport ? (
            <ImportPanel onClose={() => setShowImport(false)} />
          ) : showStorage ? (
            <StoragePanel onClose={() => setShowStorage(false)} />
          ) : !info ? (
            <p className="muted">Loading…</p>
          ) : endpoints.length === 0 ? (
            <section className="empty">
              <h2>No endpoints</h2>
              <p>Create an endpoint to get a URL to send webhooks to.</p>
              <button type="button" onClick={() => setShowEndpoints(true)}>
                Create an endpoint
              </button>
            </section>
          ) : total === 0 && !filtering ? (
            <EmptyState url={url} />
          ) : detail ? (
            <DeliveryDetail detail={detail} />
          ) : selectedId !== null ? (
            <p className="muted">Loading delivery…</p>
          ) : (
            <p className="muted hint">Select a delivery, or use ↑ ↓ to move through the list.</p>
          )}
        </section>
      </main>
      )}
      <footer className="statusbar muted">
        {info ? `Hookbench ${info.version} · ${info.mode} · data in ${info.dataDir} · ${total.toLocaleString()} shown ` : ''}
        <button type="button" className="link" onClick={() => setShowStorage((v) => !v)}>
          Storage…
        </button>
      </footer>
    </div>
  );
}
