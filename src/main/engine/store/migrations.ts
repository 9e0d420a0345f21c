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
  `
  CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    issuer         TEXT NOT NULL,
    type           TEXT NOT NULL,
    alg            TEXT NOT NULL,
    status         TEXT NOT NULL,
    public_jwk     TEXT NOT NULL,
    private_sealed BLOB NOT NULL,
    created_at     INTEGER NOT NULL,
    retired_at     INTEGER
  );
  CREATE INDEX signing_keys_by_issuer ON signing_keys(issuer, status);

  CREATE TABLE subscriptions (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    profile         TEXT NOT NULL,
    endpoint_url    TEXT NOT NULL,
    events_json     TEXT NOT NULL,
    data_scope      TEXT NOT NULL,
    status          TEXT NOT NULL,
    issuer          TEXT,
    secret_sealed   BLOB,
    policy_json     TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    disabled_reason TEXT
  );

  CREATE TABLE outbound (
    id                 TEXT PRIMARY KEY,
    subscription_id    TEXT REFERENCES subscriptions(id) ON DELETE CASCADE,
    profile            TEXT NOT NULL,
    event              TEXT NOT NULL,
    target_url         TEXT NOT NULL,
    payload            TEXT NOT NULL,
    extra_headers_json TEXT NOT NULL,
    -- one-off sends keep their own secret, sealed, so a retry after a restart can sign
    secret_sealed      BLOB,
    issuer             TEXT,
    policy_json        TEXT NOT NULL,
    time_scale         REAL NOT NULL,
    status             TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    next_attempt_at    INTEGER,
    next_offset_ms     INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX outbound_pending ON outbound(status, next_attempt_at);
  CREATE INDEX outbound_by_subscription ON outbound(subscription_id, created_at);

  CREATE TABLE attempts (
    outbound_id           TEXT NOT NULL REFERENCES outbound(id) ON DELETE CASCADE,
    number                INTEGER NOT NULL,
    planned_offset_ms     INTEGER NOT NULL,
    started_at            INTEGER NOT NULL,
    duration_ms           INTEGER NOT NULL,
    request_headers_json  TEXT NOT NULL,
    status                INTEGER,
    response_headers_json TEXT NOT NULL,
    response_body         TEXT NOT NULL,
    error                 TEXT,
    outcome               TEXT NOT NULL,
    PRIMARY KEY (outbound_id, number)
  );
  `,
  `
  ALTER TABLE endpoints ADD COLUMN behaviour_json TEXT NOT NULL DEFAULT '{}';

  -- WebSub, subscriber side: what each endpoint confirmed to a hub
  CREATE TABLE subscriber_topics (
    endpoint_id      TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    topic            TEXT NOT NULL,
    state            TEXT NOT NULL,
    lease_expires_at INTEGER,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, topic)
  );

  -- WebSub, hub side: each topic of a subscription and its verification
  CREATE TABLE hub_topics (
    subscription_id  TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    topic            TEXT NOT NULL,
    event_group      TEXT NOT NULL,
    state            TEXT NOT NULL,
    reason           TEXT,
    lease_seconds    INTEGER NOT NULL,
    verified_at      INTEGER,
    lease_expires_at INTEGER,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, topic)
  );
  `,
  `
  CREATE TABLE replays (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id           INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    created_at            INTEGER NOT NULL,
    mode                  TEXT NOT NULL,
    preset                TEXT,
    target_url            TEXT NOT NULL,
    method                TEXT NOT NULL,
    request_headers_json  TEXT NOT NULL,
    request_body          BLOB NOT NULL,
    status                INTEGER,
    response_headers_json TEXT NOT NULL,
    response_body         BLOB NOT NULL,
    duration_ms           INTEGER NOT NULL,
    error                 TEXT,
    expected              TEXT,
    verdict_on_target     TEXT
  );
  CREATE INDEX replays_by_delivery ON replays(delivery_id, id);
  `,
  `
  ALTER TABLE deliveries ADD COLUMN via_tunnel INTEGER NOT NULL DEFAULT 0;
  `,
  `
  ALTER TABLE deliveries ADD COLUMN event_type TEXT;
  CREATE INDEX deliveries_by_event_type ON deliveries(event_type, id);
  CREATE INDEX deliveries_by_verdict ON deliveries(verdict_outcome, id);

  -- Full-text search over headers and the start of each body, by substring (trigrams)
  CREATE VIRTUAL TABLE deliveries_fts USING fts5(content, tokenize = 'trigram');
  INSERT INTO deliveries_fts (rowid, content)
    SELECT id, method || ' ' || path || '?' || query || char(10) || headers_json || char(10) || CAST(substr(body, 1, 65536) AS TEXT) FROM deliveries;

  CREATE TRIGGER deliveries_fts_delete AFTER DELETE ON deliveries BEGIN
    DELETE FROM deliveries_fts WHERE rowid = old.id;
  END;

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- Search moved to a file of its own (see search-index.ts), written by the indexer thread.
  DROP TRIGGER IF EXISTS deliveries_fts_delete;
  DROP TABLE IF EXISTS deliveries_fts;
  `,
  `
  -- Ids alone, small enough to skip a million of them quickly (jumping to a place in the list).
  CREATE INDEX deliveries_by_id ON deliveries(id);
  `,
];
