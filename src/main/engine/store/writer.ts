/**
 * The store writer, seen from the engine: captured deliveries go to a thread
 * of their own (writer-worker.ts) that commits them, so the receiver keeps
 * reading requests while a commit syncs to disk. A delivery's promise settles
 * only after its transaction has committed: nothing is acknowledged before it
 * is stored. When the thread fails, what it held is refused (the sender gets a
 * 503 and retries) and the next delivery starts a new one.
 */
import type { Worker } from 'node:worker_threads';
import { EngineError } from '../errors';
import { startThread } from './threads';
import { WriteQueue } from './write-queue';
import type { OpenOptions } from './database';
import type { NewDelivery } from './deliveries-repo';

export interface WriterOptions extends OpenOptions {
  /** The database file; the thread opens its own connection to it. */
  file: string;
}

/** Messages to the thread. */
export type ToWriter =
  | { type: 'write'; seq: number; rows: NewDelivery[] }
  | { type: 'pragma'; seq: number; text: string }
  | { type: 'close' };

/** Messages from the thread. */
export type FromWriter =
  | { type: 'written'; seq: number; ids: number[] }
  | { type: 'pragma'; seq: number; result: unknown }
  | { type: 'failed'; seq: number; message: string };

type Waiter = { resolve: (value: never) => void; reject: (error: unknown) => void };

export class StoreWriter {
  private worker: Worker | null = null;
  private seq = 0;
  /** One waiter per message sent: a batch of rows, or a PRAGMA. */
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;
  // Everything that arrives in one turn of the event loop travels as one message.
  private readonly batches = new WriteQueue<NewDelivery, number>((rows) => this.request<number[]>((seq) => ({ type: 'write', seq, rows })));

  constructor(private readonly options: WriterOptions) {}

  /** Resolves with the delivery's id once it is committed; rejects when it could not be stored. */
  add(row: NewDelivery): Promise<number> {
    if (this.closed) return Promise.reject(new EngineError('storage_failed', 'the store is closed'));
    return this.batches.add(row);
  }

  /** Runs a PRAGMA on the writer's own connection (tests use it to simulate a full disk). */
  pragma(text: string): Promise<unknown> {
    return this.request((seq) => ({ type: 'pragma', seq, text }));
  }

  /** Writes what is queued, waits for the thread to commit it, and stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.batches.flush();
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWriter);
    await exited;
  }

  /** Sends one message and settles with the thread's answer to it. */
  private request<T>(message: (seq: number) => ToWriter): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (value: never) => void, reject });
      try {
        this.thread().postMessage(message(seq));
      } catch (error) {
        this.fail(seq, (error as Error).message);
      }
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread('writer-worker', this.options);
    worker.on('message', (message: FromWriter) => {
      switch (message.type) {
        case 'written':
          return this.settle(message.seq, (w) => w.resolve(message.ids as never));
        case 'pragma':
          return this.settle(message.seq, (w) => w.resolve(message.result as never));
        case 'failed':
          return this.fail(message.seq, message.message);
        default: {
          const unknown: never = message;
          throw new Error(`unknown message ${JSON.stringify(unknown)}`);
        }
      }
    });
    const stopped = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      // Whatever it held was not confirmed as committed: refuse it, so senders retry.
      for (const seq of [...this.waiting.keys()]) this.fail(seq, `the store writer stopped: ${reason}`);
    };
    worker.on('error', (error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private settle(seq: number, answer: (waiter: Waiter) => void): void {
    const waiter = this.waiting.get(seq);
    this.waiting.delete(seq);
    if (waiter) answer(waiter);
  }

  private fail(seq: number, message: string): void {
    this.settle(seq, (w) => w.reject(new EngineError('storage_failed', message)));
  }
}
