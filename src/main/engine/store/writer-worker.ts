/**
 * The store writer's thread. It owns the inserts of captured deliveries:
 * everything that reached it while a commit was syncing to disk goes into the
 * next transaction (group commit), and each batch is answered only once it has
 * committed. It never checkpoints the log or indexes for search (the indexer
 * thread does both), so a commit is never held up behind that work.
 * Started by threads.ts; speaks only the messages declared in writer.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database';
import { createDeliveriesRepo, type NewDelivery } from './deliveries-repo';
import { WriteQueue } from './write-queue';
import type { ToWriter, FromWriter, WriterOptions } from './writer';

const port = parentPort!;
const options = workerData as WriterOptions;
const reply = (message: FromWriter) => port.postMessage(message);

const db = openDatabase(options.file, options);
db.pragma('wal_autocheckpoint = 0');
const deliveries = createDeliveriesRepo(db);

/** Structured cloning turns Buffers into plain Uint8Arrays; SQLite binds Buffers. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const batches = new WriteQueue<NewDelivery[], number[]>((groups) => {
  const ids = deliveries.insertMany(groups.flat());
  let at = 0;
  return groups.map((group) => ids.slice(at, (at += group.length)));
});

port.on('message', (message: ToWriter) => {
  switch (message.type) {
    case 'write': {
      const rows = message.rows.map((r) => ({ ...r, body: asBuffer(r.body), responseBody: asBuffer(r.responseBody) }));
      batches.add(rows).then(
        (ids) => reply({ type: 'written', seq: message.seq, ids }),
        (error: unknown) => reply({ type: 'failed', seq: message.seq, message: (error as Error).message }),
      );
      break;
    }
    case 'pragma': {
      try {
        reply({ type: 'pragma', seq: message.seq, result: db.pragma(message.text, { simple: true }) });
      } catch (error) {
        reply({ type: 'failed', seq: message.seq, message: (error as Error).message });
      }
      break;
    }
    case 'close': {
      batches.flush();
      // After the answers to what was just written have been posted.
      setImmediate(() => {
        db.close();
        port.close();
      });
      break;
    }
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
