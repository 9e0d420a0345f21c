/** Keeps history within the chosen caps, oldest first, and reports the current size. */
import type { Retention, StorageStats } from '../../../shared/model';
import { EngineError } from '../errors';
import type { Db } from './database';

export const DEFAULT_RETENTION: Retention = { maxCount: null, maxAgeDays: null, maxBytes: null };
const KEY = 'retention';
const DATA = 'length(body) + length(headers_json) + length(response_body) + length(response_headers_json)';

export function validateRetention(r: Retention): Retention {
  const ok = (v: number | null, max: number) => v === null || (Number.isFinite(v) && v > 0 && v <= max);
  if (!ok(r.maxCount, 1e9) || !ok(r.maxAgeDays, 36500) || !ok(r.maxBytes, 1e13)) {
    throw new EngineError('invalid_input', 'each limit is empty (no limit) or a positive number');
  }
  return { maxCount: r.maxCount === null ? null : Math.floor(r.maxCount), maxAgeDays: r.maxAgeDays, maxBytes: r.maxBytes === null ? null : Math.floor(r.maxBytes) };
}

export type RetentionStore = ReturnType<typeof createRetention>;

export function createRetention(db: Db, now: () => number) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const stats = db.prepare<[], { count: number; data: number | null; oldest: number | null }>(
    `SELECT count(*) AS count, sum(${DATA}) AS data, min(received_at) AS oldest FROM deliveries`,
  );
  const deleteBeyondCount = db.prepare('DELETE FROM deliveries WHERE id <= (SELECT id FROM deliveries ORDER BY id DESC LIMIT 1 OFFSET ?)');
  const deleteOlderThan = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  const oldestBatch = db.prepare<[number], { id: number; bytes: number }>(`SELECT id, ${DATA} AS bytes FROM deliveries ORDER BY id LIMIT ?`);
  const deleteUpTo = db.prepare('DELETE FROM deliveries WHERE id <= ?');

  const get = (): Retention => {
    const row = read.get(KEY);
    return row ? { ...DEFAULT_RETENTION, ...(JSON.parse(row.value) as Partial<Retention>) } : DEFAULT_RETENTION;
  };

  /** Deletes the oldest deliveries beyond the caps, in one transaction; returns how many went. */
  const prune = db.transaction((): number => {
    const r = get();
    let removed = 0;
    if (r.maxAgeDays !== null) removed += deleteOlderThan.run(now() - r.maxAgeDays * 86_400_000).changes;
    if (r.maxCount !== null) removed += deleteBeyondCount.run(r.maxCount).changes;
    if (r.maxBytes !== null) {
      let excess = (stats.get()?.data ?? 0) - r.maxBytes;
      while (excess > 0) {
        const batch = oldestBatch.all(500);
        if (batch.length === 0) break;
        let cut = 0;
        for (const row of batch) {
          excess -= row.bytes;
          cut = row.id;
          if (excess <= 0) break;
        }
        removed += deleteUpTo.run(cut).changes;
      }
    }
    return removed;
  });

  return {
    get,
    set(r: Retention): Retention {
      const valid = validateRetention({ ...get(), ...r });
      write.run(KEY, JSON.stringify(valid));
      return valid;
    },
    prune: () => prune(),
    stats(): StorageStats {
      const s = stats.get()!;
      const bytes = (schema: string) =>
        (db.pragma(`${schema}.page_count`, { simple: true }) as number) * (db.pragma(`${schema}.page_size`, { simple: true }) as number);
      // The search index is attached as `search` where the store was opened for the app and the CLI.
      const attached = db.pragma('database_list') as { name: string }[];
      const fileBytes = bytes('main') + (attached.some((d) => d.name === 'search') ? bytes('search') : 0);
      return { count: s.count, dataBytes: s.data ?? 0, fileBytes, oldestAt: s.oldest, retention: get() };
    },
  };
}
