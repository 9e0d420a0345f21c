/**
 * Full-text search over headers and bodies (trigrams, so any substring is
 * found). The index lives in a file of its own, written only by the indexer
 * thread: building trigram postings and merging them costs more than storing
 * a delivery and comes in bursts of tens of milliseconds, and in the same file
 * it would hold the write lock that the next commit of captures waits for.
 * The index is derived data: deleting the file only means it is rebuilt.
 */
import type { Db } from './database';

export const SEARCH_FILE = 'hookbench-search.sqlite';

/** The text a delivery is found by: request line, headers as received, and the first 64 KiB of the body. */
export const SEARCH_TEXT =
  "method || ' ' || path || '?' || query || char(10) || headers_json || char(10) || CAST(substr(body, 1, 65536) AS TEXT)";

/** Attaches the index file to a connection as `search`, creating it when missing. */
export function attachSearch(db: Db, file: string): void {
  db.prepare('ATTACH DATABASE ? AS search').run(file);
  db.pragma('search.journal_mode = WAL');
  // Rebuilt from the deliveries after a power cut, so a sync per commit is not needed.
  db.pragma('search.synchronous = NORMAL');
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS search.deliveries_fts USING fts5(content, tokenize = 'trigram')");
}

/** The newest delivery id the index holds: newer deliveries are searched by scanning them. */
export function indexedUpTo(db: Db): () => number {
  const last = db.prepare<[], { id: number | null }>('SELECT max(rowid) AS id FROM search.deliveries_fts');
  return () => last.get()?.id ?? 0;
}

export type Indexer = ReturnType<typeof createIndexer>;

/** Indexing, for the one connection that writes the index (the indexer thread, or a benchmark). */
export function createIndexer(db: Db) {
  const upTo = indexedUpTo(db);
  const lastId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM main.deliveries');
  const indexSince = db.prepare(`INSERT INTO search.deliveries_fts (rowid, content)
    SELECT id, ${SEARCH_TEXT} FROM main.deliveries WHERE id > ? ORDER BY id LIMIT ?`);
  // Retention deletes the oldest deliveries first (ids only grow), so what lies below the oldest kept id goes.
  const purge = db.prepare(`DELETE FROM search.deliveries_fts WHERE rowid < coalesce(
    (SELECT min(id) FROM main.deliveries), (SELECT max(rowid) + 1 FROM search.deliveries_fts))`);
  // Deferred, not immediate: an immediate transaction would lock the deliveries file as well.
  const slice = db.transaction((limit: number) => indexSince.run(upTo(), limit).changes);
  const latestId = () => lastId.get()?.id ?? 0;
  return {
    /** The id of the newest delivery stored (0 when there is none). */
    latestId,
    /** Indexes up to `limit` rows (all when omitted) in one transaction; says whether rows are left. */
    indexPending(limit = -1): boolean {
      if (latestId() <= upTo()) return false;
      slice(limit);
      return latestId() > upTo();
    },
    /** Drops the index rows of deliveries that retention removed; returns how many. */
    purge: (): number => purge.run().changes,
  };
}
