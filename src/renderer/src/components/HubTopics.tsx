import { useEffect, useState } from 'react';
import type { HubTopic } from '../../../shared/sender';
import { api } from '../lib/api';
import { useStore } from '../store';

/** An Asgardeo subscription's topics: verified or not, why, and a way to try again. */
export function HubTopics({ subscriptionId }: { subscriptionId: string }) {
  const subscriptions = useStore((s) => s.subscriptions);
  const setError = useStore((s) => s.setError);
  const [topics, setTopics] = useState<HubTopic[]>([]);
  const load = () => api().invoke('subscriptions.topics', { id: subscriptionId }).then(setTopics, () => setTopics([]));
  // Subscriptions change (and are pushed) whenever a verification completes.
  useEffect(() => {
    void load();
  }, [subscriptionId, subscriptions]);
  if (topics.length === 0) return <p className="muted">No topics verified yet.</p>;
  return (
    <table className="headers hub-topics" data-testid="hub-topics">
      <tbody>
        {topics.map((t) => (
          <tr key={t.topic} data-state={t.state}>
            <th scope="row">{t.eventGroup}</th>
            <td>
              <span className={`status-pill topic-${t.state}`}>{t.state}</span> <code>{t.topic}</code>
              {t.reason ? <div className="reason">{t.reason}</div> : null}
              {t.leaseExpiresAt ? <div className="muted">lease until {new Date(t.leaseExpiresAt).toLocaleString()}, renewed before</div> : null}
            </td>
            <td>
              <button
                type="button"
                onClick={() =>
                  void api()
                    .invoke('subscriptions.verify', { id: subscriptionId, topic: t.topic })
                    .then(setTopics)
                    .then(load)
                    .catch((error: Error) => setError(error.message))
                }
              >
                Resend verification
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
