/**
 * The indexer's thread: indexes new deliveries for search, drops the index
 * rows of deliveries that retention removed, and checkpoints the database's
 * write-ahead log. Nothing waits on it: captures are committed by the writer's
 * thread, and a search scans what the index has not reached yet.
 * Started by indexer.ts; its only message is 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database';
import type { IndexerOptions } from './indexer';
import { attachSearch, createIndexer } from './search-index';

/** Rows per transaction, and how long to rest once the index has caught up. */
const SLICE = 200;
const REST_MS = 50;
const CHECKPOINT_EVERY_MS = 500;
const PURGE_EVERY_MS = 30_000;

const port = parentPort!;
const options = workerData as IndexerOptions;
const db = openDatabase(options.file, { ...options, synchronous: 'NORMAL' });
attachSearch(db, options.searchFile);
const indexer = createIndexer(db);

let timer: NodeJS.Timeout | undefined;
let lastCheckpoint = Date.now();
let lastPurge = 0;

/** Best effort: a locked or full disk is tried again on the next round. */
function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    // The next round tries again; searches stay complete by scanning what is not indexed.
    return undefined;
  }
}

function round(): void {
  const more = attempt(() => indexer.indexPending(SLICE)) ?? false;
  const now = Date.now();
  if (now - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
    lastCheckpoint = now;
    // Passive: copies what no reader still needs, without blocking the writer.
    attempt(() => db.pragma('main.wal_checkpoint(PASSIVE)'));
  }
  if (now - lastPurge >= PURGE_EVERY_MS) {
    lastPurge = now;
    attempt(() => indexer.purge());
  }
  timer = setTimeout(round, more ? 0 : REST_MS);
}

port.on('message', (message: { type: 'close' }) => {
  if (message.type !== 'close') return;
  clearTimeout(timer);
  db.close();
  port.close();
});

round();
