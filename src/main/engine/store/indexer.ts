/** The indexer thread, seen from the engine: started with the engine, stopped with it. */
import type { OpenOptions } from './database';
import { startThread } from './threads';

export interface IndexerOptions extends OpenOptions {
  /** The database file and the search index file; the thread opens its own connection. */
  file: string;
  searchFile: string;
  /** Once no delivery has arrived for `quietMs`, a log file larger than `walKeepBytes` is cut to nothing. */
  walKeepBytes?: number;
  quietMs?: number;
}

export interface IndexerThread {
  close(): Promise<void>;
}

export function startIndexer(options: IndexerOptions): IndexerThread {
  const worker = startThread('indexer-worker', options);
  // A failed indexer costs only speed: searches scan what it has not indexed.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async close() {
      worker.postMessage({ type: 'close' });
      await exited;
    },
  };
}
