/** The store's threads (writer, indexer) and the search index file, against real SQLite files. */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, DATABASE_FILE, openStore, type Store } from '../../src/main/engine';
import { createIndexer, indexedUpTo, SEARCH_FILE } from '../../src/main/engine/store/search-index';
import { startIndexer } from '../../src/main/engine/store/indexer';
import { StoreWriter } from '../../src/main/engine/store/writer';
import { signStandardWebhooks } from '../../src/main/engine/schemes/standard-webhooks';
import { newDelivery, send, tempDir } from '../helpers';

const row = (body: string) => newDelivery({ endpointName: 'default', path: '/e/default', body: Buffer.from(body), receivedAt: Date.now() });

describe('the search index file', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const stores: Store[] = [];
  afterEach(() => {
    stores.splice(0).forEach((s) => s.db.open && s.db.close());
    dirs.splice(0).forEach((d) => d.remove());
  });
  const open = (path?: string) => {
    const dir = path ?? (dirs[dirs.push(tempDir()) - 1]!.path);
    const store = openStore(dir);
    stores.push(store);
    return { dir, store };
  };
  const found = (store: Store, search: string) => store.deliveries.page({ search }).items.map((d) => d.id);

  it('finds a delivery the same way before and after the indexer reached it, never twice', () => {
    const { store } = open();
    const [a, b] = store.deliveries.insertMany([row('{"user":"u_4242","note":"100% off_sale"}'), row('{"user":"u_7"}')]);
    const search = indexedUpTo(store.db);
    expect(search()).toBe(0);
    // Not indexed yet: the scan of what the index has not reached answers.
    expect(found(store, 'u_4242')).toEqual([a]);
    expect(found(store, '100% off_')).toEqual([a]); // LIKE's wildcards taken literally
    expect(found(store, '0%_off')).toEqual([]);
    expect(createIndexer(store.db).indexPending()).toBe(false);
    expect(search()).toBe(b);
    expect(found(store, 'u_4242')).toEqual([a]);
    expect(found(store, '100% off_')).toEqual([a]);
    expect(found(store, 'U_42')).toEqual([a]); // case does not matter, indexed or not
  });

  it('indexes in slices and drops what retention removed', () => {
    const { store } = open();
    const ids = store.deliveries.insertMany(Array.from({ length: 5 }, (_, i) => row(`{"n":"item-${i}"}`)));
    const indexer = createIndexer(store.db);
    expect(indexer.indexPending(2)).toBe(true);
    expect(indexedUpTo(store.db)()).toBe(ids[1]);
    while (indexer.indexPending(2));
    expect(indexedUpTo(store.db)()).toBe(ids[4]);
    store.db.prepare('DELETE FROM deliveries WHERE id <= ?').run(ids[2]);
    expect(indexer.purge()).toBe(3);
    expect(found(store, 'item-')).toEqual([ids[4], ids[3]]);
    store.db.prepare('DELETE FROM deliveries').run();
    expect(indexer.purge()).toBe(2);
  });

  it('is derived data: a deleted index file is rebuilt, and searches stay complete meanwhile', () => {
    const { dir, store } = open();
    const [a] = store.deliveries.insertMany([row('{"user":"u_99"}')]);
    createIndexer(store.db).indexPending();
    store.db.close();
    rmSync(join(dir, SEARCH_FILE));
    rmSync(join(dir, `${SEARCH_FILE}-wal`), { force: true });
    const again = open(dir).store;
    expect(indexedUpTo(again.db)()).toBe(0);
    expect(found(again, 'u_99')).toEqual([a]);
    createIndexer(again.db).indexPending();
    expect(indexedUpTo(again.db)()).toBe(a);
  });
});

