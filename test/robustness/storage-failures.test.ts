/** A full disk, a locked database and a corrupted one: clear errors, and never a 2xx for what was not stored. */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEngine, DATABASE_FILE, openStore, type Engine } from '../../src/main/engine';
import { runCli, type Io } from '../../src/main/headless/cli';
import { send, tempDir } from '../helpers';

const io = () => {
  const out = { out: '', err: '' };
  const sink: Io = { stdout: (t) => void (out.out += t), stderr: (t) => void (out.err += t), stdoutBytes: () => {} };
  return { out, sink };
};

describe('storage failures', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close().catch(() => undefined)));
    dirs.splice(0).forEach((d) => d.remove());
  });
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };

  it('a full disk: the receiver answers 503 with the reason and Retry-After, and recovers when there is room', async () => {
    let writer: { pragma(text: string): Promise<unknown> } | undefined;
    const engine = await createEngine({ dataDir: dir(), receiverPort: 0, ensureDefaultEndpoint: true, configureWriter: (w) => (writer = w) });
    engines.push(engine);
    // The file may not grow past its current size: the next write finds the disk full.
    const pages = (await writer!.pragma('page_count')) as number;
    await writer!.pragma(`max_page_count = ${pages}`);
    const res = await send(`${engine.receiverUrl}/e/default`, { body: JSON.stringify({ pad: 'x'.repeat(200_000) }) });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: 'delivery could not be stored', detail: expect.stringMatching(/full/) });
    await writer!.pragma('max_page_count = 1073741823');
    expect((await send(`${engine.receiverUrl}/e/default`, { body: '{}' })).status).toBe(200);
    expect((await engine.call('deliveries.list', {})).total).toBe(1);
  });

  it('a database locked by another process: 503 after the busy timeout, not a false 2xx', async () => {
    const path = dir();
    const engine = await createEngine({ dataDir: path, receiverPort: 0, ensureDefaultEndpoint: true, busyTimeoutMs: 200 });
    engines.push(engine);
    const other = new Database(join(path, DATABASE_FILE));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await send(`${engine.receiverUrl}/e/default`, { body: '{}' });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body.toString()).detail).toMatch(/locked|busy/i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await send(`${engine.receiverUrl}/e/default`, { body: '{}' })).status).toBe(200);
  });

  it('a corrupted database: the CLI says so in one line and exits 1; the engine refuses to start with the reason', async () => {
    const path = dir();
    openStore(path).db.close();
    writeFileSync(join(path, DATABASE_FILE), Buffer.alloc(8192, 0x42));
    const { out, sink } = io();
    expect(await runCli(['deliveries', 'list', '--data-dir', path], sink)).toBe(1);
    expect(out.err).toMatch(/^hookbench: (cannot open|the database at) .*hookbench\.sqlite.*(not a database|unusable)/);
    expect(out.err.trim().split('\n')).toHaveLength(1);
    await expect(createEngine({ dataDir: path, receiverPort: 0 })).rejects.toMatchObject({ code: 'storage_failed' });
  });
});
