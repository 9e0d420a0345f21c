import type { Endpoint, EndpointBehaviour, EndpointResponse, SubscriberTopic } from '../../../shared/model';
import { DEFAULT_VERIFICATION, type VerificationConfig } from '../../../shared/verdict';
import type { Db } from './database';

interface EndpointRow {
  id: string;
  name: string;
  created_at: number;
  response_json: string;
  verification_json: string;
  behaviour_json: string;
}

export const DEFAULT_BEHAVIOUR: EndpointBehaviour = {
  websub: { enabled: true, answer: 'echo', topics: [], slowMs: 0 },
  rfc8935: false,
  invalidSignatureStatus: null,
  forwardTo: null,
};

function fromRow(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    response: JSON.parse(row.response_json) as EndpointResponse,
    verification: { ...DEFAULT_VERIFICATION, ...(JSON.parse(row.verification_json) as Partial<VerificationConfig>) },
    behaviour: { ...DEFAULT_BEHAVIOUR, ...(JSON.parse(row.behaviour_json) as Partial<EndpointBehaviour>) },
  };
}

export type EndpointsRepo = ReturnType<typeof createEndpointsRepo>;

export function createEndpointsRepo(db: Db) {
  const list = db.prepare<[], EndpointRow>('SELECT * FROM endpoints ORDER BY created_at, name');
  const byId = db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE id = ?');
  const byName = db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE name = ?');
  const insert = db.prepare(
    'INSERT INTO endpoints (id, name, created_at, response_json, verification_json, behaviour_json) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE endpoints SET response_json = ?, verification_json = ?, behaviour_json = ? WHERE id = ?');
  const topics = db.prepare<[string], { topic: string; state: SubscriberTopic['state']; lease_expires_at: number | null; updated_at: number }>(
    'SELECT topic, state, lease_expires_at, updated_at FROM subscriber_topics WHERE endpoint_id = ? ORDER BY topic',
  );
  const upsertTopic = db.prepare(`INSERT INTO subscriber_topics (endpoint_id, topic, state, lease_expires_at, updated_at)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint_id, topic) DO UPDATE SET state = excluded.state,
    lease_expires_at = excluded.lease_expires_at, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM endpoints WHERE id = ?');

  return {
    list: (): Endpoint[] => list.all().map(fromRow),
    get: (id: string): Endpoint | undefined => {
      const row = byId.get(id);
      return row && fromRow(row);
    },
    findByName: (name: string): Endpoint | undefined => {
      const row = byName.get(name);
      return row && fromRow(row);
    },
    insert: (endpoint: Endpoint): void => {
      insert.run(
        endpoint.id,
        endpoint.name,
        endpoint.createdAt,
        JSON.stringify(endpoint.response),
        JSON.stringify(endpoint.verification),
        JSON.stringify(endpoint.behaviour),
      );
    },
    update: (endpoint: Endpoint): void => {
      update.run(JSON.stringify(endpoint.response), JSON.stringify(endpoint.verification), JSON.stringify(endpoint.behaviour), endpoint.id);
    },
    topics: (endpointId: string): SubscriberTopic[] =>
      topics.all(endpointId).map((t) => ({ topic: t.topic, state: t.state, leaseExpiresAt: t.lease_expires_at, updatedAt: t.updated_at })),
    setTopic: (endpointId: string, topic: SubscriberTopic): void => {
      upsertTopic.run(endpointId, topic.topic, topic.state, topic.leaseExpiresAt, topic.updatedAt);
    },
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}
