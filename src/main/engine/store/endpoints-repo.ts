import type { Endpoint, EndpointResponse } from '../../../shared/model';
import { DEFAULT_VERIFICATION, type VerificationConfig } from '../../../shared/verdict';
import type { Db } from './database';

interface EndpointRow {
  id: string;
  name: string;
  created_at: number;
  response_json: string;
  verification_json: string;
}

function fromRow(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    response: JSON.parse(row.response_json) as EndpointResponse,
    verification: { ...DEFAULT_VERIFICATION, ...(JSON.parse(row.verification_json) as Partial<VerificationConfig>) },
  };
}

export type EndpointsRepo = ReturnType<typeof createEndpointsRepo>;

export function createEndpointsRepo(db: Db) {
  const list = db.prepare<[], EndpointRow>('SELECT * FROM endpoints ORDER BY created_at, name');
  const byId = db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE id = ?');
  const byName = db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE name = ?');
  const insert = db.prepare(
    'INSERT INTO endpoints (id, name, created_at, response_json, verification_json) VALUES (?, ?, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE endpoints SET response_json = ?, verification_json = ? WHERE id = ?');
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
      insert.run(endpoint.id, endpoint.name, endpoint.createdAt, JSON.stringify(endpoint.response), JSON.stringify(endpoint.verification));
    },
    update: (endpoint: Endpoint): void => {
      update.run(JSON.stringify(endpoint.response), JSON.stringify(endpoint.verification), endpoint.id);
    },
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}
