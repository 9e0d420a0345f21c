import { useEffect, useState, type FormEvent } from 'react';
import type { SchemeInfo } from '../../../shared/model';
import type { SchemeId, VerificationConfig } from '../../../shared/verdict';
import { api } from '../lib/api';

let schemesCache: Promise<SchemeInfo[]> | undefined;
function useSchemes(): SchemeInfo[] {
  const [schemes, setSchemes] = useState<SchemeInfo[]>([]);
  useEffect(() => {
    schemesCache ??= api().invoke('schemes.list', undefined);
    void schemesCache.then(setSchemes, () => (schemesCache = undefined));
  }, []);
  return schemes;
}

/** Typed in the key-set field to mean Hookbench's own published keys. */
const OWN = 'hookbench';

export interface VerificationFormProps {
  initial: VerificationConfig;
  submitLabel: string;
  /** Also offer a judging time (for "verify with..."). */
  withTime?: { arrival: number };
  onSubmit(config: Partial<VerificationConfig>, at?: number): void | Promise<void>;
}

/** Scheme, secrets, key set, issuer, audience, tolerance: the same form for an endpoint and for a one-off check. */
export function VerificationForm({ initial, submitLabel, withTime, onSubmit }: VerificationFormProps) {
  const schemes = useSchemes();
  const [scheme, setScheme] = useState<SchemeId | 'auto'>(initial.scheme);
  const [secrets, setSecrets] = useState(initial.secrets.join('\n'));
  const [jwks, setJwks] = useState(
    initial.jwks === null ? '' : initial.jwks.kind === 'url' ? initial.jwks.url : initial.jwks.kind === 'json' ? initial.jwks.json : OWN,
  );
  const [issuer, setIssuer] = useState(initial.issuer ?? '');
  const [audience, setAudience] = useState(initial.audience ?? '');
  const [tolerance, setTolerance] = useState(String(initial.toleranceSeconds));
  const [at, setAt] = useState(withTime ? new Date(withTime.arrival).toISOString() : '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmedJwks = jwks.trim();
    const config: Partial<VerificationConfig> = {
      scheme,
      secrets: secrets.split('\n').map((s) => s.trim()).filter(Boolean),
      jwks:
        trimmedJwks === ''
          ? null
          : trimmedJwks === OWN
            ? { kind: 'own' }
            : /^https?:\/\//i.test(trimmedJwks)
              ? { kind: 'url', url: trimmedJwks }
              : { kind: 'json', json: trimmedJwks },
      issuer: issuer.trim() || null,
      audience: audience.trim() || null,
      toleranceSeconds: Number(tolerance),
    };
    const when = withTime && at.trim() ? Date.parse(at) : undefined;
    void onSubmit(config, Number.isNaN(when) ? undefined : when);
  };

  const usesKeys = scheme === 'set-jwt' || (scheme === 'auto' && jwks !== '');
  return (
    <form className="verification-form" onSubmit={submit}>
      <label>
        Scheme
        <select value={scheme} onChange={(e) => setScheme(e.target.value as SchemeId | 'auto')}>
          <option value="auto">Recognise from the headers</option>
          {schemes.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Secrets <span className="muted">(one per line; several while a secret rotates)</span>
        <textarea rows={2} value={secrets} onChange={(e) => setSecrets(e.target.value)} placeholder="whsec_… or the shared secret" spellCheck={false} />
      </label>
      <label>
        Key set for JWTs <span className="muted">(a JWKS URL, pasted JSON, or "{OWN}")</span>
        <textarea rows={usesKeys ? 3 : 1} value={jwks} onChange={(e) => setJwks(e.target.value)} placeholder="https://issuer.example/.well-known/jwks.json" spellCheck={false} />
      </label>
      <div className="row-fields">
        <label>
          Issuer <input value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://engageplus.id" />
        </label>
        <label>
          Audience <input value={audience} onChange={(e) => setAudience(e.target.value)} />
        </label>
        <label>
          Tolerance (s) <input value={tolerance} onChange={(e) => setTolerance(e.target.value)} inputMode="numeric" size={6} />
        </label>
        {withTime ? (
          <label>
            Judge at <input value={at} onChange={(e) => setAt(e.target.value)} size={24} aria-label="Judge at (ISO time)" />
            <button type="button" onClick={() => setAt(new Date().toISOString())}>
              Now
            </button>
          </label>
        ) : null}
      </div>
      <button type="submit">{submitLabel}</button>
    </form>
  );
}
