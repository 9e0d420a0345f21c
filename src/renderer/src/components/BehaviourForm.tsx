import { useEffect, useState, type FormEvent } from 'react';
import type { Endpoint, SubscriberTopic, WebSubAnswer } from '../../../shared/model';
import { api } from '../lib/api';
import { useStore } from '../store';

/** WebSub subscriber answers, RFC 8935 recipient mode and the answer to bad signatures, with the topics confirmed so far. */
export function BehaviourForm({ endpoint }: { endpoint: Endpoint }) {
  const updateEndpoint = useStore((s) => s.updateEndpoint);
  const { websub, rfc8935, invalidSignatureStatus } = endpoint.behaviour;
  const [enabled, setEnabled] = useState(websub.enabled);
  const [answer, setAnswer] = useState<WebSubAnswer>(websub.answer);
  const [topics, setTopics] = useState(websub.topics.join('\n'));
  const [slowMs, setSlowMs] = useState(String(websub.slowMs));
  const [recipient, setRecipient] = useState(rfc8935);
  const [badStatus, setBadStatus] = useState(invalidSignatureStatus === null ? '' : String(invalidSignatureStatus));
  const [known, setKnown] = useState<SubscriberTopic[]>([]);
  const deliveries = useStore((s) => s.total);
  useEffect(() => {
    void api().invoke('endpoints.topics', { id: endpoint.id }).then(setKnown, () => setKnown([]));
  }, [endpoint.id, deliveries]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void updateEndpoint({
      id: endpoint.id,
      behaviour: {
        websub: { enabled, answer, topics: topics.split('\n').map((t) => t.trim()).filter(Boolean), slowMs: Number(slowMs) || 0 },
        rfc8935: recipient,
        invalidSignatureStatus: badStatus.trim() === '' ? null : Number(badStatus),
      },
    });
  };
  return (
    <form className="verification-form" onSubmit={submit} aria-label={`Answers of ${endpoint.name}`}>
      <label className="inline">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Answer WebSub verifications (hub.mode, hub.challenge)
      </label>
      <div className="row-fields">
        <label>
          Verification answer
          <select value={answer} onChange={(e) => setAnswer(e.target.value as WebSubAnswer)}>
            <option value="echo">echo the challenge (200)</option>
            <option value="refuse">refuse (404)</option>
            <option value="wrong-challenge">answer a wrong challenge</option>
            <option value="slow">echo slowly</option>
          </select>
        </label>
        <label>
          Delay (ms) <input value={slowMs} onChange={(e) => setSlowMs(e.target.value)} size={6} inputMode="numeric" />
        </label>
      </div>
      <label>
        Only these topics <span className="muted">(one per line; empty accepts any topic)</span>
        <textarea rows={2} value={topics} onChange={(e) => setTopics(e.target.value)} spellCheck={false} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={recipient} onChange={(e) => setRecipient(e.target.checked)} /> Answer as an RFC 8935 SET recipient (202, or 400 with
        err)
      </label>
      <label>
        Status for a delivery that is not authentic <span className="muted">(empty: the usual response)</span>
        <input value={badStatus} onChange={(e) => setBadStatus(e.target.value)} size={4} inputMode="numeric" placeholder="e.g. 401" />
      </label>
      <button type="submit">Save answers</button>
      {known.length > 0 ? (
        <table className="headers" data-testid="subscriber-topics">
          <tbody>
            {known.map((t) => (
              <tr key={t.topic}>
                <th scope="row">{t.topic}</th>
                <td>
                  {t.state}
                  {t.leaseExpiresAt ? ` · lease until ${new Date(t.leaseExpiresAt).toLocaleString()}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No WebSub topics yet.</p>
      )}
    </form>
  );
}
