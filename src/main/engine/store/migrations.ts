/** Schema history. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE endpoints (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    response_json TEXT NOT NULL
  );

  CREATE TABLE deliveries (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at           INTEGER NOT NULL,
    endpoint_id           TEXT REFERENCES endpoints(id) ON DELETE SET NULL,
    -- kept as well as the id so history stays readable after the endpoint is gone
    endpoint_name         TEXT,
    method                TEXT NOT NULL,
    path                  TEXT NOT NULL,
    query                 TEXT NOT NULL,
    http_version          TEXT NOT NULL,
    headers_json          TEXT NOT NULL,
    content_type          TEXT,
    body                  BLOB NOT NULL,
    body_size             INTEGER NOT NULL,
    remote_address        TEXT NOT NULL,
    remote_port           INTEGER NOT NULL,
    response_status       INTEGER NOT NULL,
    response_headers_json TEXT NOT NULL,
    response_body         BLOB NOT NULL,
    outcome               TEXT NOT NULL
  );

  CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, id);
  `,
  `
  ALTER TABLE endpoints ADD COLUMN verification_json TEXT NOT NULL DEFAULT '{}';
  ALTER TABLE deliveries ADD COLUMN verdict_json TEXT;
  ALTER TABLE deliveries ADD COLUMN verdict_outcome TEXT;
  ALTER TABLE deliveries ADD COLUMN scheme TEXT;
  -- id / jti / nonce the scheme names, for recognising duplicates
  ALTER TABLE deliveries ADD COLUMN replay_key TEXT;
  CREATE INDEX deliveries_by_replay_key ON deliveries(endpoint_id, replay_key) WHERE replay_key IS NOT NULL;
  `,
];
