import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DATABASE_FILE, openStore, type Store } from '../../src/main/engine';
import { EngineError } from '../../src/main/engine/errors';
import { MIGRATIONS } from '../../src/main/engine/store/migrations';
import { INVALID_UTF8, newDelivery, tempDir } from '../helpers';
import { DEFAULT_VERIFICATION } from '../../src/shared/verdict';
import { DEFAULT_BEHAVIOUR } from '../../src/main/engine/store/endpoints-repo';
import { KEY_FILE } from '../../src/main/engine/sender/sealer';

const delivery = newDelivery;

describe('store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    dir = tempDir();
    store = openStore(dir.path);
  });
  afterEach(() => {
    store.db.close();
    dir.remove();
  });

  it('opens in WAL mode with every migration applied, and reopens without re-applying them', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    store.db.close();
    store = openStore(dir.path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('refuses a database written by a newer Hookbench with a storage error', () => {
    store.db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    store.db.close();
    const reopen = () => openStore(dir.path);
    expect(reopen).toThrow(EngineError);
    expect(reopen).toThrow(/newer Hookbench/);
    const raw = new Database(join(dir.path, DATABASE_FILE));
    raw.pragma(`user_version = ${MIGRATIONS.length}`);
    raw.close();
    store = openStore(dir.path);
  });

  it('keeps body bytes, header order and repeated headers exactly', () => {
    const headers: [string, string][] = [
      ['X-Sig', 'a'],
      ['content-type', 'application/octet-stream'],
      ['X-Sig', 'b'],
    ];
    const [id] = store.deliveries.insertMany([delivery({ body: INVALID_UTF8, bodySize: INVALID_UTF8.length, headers })]);
    const got = store.deliveries.get(id!)!;
    expect(Buffer.from(got.bodyBase64, 'base64').equals(INVALID_UTF8)).toBe(true);
    expect(got.headers).toEqual(headers);
    expect(got.contentType).toBe('application/octet-stream');
    expect(store.deliveries.body(id!)!.equals(INVALID_UTF8)).toBe(true);
    // Stored as a BLOB, never as re-encoded text.
    const raw = new Database(join(dir.path, DATABASE_FILE), { readonly: true });
    expect(raw.prepare('SELECT typeof(body) AS t FROM deliveries WHERE id = ?').get(id)).toEqual({ t: 'blob' });
    raw.close();
  });

  it('pages newest first and filters by endpoint', () => {
    store.endpoints.insert({ id: 'ep_a', name: 'a', createdAt: 1, response: { status: 200, headers: [], body: '', delayMs: 0 }, verification: DEFAULT_VERIFICATION, behaviour: DEFAULT_BEHAVIOUR });
    const rows = Array.from({ length: 5 }, (_, i) => delivery({ receivedAt: i, endpointId: i % 2 ? 'ep_a' : null }));
    const ids = store.deliveries.insertMany(rows);
    const first = store.deliveries.page({ limit: 2 });
    expect(first.items.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    expect(first.total).toBe(5);
    const second = store.deliveries.page({ limit: 2, beforeId: first.nextBeforeId! });
    expect(second.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const last = store.deliveries.page({ limit: 2, beforeId: second.nextBeforeId! });
    expect(last.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(last.nextBeforeId).toBeNull();
    const onlyA = store.deliveries.page({ endpointId: 'ep_a' });
    expect(onlyA.items.map((d) => d.id)).toEqual([ids[3], ids[1]]);
    expect(onlyA.total).toBe(2);
    // A place in the list by its offset, as the scrollbar asks; nonsense offsets count as 0.
    expect(store.deliveries.page({ offset: 3, limit: 10 }).items.map((d) => d.id)).toEqual([ids[1], ids[0]]);
    expect(store.deliveries.page({ offset: 1, endpointId: 'ep_a' }).items.map((d) => d.id)).toEqual([ids[1]]);
    expect(store.deliveries.page({ offset: 'x' as never, limit: 1 }).items.map((d) => d.id)).toEqual([ids[4]]);
  });

  it('keeps deliveries when their endpoint is deleted, with the name they arrived under', () => {
    store.endpoints.insert({ id: 'ep_b', name: 'b', createdAt: 1, response: { status: 200, headers: [], body: '', delayMs: 0 }, verification: DEFAULT_VERIFICATION, behaviour: DEFAULT_BEHAVIOUR });
    const [id] = store.deliveries.insertMany([delivery({ endpointId: 'ep_b', endpointName: 'b' })]);
    expect(store.endpoints.delete('ep_b')).toBe(true);
    const got = store.deliveries.get(id!)!;
    expect(got.endpointId).toBeNull();
    expect(got.endpointName).toBe('b');
  });

  it('keeps endpoint secrets sealed at rest; a key file that no longer opens them costs the secrets, not the endpoint', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const endpoint = { id: 'ep_s', name: 's', createdAt: 1, response: { status: 200, headers: [], body: '', delayMs: 0 }, behaviour: DEFAULT_BEHAVIOUR };
    store.endpoints.insert({ ...endpoint, verification: { ...DEFAULT_VERIFICATION, scheme: 'standard-webhooks', secrets: [secret, 'second'] } });
    const raw = store.db.prepare<[], { v: string }>("SELECT verification_json AS v FROM endpoints WHERE id = 'ep_s'").get()!.v;
    expect(raw).not.toContain('MfKQ9r8G');
    expect(raw).not.toContain('second');
    expect(JSON.parse(raw)).toMatchObject({ scheme: 'standard-webhooks', secrets: [] });
    expect(store.endpoints.get('ep_s')!.verification.secrets).toEqual([secret, 'second']);
    // Settings written before secrets were sealed are still read.
    store.db.prepare("UPDATE endpoints SET verification_json = ? WHERE id = 'ep_s'").run(JSON.stringify({ secrets: ['plain'] }));
    expect(store.endpoints.get('ep_s')!.verification.secrets).toEqual(['plain']);
    store.endpoints.update({ ...store.endpoints.get('ep_s')!, verification: { ...DEFAULT_VERIFICATION, secrets: [secret] } });
    store.db.close();
    writeFileSync(join(dir.path, KEY_FILE), randomBytes(32));
    store = openStore(dir.path);
    expect(store.endpoints.get('ep_s')!.verification).toMatchObject({ secrets: [] });
  });
});
