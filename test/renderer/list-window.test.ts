/**
 * The list's window of rows, driven through the renderer's own store against a
 * real engine (the desktop bridge's shape, in process): the page never holds
 * more than a window of rows, wherever the list is scrolled to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, openStore, type Engine } from '../../src/main/engine';
import { BRIDGE_GLOBAL } from '../../src/shared/api';
import { newDelivery, send, tempDir } from '../helpers';

const N = 3000;
const WINDOW = 1000;

const row = (i: number) => newDelivery({ receivedAt: 1_700_000_000_000 + i, endpointName: 'default', path: '/e/default', query: `n=${i}`, body: Buffer.from(`{"n":${i}}`) });

describe('the list keeps a window of rows', () => {
  const dir = tempDir();
  let engine: Engine;
  let store: typeof import('../../src/renderer/src/store').useStore;
  let held: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    const seed = openStore(dir.path);
    seed.deliveries.insertMany(Array.from({ length: N }, (_, i) => row(i)));
    seed.db.close();
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0 });
    (globalThis as Record<string, unknown>).window = {
      [BRIDGE_GLOBAL]: {
        invoke: async (method: never, params: never) => {
          try {
            const result = await engine.call(method, params);
            // A held list read answers what was true when it was asked, as a slow answer would.
            if (method === 'deliveries.list') await held;
            return { ok: true, result };
          } catch (error) {
            return { ok: false, error: { code: 'internal', message: (error as Error).message } };
          }
        },
        on: (event: never, listener: never) => engine.on(event, listener),
      },
    };
    store = (await import('../../src/renderer/src/store')).useStore;
    await store.getState().load();
  });
  afterAll(async () => {
    await engine.close();
    delete (globalThis as Record<string, unknown>).window;
    dir.remove();
  });

  /** Row i of the list, newest first, is delivery `n = N - 1 - i`. */
  const expectRows = (from: number, to: number) => {
    const { items, offset } = store.getState();
    expect(offset).toBeLessThanOrEqual(from);
    expect(offset + items.length).toBeGreaterThanOrEqual(to);
    for (let i = from; i < to; i++) expect(items[i - offset]!.query).toBe(`n=${N - 1 - i}`);
  };

  it('starts with the newest page and the whole count', () => {
    expect(store.getState().total).toBe(N);
    expectRows(0, 20);
  });

  it('jumps to the oldest rows and back to the middle, by offset', async () => {
    await store.getState().showRows(N - 20, N);
    expectRows(N - 20, N);
    await store.getState().showRows(1500, 1520);
    expectRows(1500, 1520);
    expect(store.getState().items.length).toBeLessThanOrEqual(WINDOW);
  });

  it('scrolling down through everything keeps at most a window of rows', async () => {
    await store.getState().showRows(0, 20);
    let most = 0;
    for (let first = 0; first < N - 20; first += 37) {
      await store.getState().showRows(first, first + 20);
      expectRows(first, first + 20);
      most = Math.max(most, store.getState().items.length);
    }
    expect(most).toBeLessThanOrEqual(WINDOW);
    // And back up again, row by row of pages.
    for (let first = N - 20; first >= 0; first -= 53) {
      await store.getState().showRows(first, first + 20);
      expectRows(first, first + 20);
    }
    expect(store.getState().items.length).toBeLessThanOrEqual(WINDOW);
  });

  it('a live arrival while scrolled down pushes the window down instead of breaking it', async () => {
    await store.getState().showRows(2000, 2020);
    const before = store.getState();
    expect(before.offset).toBeGreaterThan(0);
    const off = engine.on('delivery.created', (summary) => store.getState().receive(summary));
    expect((await send(`${engine.receiverUrl}/e/default?n=live`, { body: '{}' })).status).toBe(404);
    await expect.poll(() => store.getState().total).toBe(N + 1);
    off();
    const after = store.getState();
    expect(after.total).toBe(N + 1);
    expect(after.offset).toBe(before.offset + 1);
    expect(after.items[2001 - after.offset]!.query).toBe(`n=${N - 1 - 2000}`);
    await store.getState().showRows(0, 20);
    expect(store.getState().items[0]!.query).toBe('n=live');
    expect(after.arrivals.length).toBeGreaterThan(0);
  });

  it('a row that arrives live while the top of the list is being read survives the older answer', async () => {
    let release!: () => void;
    held = new Promise((r) => (release = r));
    const reading = store.getState().reload();
    const off = engine.on('delivery.created', (summary) => store.getState().receive(summary));
    await send(`${engine.receiverUrl}/e/default?n=during`, { body: '{}' });
    await expect.poll(() => store.getState().items[0]?.query).toBe('n=during');
    off();
    release();
    await reading;
    const { items, total } = store.getState();
    expect(items[0]!.query).toBe('n=during');
    expect(items[1]!.query).toBe('n=live');
    expect(total).toBe(N + 2);
  });

  it('a row that arrived while the event stream was closed shows up when it opens again', async () => {
    store.getState().setConnection('reconnecting');
    await send(`${engine.receiverUrl}/e/default?n=missed`, { body: '{}' });
    store.getState().setConnection('live');
    await expect.poll(() => store.getState().items[0]?.query).toBe('n=missed');
    expect(store.getState().total).toBe(N + 3);
    expect(store.getState().items.filter((d) => d.query === 'n=during')).toHaveLength(1);
  });
});
