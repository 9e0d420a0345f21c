import { useState } from 'react';
import { api } from '../lib/api';
import { useStore } from '../store';
import { CopyButton } from './CopyButton';

const LABEL = { closed: 'Tunnel off', opening: 'Opening tunnel…', open: 'Tunnel open', reconnecting: 'Tunnel reconnecting…', failed: 'Tunnel failed' } as const;

/** A public URL in one click: state, URL with a copy button, and the server settings. */
export function TunnelControl() {
  const tunnel = useStore((s) => s.tunnel);
  const setError = useStore((s) => s.setError);
  const [settings, setSettings] = useState(false);
  const [host, setHost] = useState('');
  const [subdomain, setSubdomain] = useState('');
  const running = tunnel.status === 'open' || tunnel.status === 'opening' || tunnel.status === 'reconnecting';
  const call = (work: () => Promise<unknown>) => void work().catch((e: Error) => setError(e.message));
  return (
    <span className="tunnel" data-testid="tunnel">
      <span className={`status-pill tunnel-${tunnel.status}`} title={tunnel.reason ?? tunnel.host} data-testid="tunnel-status">
        {LABEL[tunnel.status]}
      </span>
      {tunnel.status === 'open' && tunnel.url ? (
        <>
          <code data-testid="tunnel-url">{tunnel.url}</code>
          <CopyButton text={tunnel.url} label="Copy public URL" />
        </>
      ) : null}
      {running ? (
        <button type="button" onClick={() => call(() => api().invoke('tunnel.stop', undefined))}>
          Stop tunnel
        </button>
      ) : (
        <button type="button" onClick={() => call(() => api().invoke('tunnel.start', { host: host || undefined, subdomain: subdomain || undefined }))}>
          Start tunnel
        </button>
      )}
      <button type="button" aria-expanded={settings} aria-label="Tunnel settings" onClick={() => setSettings((v) => !v)}>
        ⚙
      </button>
      {settings ? (
        <span className="tunnel-settings">
          <input aria-label="Tunnel server" placeholder={tunnel.host} value={host} onChange={(e) => setHost(e.target.value)} />
          <input aria-label="Subdomain" placeholder="subdomain (optional)" value={subdomain} onChange={(e) => setSubdomain(e.target.value)} />
        </span>
      ) : null}
      {tunnel.status === 'failed' || tunnel.status === 'reconnecting' ? (
        <span className="tunnel-reason" role="status">
          {tunnel.reason}
          {tunnel.nextTryAt ? ` · next try ${new Date(tunnel.nextTryAt).toLocaleTimeString()}` : ''}
        </span>
      ) : null}
      {tunnel.previousUrl ? (
        <span className="note" role="alert">
          New public URL: subscriptions that point at {tunnel.previousUrl} will break.
        </span>
      ) : null}
    </span>
  );
}
