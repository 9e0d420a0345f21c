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
  | { type: 'ready' }
  | { type: 'written'; seq: number; ids: number[] }
  | { type: 'pragma'; seq: number; result: unknown }
  | { type: 'failed'; seq: number; message: string };

type Waiter = { resolve: (value: never) => void; reject: (error: unknown) => void };

export class StoreWriter {
  private worker: Worker | null = null;
  private queued: { row: NewDelivery; resolve: (id: number) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;
  private seq = 0;
  private readonly waiting = new Map<number, Waiter[]>();
  private closed = false;

  constructor(private readonly options: WriterOptions) {}

  /** Resolves with the delivery's id once it is committed; rejects when it could not be stored. */
  add(row: NewDelivery): Promise<number> {
    if (this.closed) return Promise.reject(new EngineError('storage_failed', 'the store is closed'));
    return new Promise<number>((resolve, reject) => {
      this.queued.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Everything that arrives in this turn of the event loop travels as one message.
        setImmediate(() => this.send());
      }
    });
  }

  /** Runs a PRAGMA on the writer's own connection (tests use it to simulate a full disk). */
  pragma(text: string): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, [{ resolve: resolve as (value: never) => void, reject }]);
      this.thread().postMessage({ type: 'pragma', seq, text } satisfies ToWriter);
    });
  }

  /** Writes what is queued, waits for the thread to commit it, and stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.send();
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWriter);
    await exited;
  }

  private send(): void {
    this.scheduled = false;
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    const seq = ++this.seq;
    this.waiting.set(seq, batch.map(({ resolve, reject }) => ({ resolve: resolve as (value: never) => void, reject })));
    try {
      this.thread().postMessage({ type: 'write', seq, rows: batch.map((b) => b.row) } satisfies ToWriter);
    } catch (error) {
      this.fail(seq, (error as Error).message);
    }
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread('writer-worker', this.options);
    worker.on('message', (message: FromWriter) => {
      switch (message.type) {
        case 'ready':
          return;
        case 'written':
          return this.settle(message.seq, (w, i) => w.resolve(message.ids[i] as never));
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

  private settle(seq: number, each: (waiter: Waiter, index: number) => void): void {
    const waiters = this.waiting.get(seq);
    this.waiting.delete(seq);
    waiters?.forEach(each);
  }

  private fail(seq: number, message: string): void {
    this.settle(seq, (w) => w.reject(new EngineError('storage_failed', message)));
  }
}
