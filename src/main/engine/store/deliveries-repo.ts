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
import { eventTypeOf } from '../util/event-type';
import { indexedUpTo, SEARCH_TEXT } from './search-index';
import type { Statement } from 'better-sqlite3';

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
  /** Worked out once at insert (see eventTypeOf) and kept for the summary. */
  eventType?: string | null;
}

const SUMMARY_COLUMNS = `id, received_at, endpoint_id, endpoint_name, method, path, query, content_type,
  body_size, remote_address, response_status, outcome, verdict_outcome, scheme, via_tunnel, event_type`;

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
  event_type: string | null;
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
    eventType: row.event_type,
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
    eventType: d.eventType !== undefined ? d.eventType : eventTypeOf(d.headers, d.body),
  };
}

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;

export function createDeliveriesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO deliveries (received_at, endpoint_id, endpoint_name, method, path, query,
      http_version, headers_json, content_type, body, body_size, remote_address, remote_port,
      response_status, response_headers_json, response_body, outcome, verdict_json, verdict_outcome, scheme, replay_key, via_tunnel, event_type)
    VALUES (@receivedAt, @endpointId, @endpointName, @method, @path, @query, @httpVersion, @headersJson,
      @contentType, @body, @bodySize, @remoteAddress, @remotePort, @responseStatus, @responseHeadersJson,
      @responseBody, @outcome, @verdictJson, @verdictOutcome, @scheme, @replayKey, @viaTunnel, @eventType)`);
  /** Prepared on the first search: a connection that never searches (the writer's) has no index attached. */
  let indexed: (() => number) | undefined;
  const insertMany = db.transaction((rows: NewDelivery[]): number[] =>
    rows.map((row) => {
      row.eventType ??= eventTypeOf(row.headers, row.body);
      const { verdict, viaTunnel, ...d } = row;
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
        eventType: row.eventType,
      });
      return Number(result.lastInsertRowid);
    }),
  );
  const detail = db.prepare<[number], DetailRow>('SELECT * FROM deliveries WHERE id = ?');
  // One prepared statement per combination of filters, made on first use.
  const statements = new Map<string, { page: Statement; count: Statement; skip: Statement }>();
  const filtered = (query: DeliveryQuery) => {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.endpointId) {
      where.push('endpoint_id = ?');
      params.push(query.endpointId);
    }
    if (query.eventType) {
      where.push('event_type = ?');
      params.push(query.eventType);
    }
    if (query.verdict) {
      where.push(query.verdict === 'none' ? 'verdict_outcome IS NULL' : 'verdict_outcome = ?');
      if (query.verdict !== 'none') params.push(query.verdict);
    }
    const search = query.search?.trim();
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      if ([...search].length >= 3) {
        // The index, and the deliveries it has not reached yet (the last moments' captures,
        // another process's imports) scanned for the same text: always complete, never waiting.
        indexed ??= indexedUpTo(db);
        where.push(`(id IN (SELECT rowid FROM search.deliveries_fts WHERE deliveries_fts MATCH ?) OR (id > ? AND (${SEARCH_TEXT}) LIKE ? ESCAPE '\\'))`);
        params.push(`"${search.replace(/"/g, '""')}"`, indexed(), like);
      } else {
        where.push("(path LIKE ? ESCAPE '\\' OR headers_json LIKE ? ESCAPE '\\')");
        params.push(like, like);
      }
    }
    const key = where.join(' AND ');
    let s = statements.get(key);
    if (!s) {
      const clause = where.length ? `${key} AND` : '';
      s = {
        page: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${clause} id < ? ORDER BY id DESC LIMIT ?`),
        count: db.prepare(`SELECT count(*) AS n FROM deliveries ${where.length ? `WHERE ${key}` : ''}`),
        // Skipping rows walks an index of ids (the filter's, or the bare one), never the rows themselves.
        skip: db.prepare(
          `SELECT id FROM deliveries ${where.length ? '' : 'INDEXED BY deliveries_by_id'} WHERE ${clause} id < ? ORDER BY id DESC LIMIT 1 OFFSET ?`,
        ),
      };
      statements.set(key, s);
    }
    return { ...s, params };
  };
  const eventTypes = db.prepare<[], { event_type: string }>(
    'SELECT DISTINCT event_type FROM deliveries WHERE event_type IS NOT NULL ORDER BY event_type LIMIT 500',
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

    /** Distinct event types, for the filter. */
    eventTypes: (): string[] => eventTypes.all().map((r) => r.event_type),

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
      const { page, count, skip, params } = filtered(query);
      let before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
      const offset = Math.max(0, Math.floor(query.offset ?? 0)) || 0;
      if (offset > 0) {
        // The row at the offset, then a page from it: as fast a million rows down as at the top.
        const at = skip.get(...params, before, offset) as { id: number } | undefined;
        before = at ? at.id + 1 : 0;
      }
      // One extra row tells whether another page exists.
      const rows = page.all(...params, before, limit + 1) as SummaryRow[];
      const items = rows.slice(0, limit).map(summaryFromRow);
      const total = (count.get(...params) as { n: number } | undefined)?.n ?? 0;
      return { items, total, nextBeforeId: rows.length > limit ? items[items.length - 1]!.id : null };
    },
  };
}