describe('the store threads', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dir = () => dirs[dirs.push(tempDir()) - 1]!.path;

  it('the writer commits what was queued before it closes, and refuses what comes after', async () => {
    const path = dir();
    openStore(path).db.close();
    const writer = new StoreWriter({ file: join(path, DATABASE_FILE) });
    const pending = ['a', 'b', 'c'].map((n) => writer.add(row(`{"n":"${n}"}`)));
    await writer.close();
    const ids = await Promise.all(pending);
    expect(ids).toEqual([1, 2, 3]);
    await expect(writer.add(row('{}'))).rejects.toMatchObject({ code: 'storage_failed' });
    const store = openStore(path);
    expect(store.deliveries.page({}).items.map((d) => Buffer.from(store.deliveries.body(d.id)!).toString())).toEqual(['{"n":"c"}', '{"n":"b"}', '{"n":"a"}']);
    store.db.close();
  });

  it('the running engine indexes what it receives by itself', async () => {
    const path = dir();
    const engine = await createEngine({ dataDir: path, receiverPort: 0, ensureDefaultEndpoint: true });
    try {
      for (let i = 0; i < 3; i++) expect((await send(`${engine.receiverUrl}/e/default`, { body: `{"i":"thread-${i}"}` })).status).toBe(200);
      const reader = openStore(path);
      const upTo = indexedUpTo(reader.db);
      const deadline = Date.now() + 5000;
      while (upTo() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(upTo()).toBe(3);
      reader.db.close();
      expect((await engine.call('deliveries.list', { search: 'thread-1' })).total).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('after a burst, once the receiver is quiet, the log file is cut back', async () => {
    const path = dir();
    openStore(path).db.close();
    const file = join(path, DATABASE_FILE);
    const writer = new StoreWriter({ file });
    const indexer = startIndexer({ file, searchFile: join(path, SEARCH_FILE), walKeepBytes: 1024 * 1024, quietMs: 300 });
    try {
      const body = JSON.stringify({ pad: 'x'.repeat(2000) });
      await Promise.all(Array.from({ length: 1500 }, () => writer.add(row(body))));
      const walBytes = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      expect(walBytes()).toBeGreaterThan(1024 * 1024);
      await expect.poll(walBytes, { timeout: 5000 }).toBe(0);
      // Nothing was lost on the way, and writing goes on into the emptied log.
      await writer.add(row('{"after":"trim"}'));
      const store = openStore(path);
      expect(store.deliveries.page({}).total).toBe(1501);
      store.db.close();
    } finally {
      await writer.close();
      await indexer.close();
    }
  });

  /** The nice value of each thread of this process, by thread id (`/proc/self/task/<tid>/stat`, field 19). */
  const niceByThread = () =>
    new Map(
      readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
      }),
    );

  it.skipIf(process.platform !== 'linux')('the indexer thread yields the processor to capture: nice 10, the writer keeps the normal priority (Linux only, where a thread has its own nice value)', async () => {
    const before = niceByThread();
    const engine = await createEngine({ dataDir: dir(), receiverPort: 0, ensureDefaultEndpoint: true });
    try {
      let started: number[] = [];
      const deadline = Date.now() + 5000;
      // The engine's two threads: the indexer sets its own priority once it runs.
      while (Date.now() < deadline) {
        started = [...niceByThread()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
        if (started.includes(10)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(started.filter((nice) => nice === 10)).toHaveLength(1);
      expect(started.filter((nice) => nice === 0).length).toBeGreaterThanOrEqual(1);
      expect((await send(`${engine.receiverUrl}/e/default`, { body: '{}' })).status).toBe(200);
    } finally {
      await engine.close();
    }
  });

  it('a duplicate sent at the same instant is recognised while the first is still being committed', async () => {
    const engine = await createEngine({ dataDir: dir(), receiverPort: 0 });
    try {
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      await engine.call('endpoints.create', { name: 'sw', verification: { scheme: 'standard-webhooks', secrets: [secret] } });
      const body = Buffer.from('{"type":"contact.created"}');
      const signed = signStandardWebhooks({ body, secret, id: 'msg_twice', timestamp: Math.floor(Date.now() / 1000) });
      const headers = { 'Content-Type': 'application/json', ...Object.fromEntries(signed.headers) };
      const answers = await Promise.all([1, 2].map(() => send(`${engine.receiverUrl}/e/sw`, { body, headers })));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const { items } = await engine.call('deliveries.list', {});
      const replay = await Promise.all(items.map(async (d) => (await engine.call('deliveries.get', { id: d.id })).verdict!.checks.find((c) => c.id === 'replay')!));
      expect(replay.map((c) => c.status).sort()).toEqual(['pass', 'warn']);
      expect(replay.find((c) => c.status === 'warn')!.reason).toMatch(/already arrived (moments ago|in delivery #\d+)/);
    } finally {
      await engine.close();
    }
  });
});
