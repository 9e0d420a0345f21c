/** Nothing lost under load: every acknowledged delivery is stored, byte for byte (a real `hookbench serve`, 127.0.0.1 only). */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openStore } from '../../src/main/engine';
import { send, tempDir } from '../helpers';

describe('load', () => {
  const dir = tempDir();
  let child: ChildProcess;
  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    dir.remove();
  });

  it('1,500 deliveries, 50 at a time: acknowledged = stored, every body identical', async () => {
    child = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dir.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const { receiver } = await new Promise<{ receiver: string }>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l))));
    const acknowledged = new Map<string, Buffer>();
    let next = 0;
    const worker = async () => {
      while (next < 1500) {
        const i = next++;
        const body = Buffer.concat([Buffer.from(`{"n":${i},"pad":"`), Buffer.alloc(i % 2000, 0x7a), Buffer.from('"}')]);
        const res = await send(`${receiver}/e/default`, { body, headers: { 'X-Seq': String(i) } });
        if (res.status === 200) acknowledged.set(String(i), body);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(acknowledged.size).toBe(1500);
    const store = openStore(dir.path);
    try {
      const page = store.deliveries.page({ limit: 1000 });
      const ids = [...page.items.map((d) => d.id), ...store.deliveries.page({ limit: 1000, beforeId: page.nextBeforeId! }).items.map((d) => d.id)];
      expect(ids).toHaveLength(1500);
      for (const id of ids) {
        const d = store.deliveries.get(id)!;
        const seq = d.headers.find(([k]) => k === 'X-Seq')![1];
        expect(Buffer.from(d.bodyBase64, 'base64').equals(acknowledged.get(seq)!), `delivery ${seq}`).toBe(true);
      }
    } finally {
      store.db.close();
    }
  });
});
