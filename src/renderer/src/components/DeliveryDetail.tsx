import { useMemo, useState } from 'react';
import type { DeliveryDetail as Detail, HeaderPair } from '../../../shared/model';
import { base64ToBytes, decodeText, formatBytes, hexDump, prettyJson } from '../lib/bytes';
import { CopyButton } from './CopyButton';
import { VerdictPanel } from './VerdictPanel';
import { ReplayPanel } from './ReplayPanel';
import { ExportButtons } from './ExportButtons';

/** Bodies above this are shown in part first, with a "show all" choice. */
const PREVIEW_BYTES = 256 * 1024;
/** Larger bodies are not pretty-printed unless asked: parsing and laying out megabytes would stall the window. */
const PRETTY_LIMIT = 2 * 1024 * 1024;
type BodyMode = 'text' | 'json' | 'hex';

function looksLikeJson(contentType: string | null, text: string): boolean {
  if (contentType && /json/i.test(contentType)) return true;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

export function BodyView({ base64, contentType, label }: { base64: string; contentType: string | null; label: string }) {
  const bytes = useMemo(() => base64ToBytes(base64), [base64]);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? bytes : bytes.subarray(0, PREVIEW_BYTES);
  const decoded = useMemo(() => decodeText(shown), [shown]);
  const canJson = looksLikeJson(contentType, decoded.text);
  const [mode, setMode] = useState<BodyMode>(canJson && bytes.length <= PRETTY_LIMIT ? 'json' : decoded.valid ? 'text' : 'hex');
  const pretty = useMemo(() => {
    if (mode !== 'json') return null;
    const result = prettyJson(decodeText(bytes).text);
    // The pretty text is previewed like any other: the first part first.
    return result.ok && !showAll && result.text.length > PREVIEW_BYTES ? { ok: true as const, text: result.text.slice(0, PREVIEW_BYTES), cut: true } : result;
  }, [mode, bytes, showAll]);

  if (bytes.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <div className="body-view">
      <div className="tabs" role="tablist" aria-label={`${label} format`}>
        {(['json', 'text', 'hex'] as const).map((m) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} onClick={() => setMode(m)}>
            {m === 'json' ? 'Pretty JSON' : m === 'text' ? 'Text' : 'Hex'}
          </button>
        ))}
        <span className="muted">{formatBytes(bytes.length)}</span>
        {mode !== 'hex' ? <CopyButton text={pretty?.ok ? pretty.text : decoded.text} label="Copy" /> : null}
      </div>
      {!decoded.valid && mode !== 'hex' ? (
        <p className="note">Not valid UTF-8: invalid bytes show as �. The Hex view shows them exactly.</p>
      ) : null}
      {mode === 'json' && pretty && !pretty.ok ? <p className="note">Cannot pretty-print: {pretty.reason}.</p> : null}
      <pre className="code" data-testid={`${label.toLowerCase()}-${mode}`}>
        {mode === 'hex' ? hexDump(shown) : mode === 'json' && pretty?.ok ? pretty.text : decoded.text}
      </pre>
      {bytes.length > shown.length || (pretty?.ok && 'cut' in pretty) ? (
        <button type="button" onClick={() => setShowAll(true)}>
          Showing the first {formatBytes(shown.length)} of {formatBytes(bytes.length)}. Show all
        </button>
      ) : null}
    </div>
  );
}

function headerValue(headers: HeaderPair[], name: string): string | null {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
}

function Headers({ headers }: { headers: HeaderPair[] }) {
  if (headers.length === 0) return <p className="muted">No headers.</p>;
  return (
    <table className="headers">
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeliveryDetail({ detail }: { detail: Detail }) {
  const [tab, setTab] = useState<'request' | 'response'>('request');
  const target = detail.path + (detail.query ? `?${detail.query}` : '');
  const requestLine = `${detail.method} ${target} HTTP/${detail.httpVersion}`;
  return (
    <article className="detail" aria-label={`Delivery ${detail.id}`}>
      <header>
        <h2>
          <code data-testid="request-line">{requestLine}</code> <CopyButton text={requestLine} label="Copy" />
        </h2>
        <ExportButtons id={detail.id} />
        <p className="muted">
          #{detail.id} · {new Date(detail.receivedAt).toLocaleString()} · from {detail.remoteAddress}:{detail.remotePort} ·{' '}
          {detail.endpointName ? `endpoint ${detail.endpointName}` : 'no endpoint'} · answered {detail.responseStatus}
        </p>
        {detail.outcome === 'unknown-endpoint' ? (
          <p className="note">No endpoint has this path, so it was answered 404. It was captured anyway.</p>
        ) : null}
        {detail.viaTunnel ? (
          <p className="muted" data-testid="via-tunnel">
            Came through the public tunnel
            {headerValue(detail.headers, 'x-forwarded-for') ? `, from ${headerValue(detail.headers, 'x-forwarded-for')} (as the tunnel server says; not verified)` : ''}.
          </p>
        ) : null}
        {detail.outcome === 'verification' ? (
          <p className="note" data-testid="verification-note">
            A WebSub verification: hub.mode={new URLSearchParams(detail.query).get('hub.mode')}, topic {new URLSearchParams(detail.query).get('hub.topic')}.
            Answered {detail.responseStatus} per the endpoint&apos;s WebSub setting.
          </p>
        ) : null}
        {detail.outcome === 'too-large' ? (
          <p className="note">
            The body ({formatBytes(detail.bodySize)}) was over the size limit: answered 413; only the request line and headers
            were kept.
          </p>
        ) : null}
      </header>
      <div className="tabs" role="tablist" aria-label="Request or response">
        <button type="button" role="tab" aria-selected={tab === 'request'} onClick={() => setTab('request')}>
          Request
        </button>
        <button type="button" role="tab" aria-selected={tab === 'response'} onClick={() => setTab('response')}>
          Response ({detail.responseStatus})
        </button>
      </div>
      {tab === 'request' ? (
        <>
          <VerdictPanel key={detail.id} detail={detail} />
          {detail.outcome !== 'too-large' && detail.outcome !== 'verification' ? <ReplayPanel key={`replay-${detail.id}`} detail={detail} /> : null}
          <h3>Headers</h3>
          <Headers headers={detail.headers} />
          <h3>Body</h3>
          <BodyView key={`req-${detail.id}`} base64={detail.bodyBase64} contentType={detail.contentType} label="Body" />
        </>
      ) : (
        <>
          <h3>Headers</h3>
          <Headers headers={detail.responseHeaders} />
          <h3>Body</h3>
          <BodyView key={`res-${detail.id}`} base64={detail.responseBodyBase64} contentType={headerValue(detail.responseHeaders, 'content-type')}
            label="Response"
          />
        </>
      )}
    </article>
  );
}
