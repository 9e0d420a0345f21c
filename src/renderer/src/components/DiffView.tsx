import type { ChangeKind, DiffResult } from '../../../shared/model';
import { base64ToBytes, decodeText } from '../lib/bytes';

function Rows({ rows, label }: { rows: { name: string; a: string | null; b: string | null; change: ChangeKind }[]; label: string }) {
  const changed = rows.filter((r) => r.change !== 'same');
  return (
    <>
      <h4>
        {label} <span className="muted">({changed.length} of {rows.length} differ)</span>
      </h4>
      {changed.length === 0 ? (
        <p className="muted">Identical.</p>
      ) : (
        <table className="headers diff">
          <tbody>
            {changed.map((r) => (
              <tr key={r.name} className={`diff-${r.change}`} data-testid="diff-row">
                <th scope="row">{r.name}</th>
                <td className="a">{r.a ?? '—'}</td>
                <td className="b">{r.b ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Two requests side by side: what changed in headers, JSON body, JWT claims and signed bytes. */
export function DiffView({ diff, labels }: { diff: DiffResult; labels: [string, string] }) {
  return (
    <section className="diff-view" aria-label="Comparison" data-testid="diff-view">
      <p className="muted">
        Left: {labels[0]} · Right: {labels[1]}
      </p>
      <Rows label="Headers" rows={diff.headers} />
      {diff.body.kind === 'json' ? (
        <Rows label="Body (JSON, by path)" rows={diff.body.changes.map((c) => ({ name: c.path, a: c.a, b: c.b, change: c.change }))} />
      ) : (
        <p>
          Body: {diff.body.equal ? 'identical bytes' : `differs from byte ${diff.body.firstDifference} (${diff.body.aLength} vs ${diff.body.bLength} bytes)`}
        </p>
      )}
      {diff.claims ? <Rows label="JWT claims" rows={diff.claims.map((c) => ({ name: c.path, a: c.a, b: c.b, change: c.change }))} /> : null}
      {diff.signed.a && diff.signed.b ? (
        <p>
          Signed bytes: {diff.signed.firstDifference === -1 ? 'identical' : `first differ at byte ${diff.signed.firstDifference}`} ·{' '}
          <code>{decodeText(base64ToBytes(diff.signed.a)).text.slice(0, 80)}</code>
        </p>
      ) : null}
    </section>
  );
}
