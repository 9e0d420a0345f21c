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

/** Encrypts an endpoint's secrets at rest (the composition root passes the data folder's sealer). */
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the value does not open (a replaced key file, another machine's keychain). */
  open(sealed: string): string;
}

/** As stored: the secrets sealed in one value beside the rest of the settings, which stay readable. */
type StoredVerification = Partial<VerificationConfig> & { sealedSecrets?: string };

function sealVerification(config: VerificationConfig, box: SecretBox): string {
  if (config.secrets.length === 0) return JSON.stringify(config);
  const stored: StoredVerification = { ...config, secrets: [], sealedSecrets: box.seal(JSON.stringify(config.secrets)) };
  return JSON.stringify(stored);
}

function openVerification(json: string, box: SecretBox): VerificationConfig {
  const { sealedSecrets, ...rest } = JSON.parse(json) as StoredVerification;
  let secrets = rest.secrets ?? [];
  if (sealedSecrets) {
    try {
      secrets = JSON.parse(box.open(sealedSecrets)) as string[];
    } catch {
      // Capture must go on: the verdict says no secret is set, and setting it again seals it anew.
      secrets = [];
    }
  }
  return { ...DEFAULT_VERIFICATION, ...rest, secrets };
}

function fromRow(row: EndpointRow, box: SecretBox): Endpoint {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    response: JSON.parse(row.response_json) as EndpointResponse,
    verification: openVerification(row.verification_json, box),
    behaviour: { ...DEFAULT_BEHAVIOUR, ...(JSON.parse(row.behaviour_json) as Partial<EndpointBehaviour>) },
  };
}

export type EndpointsRepo = ReturnType<typeof createEndpointsRepo>;

export function createEndpointsRepo(db: Db, box: SecretBox) {
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
    list: (): Endpoint[] => list.all().map((row) => fromRow(row, box)),
    get: (id: string): Endpoint | undefined => {
      const row = byId.get(id);
      return row && fromRow(row, box);
    },
    findByName: (name: string): Endpoint | undefined => {
      const row = byName.get(name);
      return row && fromRow(row, box);
    },
    insert: (endpoint: Endpoint): void => {
      insert.run(
        endpoint.id,
        endpoint.name,
        endpoint.createdAt,
        JSON.stringify(endpoint.response),
        sealVerification(endpoint.verification, box),
        JSON.stringify(endpoint.behaviour),
      );
    },
    update: (endpoint: Endpoint): void => {
      update.run(JSON.stringify(endpoint.response), sealVerification(endpoint.verification, box), JSON.stringify(endpoint.behaviour), endpoint.id);
    },
    topics: (endpointId: string): SubscriberTopic[] =>
      topics.all(endpointId).map((t) => ({ topic: t.topic, state: t.state, leaseExpiresAt: t.lease_expires_at, updatedAt: t.updated_at })),
    setTopic: (endpointId: string, topic: SubscriberTopic): void => {
      upsertTopic.run(endpointId, topic.topic, topic.state, topic.leaseExpiresAt, topic.updatedAt);
    },
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}
