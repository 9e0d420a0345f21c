/**
 * The indexer's thread: indexes new deliveries for search, drops the index
 * rows of deliveries that retention removed, and checkpoints the database's
 * write-ahead log, cutting its file back once a burst is over. Nothing waits
 * on it: captures are committed by the writer's thread, and a search scans
 * what the index has not reached yet.
 * Started by indexer.ts; its only message is 'close'.
 */
import { readlinkSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database';
import type { IndexerOptions } from './indexer';
import { attachSearch, createIndexer } from './search-index';

/** Rows per transaction, and how long to rest once the index has caught up. */
const SLICE = 200;
const REST_MS = 50;
/**
 * The indexer's nice value: under full load it gets about a tenth of what a capture thread
 * gets, enough to keep checkpointing the log, which the lowest priority (19) starves.
 */
const NICE = 10;
const CHECKPOINT_EVERY_MS = 500;
const PURGE_EVERY_MS = 30_000;
/**
 * A burst grows the log file: passive checkpoints cannot finish while commits keep coming, and a
 * file once grown stays that size. Cut only when the receiver is quiet, since cutting blocks
 * commits while it runs.
 */
const WAL_KEEP_BYTES = 64 * 1024 * 1024;
const QUIET_MS = 5000;

/**
 * Indexing yields the processor to capture: on Linux a thread has a nice value of its own, and
 * `/proc/thread-self` names this one. Elsewhere it runs at the normal priority.
 */
function yieldToCapture(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
  } catch {
    // Not Linux, or not allowed: the normal priority.
  }
}
yieldToCapture();

const port = parentPort!;
const options = workerData as IndexerOptions;
const db = openDatabase(options.file, { ...options, synchronous: 'NORMAL' });
attachSearch(db, options.searchFile);
const indexer = createIndexer(db);
const walBytes = () => statSync(`${options.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

let timer: NodeJS.Timeout | undefined;
let lastCheckpoint = Date.now();
let lastPurge = 0;
/** The newest delivery seen, when it was first seen, and whether the log was cut since. */
let latest = 0;
let latestAt = Date.now();
let cut = false;

/** Cuts the log file back once the receiver has been quiet for a while and the file is large. */
function trimWhenQuiet(now: number): void {
  const id = indexer.latestId();
  if (id !== latest) [latest, latestAt, cut] = [id, now, false];
  if (cut || now - latestAt < (options.quietMs ?? QUIET_MS)) return;
  if (walBytes() > (options.walKeepBytes ?? WAL_KEEP_BYTES)) {
    const [result] = db.pragma('main.wal_checkpoint(TRUNCATE)') as { busy: number }[];
    // A reader still needed the log: the next round tries again.
    if (result?.busy) return;
  }
  cut = true;
}

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
  attempt(() => trimWhenQuiet(now));
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
