import { useState } from 'react';
import type { DeliveryDetail } from '../../../shared/model';
import { DEFAULT_VERIFICATION, type CheckStatus, type SignedContent, type Verdict, type VerificationConfig } from '../../../shared/verdict';
import { api } from '../lib/api';
import { base64ToBytes, decodeText, relativeTime } from '../lib/bytes';
import { useStore } from '../store';
import { CopyButton } from './CopyButton';
import { VerificationForm } from './VerificationForm';

const ICON: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skipped: '–' };
const OUTCOME: Record<Verdict['outcome'], string> = {
  authentic: 'Authentic',
  'not-authentic': 'Not authentic',
  unverified: 'Not verified',
};

export function VerdictBadge({ outcome }: { outcome: Verdict['outcome'] | null }) {
  if (outcome === null) return null;
  return (
    <span className={`badge badge-${outcome}`} data-testid="verdict-badge">
      {OUTCOME[outcome]}
    </span>
  );
}

function SignedBytes({ signed }: { signed: SignedContent }) {
  const bytes = base64ToBytes(signed.base64);
  const { text, valid } = decodeText(bytes);
  const diff = signed.firstDifference;
  return (
    <div className="signed">
      <div className="signed-head">
        <strong>Signed content</strong> <span className="muted">({signed.variant}, {bytes.length} bytes)</span>
        <CopyButton text={valid ? text : signed.base64} label="Copy" />
      </div>
      <pre className="code" data-testid="signed-content">{valid ? text : `base64: ${signed.base64}`}</pre>
      {signed.received !== null ? (
        <table className="headers sig-compare">
          <tbody>
            <tr>
              <th scope="row">Received</th>
              <td data-testid="sig-received">
                {diff !== null && diff >= 0 ? (
                  <>
                    {signed.received.slice(0, diff)}
                    <mark>{signed.received.slice(diff)}</mark>
                  </>
                ) : (
                  signed.received
                )}
              </td>
            </tr>
            {signed.computed !== null ? (
              <tr>
                <th scope="row">Computed</th>
                <td data-testid="sig-computed">
                  {diff !== null && diff >= 0 ? (
                    <>
                      {signed.computed.slice(0, diff)}
                      <mark>{signed.computed.slice(diff)}</mark>
                    </>
                  ) : (
                    signed.computed
                  )}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      {diff !== null && diff >= 0 ? <p className="muted">They first differ at character {diff}.</p> : null}
      {diff === -1 ? <p className="muted">Received and computed signatures are identical.</p> : null}
    </div>
  );
}

function JwtView({ jwt, judgedAt }: { jwt: NonNullable<Verdict['jwt']>; judgedAt: number }) {
  return (
    <div className="jwt">
      <div className="jwt-grid">
        <div>
          <strong>Header</strong>
          <pre className="code" data-testid="jwt-header">{JSON.stringify(jwt.header, null, 2)}</pre>
        </div>
        <div>
          <strong>Claims</strong>
          <pre className="code" data-testid="jwt-claims">{JSON.stringify(jwt.claims, null, 2)}</pre>
        </div>
      </div>
      {jwt.times.length > 0 ? (
        <table className="headers" data-testid="jwt-times">
          <tbody>
            {jwt.times.map((t) => (
              <tr key={t.claim}>
                <th scope="row">{t.claim}</th>
                <td>
                  {t.value} · {t.iso ?? 'not a date'}
                  {t.iso ? ` · ${t.fromNowSeconds <= 0 ? relativeTime(judgedAt + t.fromNowSeconds * 1000, judgedAt) : `in ${t.fromNowSeconds} s`}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="muted" data-testid="jwt-key">
        {jwt.key ? `Verified with key ${jwt.key.kid ?? '(no kid)'} (${jwt.key.alg}) from ${jwt.key.source}.` : 'No key verified this token.'}
      </p>
    </div>
  );
}

export function VerdictView({ verdict, title }: { verdict: Verdict; title: string }) {
  return (
    <section className={`verdict verdict-${verdict.outcome}`} aria-label={title}>
      <h3>
        {title}: <span data-testid="verdict-outcome">{OUTCOME[verdict.outcome]}</span>
        <span className="muted">
          {' '}
          · {verdict.scheme ?? 'no scheme'}
          {verdict.detected && verdict.scheme ? ' (recognised from the headers)' : ''}
        </span>
      </h3>
      <ol className="checks" data-testid="checks">
        {verdict.checks.map((c, i) => (
          <li key={`${c.id}-${i}`} className={`check check-${c.status}`} data-check={c.id}>
            <span className="icon" aria-label={c.status}>
              {ICON[c.status]}
            </span>
            <span className="label">{c.label}</span>
            <span className="reason">{c.reason}</span>
          </li>
        ))}
      </ol>
      {verdict.signed.map((s, i) => (
        <SignedBytes key={i} signed={s} />
      ))}
      {verdict.jwt ? <JwtView jwt={verdict.jwt} judgedAt={verdict.judgedAt} /> : null}
    </section>
  );
}

/** The stored verdict, and "Verify with…" to judge again with another secret, key set or time. */
export function VerdictPanel({ detail }: { detail: DeliveryDetail }) {
  const endpoints = useStore((s) => s.endpoints);
  const setError = useStore((s) => s.setError);
  const [trying, setTrying] = useState(false);
  const [trial, setTrial] = useState<Verdict | null>(null);
  const base: VerificationConfig = endpoints.find((e) => e.id === detail.endpointId)?.verification ?? DEFAULT_VERIFICATION;

  return (
    <div className="verdict-panel">
      {trial ? (
        <>
          <VerdictView verdict={trial} title="Trial verdict (not saved)" />
          <button type="button" onClick={() => setTrial(null)}>
            Back to the verdict at capture
          </button>
        </>
      ) : detail.verdict ? (
        <VerdictView verdict={detail.verdict} title="Verdict" />
      ) : (
        <p className="muted">Not judged: the body was not kept.</p>
      )}
      <button type="button" onClick={() => setTrying((v) => !v)} aria-expanded={trying}>
        Verify with…
      </button>
      {trying ? (
        <VerificationForm
          initial={base}
          submitLabel="Judge again"
          withTime={{ arrival: detail.receivedAt }}
          onSubmit={async (config, at) => {
            try {
              setTrial(await api().invoke('deliveries.verify', { id: detail.id, config, at }));
            } catch (error) {
              setError((error as Error).message);
            }
          }}
        />
      ) : null}
    </div>
  );
}
