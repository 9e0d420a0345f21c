import { useEffect } from 'react';
import { onConnectionChange } from '../lib/api';
import { connectLiveUpdates, useStore } from '../store';
import { CopyButton } from './CopyButton';
import { DeliveryDetail } from './DeliveryDetail';
import { DeliveryList } from './DeliveryList';
import { EmptyState } from './EmptyState';

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
  const items = useStore((s) => s.items);
  const detail = useStore((s) => s.detail);
  const selectedId = useStore((s) => s.selectedId);
  const connection = useStore((s) => s.connection);
  const error = useStore((s) => s.error);
  const setError = useStore((s) => s.setError);

  useEffect(() => {
    onConnectionChange((state) => useStore.getState().setConnection(state));
    const off = connectLiveUpdates();
    void useStore.getState().load();
    return off;
  }, []);
  useKeyboard();

  const first = endpoints[0];
  const url = info && first ? `${info.receiverUrl}/e/${first.name}` : '';

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Hookbench</strong>
        {url ? (
          <span className="url-row">
            <span className="muted">Send to</span>
            <code data-testid="topbar-url">{url}</code>
            <CopyButton text={url} label="Copy URL" />
          </span>
        ) : null}
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
      <main className="panes">
        <DeliveryList />
        <section className="pane-detail">
          {!info ? (
            <p className="muted">Loading…</p>
          ) : items.length === 0 ? (
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
      <footer className="statusbar muted">
        {info ? `Hookbench ${info.version} · ${info.mode} · data in ${info.dataDir}` : ''}
      </footer>
    </div>
  );
}
