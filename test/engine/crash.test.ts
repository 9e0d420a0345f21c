import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openStore } from '../../src/main/engine';
import { send, tempDir } from '../helpers';

/** Starts `hookbench serve --json` as a real process and resolves with its receiver URL. */
function serve(dataDir: string): Promise<{ child: ChildProcess; receiver: string }> {
  const child = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, receiver: (JSON.parse(line) as { receiver: string }).receiver }));
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
}

describe('crash safety (SIGKILL of a real hookbench process)', () => {
  const dir = tempDir();
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    dir.remove();
  });

  it('loses no acknowledged delivery when killed in the middle of a load', async () => {
    const running = await serve(dir.path);
    child = running.child;
    const acknowledged = new Map<string, Buffer>();
    let killed = false;
    const sendOne = async (i: number) => {
      const body = Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(i % 300) }));
      try {
        const res = await send(`${running.receiver}/e/default`, { body, headers: { 'X-Seq': String(i) } });
        if (res.status === 200) acknowledged.set(String(i), body);
        if (acknowledged.size >= 150 && !killed) {
          killed = true;
          child!.kill('SIGKILL');
        }
      } catch {
        // Refused or reset by the kill: never acknowledged, so nothing is owed.
      }
    };
    // 400 requests, 20 at a time; the kill lands while many are in flight.
    for (let start = 0; start < 400; start += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, k) => sendOne(start + k)));
      if (killed) break;
    }
    await new Promise((r) => child!.once('exit', r));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);

    const store = openStore(dir.path);
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Map<string, Buffer>();
      for (const summary of store.deliveries.page({ limit: 1000 }).items) {
        const detail = store.deliveries.get(summary.id)!;
        const seq = detail.headers.find(([k]) => k === 'X-Seq')![1];
        stored.set(seq, Buffer.from(detail.bodyBase64, 'base64'));
      }
      for (const [seq, body] of acknowledged) {
        expect(stored.get(seq)?.equals(body), `delivery ${seq} was acknowledged but is not on disk`).toBe(true);
      }
    } finally {
      store.db.close();
    }
  });
});
