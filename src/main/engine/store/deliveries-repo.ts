import type {
  DeliveryDetail,
  DeliveryOutcome,
  DeliveryPage,
  DeliveryQuery,
  DeliverySummary,
  HeaderPair,
} from '../../../shared/model';
import type { SchemeId, Verdict, VerdictOutcome } from '../../../shared/verdict';
import type { Db } from './database';

/** A delivery as the receiver hands it to the store, before it has an id. */
export interface NewDelivery {
  receivedAt: number;
  endpointId: string | null;
  endpointName: string | null;
  method: string;
  path: string;
  query: string;
  httpVersion: string;
  headers: HeaderPair[];
  body: Buffer;
  /** Bytes the client sent; larger than `body.length` when the body was refused as too large. */
  bodySize: number;
  remoteAddress: string;
  remotePort: number;
  responseStatus: number;
  responseHeaders: HeaderPair[];
  responseBody: Buffer;
  outcome: DeliveryOutcome;
  /** Judged before it is stored, so the verdict commits with the delivery. */
  verdict?: Verdict | null;
  /** Arrived through the public tunnel rather than directly. */
  viaTunnel?: boolean;
}

const SUMMARY_COLUMNS = `id, received_at, endpoint_id, endpoint_name, method, path, query, content_type,
  body_size, remote_address, response_status, outcome, verdict_outcome, scheme, via_tunnel`;

interface SummaryRow {
  id: number;
  received_at: number;
  endpoint_id: string | null;
  endpoint_name: string | null;
  method: string;
  path: string;
  query: string;
  content_type: string | null;
  body_size: number;
  remote_address: string;
  response_status: number;
  outcome: DeliveryOutcome;
  verdict_outcome: VerdictOutcome | null;
  scheme: SchemeId | null;
  via_tunnel: number;
}

interface DetailRow extends SummaryRow {
  verdict_json: string | null;
  http_version: string;
  headers_json: string;
  body: Buffer;
  remote_port: number;
  response_headers_json: string;
  response_body: Buffer;
}

function summaryFromRow(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    receivedAt: row.received_at,
    endpointId: row.endpoint_id,
    endpointName: row.endpoint_name,
    method: row.method,
    path: row.path,
    query: row.query,
    contentType: row.content_type,
    bodySize: row.body_size,
    remoteAddress: row.remote_address,
    responseStatus: row.response_status,
    outcome: row.outcome,
    verdictOutcome: row.verdict_outcome,
    scheme: row.scheme,
    viaTunnel: row.via_tunnel === 1,
  };
}

/** The first Content-Type as received (a repeated one is kept in `headers`). */
export function contentTypeOf(headers: HeaderPair[]): string | null {
  const found = headers.find(([name]) => name.toLowerCase() === 'content-type');
  return found ? found[1] : null;
}

export function summaryOf(id: number, d: NewDelivery): DeliverySummary {
  return {
    id,
    receivedAt: d.receivedAt,
    endpointId: d.endpointId,
    endpointName: d.endpointName,
    method: d.method,
    path: d.path,
    query: d.query,
    contentType: contentTypeOf(d.headers),
    bodySize: d.bodySize,
    remoteAddress: d.remoteAddress,
    responseStatus: d.responseStatus,
    outcome: d.outcome,
    verdictOutcome: d.verdict?.outcome ?? null,
    scheme: d.verdict?.scheme ?? null,
    viaTunnel: d.viaTunnel === true,
  };
}

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;

export function createDeliveriesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO deliveries (received_at, endpoint_id, endpoint_name, method, path, query,
      http_version, headers_json, content_type, body, body_size, remote_address, remote_port,
      response_status, response_headers_json, response_body, outcome, verdict_json, verdict_outcome, scheme, replay_key, via_tunnel)
    VALUES (@receivedAt, @endpointId, @endpointName, @method, @path, @query, @httpVersion, @headersJson,
      @contentType, @body, @bodySize, @remoteAddress, @remotePort, @responseStatus, @responseHeadersJson,
      @responseBody, @outcome, @verdictJson, @verdictOutcome, @scheme, @replayKey, @viaTunnel)`);
  const insertMany = db.transaction((rows: NewDelivery[]): number[] =>
    rows.map(({ verdict, viaTunnel, ...d }) => {
      const result = insert.run({
        ...d,
        headersJson: JSON.stringify(d.headers),
        contentType: contentTypeOf(d.headers),
        responseHeadersJson: JSON.stringify(d.responseHeaders),
        verdictJson: verdict ? JSON.stringify(verdict) : null,
        verdictOutcome: verdict?.outcome ?? null,
        scheme: verdict?.scheme ?? null,
        replayKey: verdict?.replayKey ?? null,
        viaTunnel: viaTunnel ? 1 : 0,
      });
      return Number(result.lastInsertRowid);
    }),
  );
  const detail = db.prepare<[number], DetailRow>('SELECT * FROM deliveries WHERE id = ?');
  const pageAll = db.prepare<[number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id < ? ORDER BY id DESC LIMIT ?`,
  );
  const pageByEndpoint = db.prepare<[string, number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE endpoint_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  );
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deliveries');
  const countByEndpoint = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM deliveries WHERE endpoint_id = ?',
  );
  const byReplayKey = db.prepare<[string | null, string, number], { id: number }>(
    'SELECT id FROM deliveries WHERE endpoint_id IS ? AND replay_key = ? AND id < ? ORDER BY id LIMIT 1',
  );

  return {
    /** Inserts in one transaction; returns the ids in the same order. Throws if the disk refuses. */
    insertMany: (rows: NewDelivery[]): number[] => insertMany(rows),

    get(id: number): DeliveryDetail | undefined {
      const row = detail.get(id);
      if (!row) return undefined;
      return {
        ...summaryFromRow(row),
        httpVersion: row.http_version,
        headers: JSON.parse(row.headers_json) as HeaderPair[],
        bodyBase64: row.body.toString('base64'),
        remotePort: row.remote_port,
        responseHeaders: JSON.parse(row.response_headers_json) as HeaderPair[],
        responseBodyBase64: row.response_body.toString('base64'),
        verdict: row.verdict_json ? (JSON.parse(row.verdict_json) as Verdict) : null,
      };
    },

    /** The first delivery on this endpoint, older than `beforeId`, that carried this replay key. */
    firstWithReplayKey(endpointId: string | null, key: string, beforeId = Number.MAX_SAFE_INTEGER): number | null {
      return byReplayKey.get(endpointId, key, beforeId)?.id ?? null;
    },

    /** The raw body bytes, untouched, for byte-exact export. */
    body(id: number): Buffer | undefined {
      return detail.get(id)?.body;
    },

    page(query: DeliveryQuery): DeliveryPage {
      const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
      const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
      // One extra row tells whether another page exists.
      const rows = query.endpointId
        ? pageByEndpoint.all(query.endpointId, before, limit + 1)
        : pageAll.all(before, limit + 1);
      const items = rows.slice(0, limit).map(summaryFromRow);
      const total = (query.endpointId ? countByEndpoint.get(query.endpointId) : countAll.get())?.n ?? 0;
      return { items, total, nextBeforeId: rows.length > limit ? items[items.length - 1]!.id : null };
    },
  };
}
