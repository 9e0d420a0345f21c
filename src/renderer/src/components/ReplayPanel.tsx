import { useEffect, useState } from 'react';
import type { DeliveryDetail, DiffResult, MutationPreset, MutationPresetId, ProtectionReport, Replay } from '../../../shared/model';
import { api } from '../lib/api';
import { base64ToBytes, decodeText } from '../lib/bytes';
import { useStore } from '../store';
import { DiffView } from './DiffView';

const RECENT_KEY = 'hookbench.recentTargets';

function recentTargets(): string[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function remember(url: string) {
  localStorage.setItem(RECENT_KEY, JSON.stringify([url, ...recentTargets().filter((u) => u !== url)].slice(0, 8)));
}

const ON_TARGET: Record<NonNullable<Replay['verdictOnTarget']>, string> = {
  'as-expected': 'as a correct receiver would',
  'wrongly-accepted': 'wrongly accepted',
  rejected: 'rejected, though it should be accepted once',
};

function headersToText(headers: [string, string][]): string {
  return headers.map(([k, v]) => `${k}: ${v}`).join('\n');
}

function textToHeaders(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
    });
}

/** Send the delivery again, as captured, re-signed, edited or mutated; compare the answers. */
export function ReplayPanel({ detail }: { detail: DeliveryDetail }) {
  const endpoints = useStore((s) => s.endpoints);
  const setError = useStore((s) => s.setError);
  const forwardTo = endpoints.find((e) => e.id === detail.endpointId)?.behaviour.forwardTo;
  const [target, setTarget] = useState(() => forwardTo ?? recentTargets()[0] ?? 'http://localhost:3000/webhooks');
  const [presets, setPresets] = useState<MutationPreset[]>([]);
  const [preset, setPreset] = useState<MutationPresetId | ''>('');
  const [replays, setReplays] = useState<Replay[]>([]);
  const [report, setReport] = useState<ProtectionReport | null>(null);
  const [editing, setEditing] = useState(false);
  const [editHeaders, setEditHeaders] = useState('');
  const [editBody, setEditBody] = useState('');
  const [resignEdit, setResignEdit] = useState(true);
  const [compare, setCompare] = useState<{ diff: DiffResult; labels: [string, string] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);

  useEffect(() => {
    void api().invoke('replays.presets', { deliveryId: detail.id }).then(setPresets, () => setPresets([]));
    void api().invoke('replays.list', { deliveryId: detail.id }).then(setReplays, () => setReplays([]));
    return api().on('replay.created', (r) => {
      if (r.deliveryId === detail.id) setReplays((list) => [r, ...list.filter((x) => x.id !== r.id)]);
    });
  }, [detail.id]);

  // "r" replays the open delivery as captured, to the current target.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'r' || e.metaKey || e.ctrlKey || e.altKey) return;
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      document.getElementById('replay-as-captured')?.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    try {
      remember(target);
      return await work();
    } catch (error) {
      setError((error as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const send = (extra: { mode?: 'as-captured' | 'resigned'; preset?: MutationPresetId; edit?: { headers: [string, string][]; bodyBase64: string; resign: boolean } }) =>
    run(() => api().invoke('replays.send', { deliveryId: detail.id, targetUrl: target, ...extra }));

  const openEditor = async () => {
    const preview = await run(() => api().invoke('replays.preview', { deliveryId: detail.id, targetUrl: target }));
    if (!preview) return;
    setEditHeaders(headersToText(preview.headers));
    setEditBody(decodeText(base64ToBytes(preview.bodyBase64)).text);
    setEditing(true);
  };

  const diffWith = async (replay: Replay) => {
    const diff = await run(() => api().invoke('deliveries.diff', { a: { delivery: detail.id }, b: { replay: replay.id } }));
    if (diff) setCompare({ diff, labels: [`delivery #${detail.id}`, `replay #${replay.id} (${replay.preset ?? replay.mode})`] });
  };

  return (
    <section className="replay-panel" aria-label="Replay">
      <h3>Replay</h3>
      <div className="row-fields">
        <label className="grow-field">
          Send to
          <input value={target} onChange={(e) => setTarget(e.target.value)} list="recent-targets" aria-label="Replay target" />
          <datalist id="recent-targets">
            {recentTargets().map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </label>
        <button id="replay-as-captured" type="button" disabled={busy} onClick={() => void send({ mode: 'as-captured' })} title="Same method, headers and bytes (shortcut: r)">
          Replay as captured
        </button>
        <button type="button" disabled={busy} onClick={() => void send({ mode: 'resigned' })}>
          Replay re-signed
        </button>
        <button type="button" disabled={busy} onClick={() => (editing ? setEditing(false) : void openEditor())} aria-expanded={editing}>
          Edit & replay…
        </button>
      </div>
      {presets.length > 0 ? (
        <div className="row-fields">
          <label>
            Mutation
            <select value={preset} onChange={(e) => setPreset(e.target.value as MutationPresetId)} aria-label="Mutation preset">
              <option value="">choose a preset…</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={busy || !preset} onClick={() => preset && void send({ preset })}>
            Send mutated
          </button>
          <button type="button" disabled={busy} onClick={async () => setReport((await run(() => api().invoke('replays.protectionCheck', { deliveryId: detail.id, targetUrl: target }))) ?? null)}>
            Check replay protection
          </button>
        </div>
      ) : null}
      {preset ? <p className="muted">{presets.find((p) => p.id === preset)?.explanation}</p> : null}
      {editing ? (
        <div className="verification-form">
          <label>
            Headers
            <textarea rows={6} value={editHeaders} onChange={(e) => setEditHeaders(e.target.value)} spellCheck={false} aria-label="Edit headers" />
          </label>
          <label>
            Body
            <textarea rows={8} value={editBody} onChange={(e) => setEditBody(e.target.value)} spellCheck={false} aria-label="Edit body" />
          </label>
          <label className="inline">
            <input type="checkbox" checked={resignEdit} onChange={(e) => setResignEdit(e.target.checked)} /> Re-sign after editing (otherwise the old signature is kept)
          </label>
          <button
            type="button"
            onClick={() => {
              const bytes = new TextEncoder().encode(editBody);
              let binary = '';
              bytes.forEach((b) => (binary += String.fromCharCode(b)));
              void send({ edit: { headers: textToHeaders(editHeaders), bodyBase64: btoa(binary), resign: resignEdit } });
            }}
          >
            Send edited
          </button>
        </div>
      ) : null}
      {report ? (
        <div className={`note ${report.wronglyAccepted.length ? '' : 'ok-note'}`} data-testid="protection-report">
          {report.wronglyAccepted.length === 0
            ? `The target handled all ${report.replays.length} mutations as a correct receiver would.`
            : `The target wrongly accepted ${report.wronglyAccepted.length} of ${report.replays.length}: ${report.wronglyAccepted.join(', ')}.`}
        </div>
      ) : null}
      {replays.length > 0 ? (
        <table className="headers replays" data-testid="replays">
          <tbody>
            {replays.map((r) => (
              <tr key={r.id} data-testid="replay-row">
                <th scope="row">#{r.id}</th>
                <td>{r.preset ?? r.mode}</td>
                <td>{r.status !== null ? `HTTP ${r.status}` : r.error}</td>
                <td className={r.verdictOnTarget === 'wrongly-accepted' ? 'bad' : ''}>{r.verdictOnTarget ? ON_TARGET[r.verdictOnTarget] : ''}</td>
                <td>{r.durationMs} ms</td>
                <td>
                  <button type="button" onClick={() => void diffWith(r)}>
                    Compare
                  </button>{' '}
                  <input
                    type="checkbox"
                    aria-label="Pick to compare"
                    checked={picked.includes(r.id)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked.filter((x) => x !== r.id), r.id].slice(-2) : picked.filter((x) => x !== r.id))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {picked.length === 2 ? (
        <button
          type="button"
          onClick={async () => {
            const [a, b] = picked as [number, number];
            const diff = await run(() => api().invoke('deliveries.diff', { a: { replay: a }, b: { replay: b } }));
            if (diff) setCompare({ diff, labels: [`replay #${a}`, `replay #${b}`] });
          }}
        >
          Compare the two picked
        </button>
      ) : null}
      {compare ? <DiffView diff={compare.diff} labels={compare.labels} /> : null}
    </section>
  );
}
