import { useState, type FormEvent } from 'react';
import type { Endpoint } from '../../../shared/model';
import { useStore } from '../store';
import { CopyButton } from './CopyButton';
import { VerificationForm } from './VerificationForm';
import { BehaviourForm } from './BehaviourForm';

function ResponseForm({ endpoint }: { endpoint: Endpoint }) {
  const updateEndpoint = useStore((s) => s.updateEndpoint);
  const [status, setStatus] = useState(String(endpoint.response.status));
  const [body, setBody] = useState(endpoint.response.body);
  const [delay, setDelay] = useState(String(endpoint.response.delayMs));
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await updateEndpoint({ id: endpoint.id, response: { status: Number(status), body, delayMs: Number(delay) } });
    setSaved(ok);
  };
  return (
    <form className="response-form" onSubmit={submit} aria-label={`Response of ${endpoint.name}`}>
      <label>
        Status <input value={status} onChange={(e) => setStatus(e.target.value)} inputMode="numeric" size={4} />
      </label>
      <label>
        Delay (ms) <input value={delay} onChange={(e) => setDelay(e.target.value)} inputMode="numeric" size={6} />
      </label>
      <label className="grow">
        Body <input value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <button type="submit">Save</button>
      {saved ? <span className="muted">Saved</span> : null}
    </form>
  );
}

/** Create, configure and delete endpoints; each one's URL is a copy away. */
export function EndpointsPanel({ onClose }: { onClose: () => void }) {
  const info = useStore((s) => s.info);
  const endpoints = useStore((s) => s.endpoints);
  const createEndpoint = useStore((s) => s.createEndpoint);
  const deleteEndpoint = useStore((s) => s.deleteEndpoint);
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [verifying, setVerifying] = useState<string | null>(null);
  const [answers, setAnswers] = useState<string | null>(null);
  const updateEndpoint = useStore((s) => s.updateEndpoint);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await createEndpoint({ name: name.trim() })) setName('');
  };

  return (
    <section className="endpoints-panel" aria-label="Endpoints">
      <header>
        <h2>Endpoints</h2>
        <button type="button" onClick={onClose} aria-label="Close endpoints">
          Close
        </button>
      </header>
      <form onSubmit={submit} className="create-endpoint">
        <label>
          New endpoint name{' '}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. engageplus" required />
        </label>
        <button type="submit">Create</button>
      </form>
      {endpoints.length === 0 ? <p className="muted">No endpoints: create one to get a URL to send to.</p> : null}
      <ul>
        {endpoints.map((endpoint) => {
          const url = `${info?.receiverUrl ?? ''}/e/${endpoint.name}`;
          return (
            <li key={endpoint.id} data-testid="endpoint-item">
              <div className="url-row">
                <strong>{endpoint.name}</strong>
                <code>{url}</code>
                <CopyButton text={url} label="Copy URL" />
                <span className="muted">answers {endpoint.response.status}</span>
                <span className="muted">
                  judged as {endpoint.verification.scheme === 'auto' ? 'recognised from headers' : endpoint.verification.scheme}
                  {endpoint.verification.secrets.length || endpoint.verification.jwks ? ', secret set' : ', no secret'}
                </span>
                <button type="button" onClick={() => setEditing(editing === endpoint.id ? null : endpoint.id)}>
                  Response…
                </button>
                <button type="button" onClick={() => setVerifying(verifying === endpoint.id ? null : endpoint.id)}>
                  Verification…
                </button>
                <button type="button" onClick={() => setAnswers(answers === endpoint.id ? null : endpoint.id)}>
                  WebSub & answers…
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm(`Delete the endpoint "${endpoint.name}"? Its deliveries are kept.`)) void deleteEndpoint(endpoint.id);
                  }}
                >
                  Delete
                </button>
              </div>
              {editing === endpoint.id ? <ResponseForm endpoint={endpoint} /> : null}
              {answers === endpoint.id ? <BehaviourForm endpoint={endpoint} /> : null}
              {verifying === endpoint.id ? (
                <VerificationForm
                  initial={endpoint.verification}
                  submitLabel="Save verification"
                  onSubmit={async (verification) => {
                    if (await updateEndpoint({ id: endpoint.id, verification })) setVerifying(null);
                  }}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
