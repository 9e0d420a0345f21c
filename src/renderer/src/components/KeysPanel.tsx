import { useState, type FormEvent } from 'react';
import { KEY_TYPES, type KeyType } from '../../../shared/sender';
import { api } from '../lib/api';
import { useStore } from '../store';
import { CopyButton } from './CopyButton';

/** Signing keys per issuer, the JWKS URL receivers fetch, rotation in one click. */
export function KeysPanel() {
  const info = useStore((s) => s.info);
  const keys = useStore((s) => s.keys);
  const setError = useStore((s) => s.setError);
  const [issuer, setIssuer] = useState('https://engageplus.id');
  const [type, setType] = useState<KeyType>('RSA-2048');
  const call = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      setError((error as Error).message);
    }
  };
  const generate = (e: FormEvent) => {
    e.preventDefault();
    void call(() => api().invoke('keys.generate', { issuer, type }));
  };
  const issuers = [...new Set(keys.map((k) => k.issuer))];
  return (
    <section className="keys-panel" aria-label="Keys">
      <h2>Signing keys</h2>
      {info ? (
        <p className="url-row">
          <span>Receivers fetch the public keys from</span>
          <code data-testid="jwks-url">{info.jwksUrl}</code>
          <CopyButton text={info.jwksUrl} label="Copy JWKS URL" />
        </p>
      ) : null}
      <form className="row-fields" onSubmit={generate}>
        <label>
          Issuer (iss) <input value={issuer} onChange={(e) => setIssuer(e.target.value)} size={32} required />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as KeyType)}>
            {KEY_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <button type="submit">Generate key</button>
      </form>
      {keys.length === 0 ? <p className="muted">No keys yet. Generate one for the issuer your receiver expects.</p> : null}
      {issuers.map((iss) => (
        <div key={iss} className="issuer-keys">
          <h3>
            {iss}{' '}
            <button type="button" onClick={() => void call(() => api().invoke('keys.rotate', { issuer: iss }))}>
              Rotate
            </button>
          </h3>
          <table className="headers">
            <tbody>
              {keys
                .filter((k) => k.issuer === iss)
                .map((k) => (
                  <tr key={k.kid} data-testid="key-row">
                    <th scope="row">{k.kid}</th>
                    <td>
                      <span className={`status-pill key-${k.status}`}>{k.status}</span> {k.type} · {k.alg} · created {new Date(k.createdAt).toLocaleString()}
                    </td>
                    <td>
                      <CopyButton text={JSON.stringify(k.publicJwk)} label="Copy public JWK" />{' '}
                      {k.status === 'published' ? (
                        <button type="button" onClick={() => void call(() => api().invoke('keys.retire', { kid: k.kid }))}>
                          Retire
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
