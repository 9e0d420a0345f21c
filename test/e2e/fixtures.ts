/** Starts a real `hookbench serve` per test, in a fresh data folder, and stops it afterwards. */
import { test as base } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Hookbench {
  ui: string;
  receiver: string;
  dataDir: string;
  /** POSTs to the receiver from Node, outside the page, like a real sender. */
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<number>;
}

export const test = base.extend<{ hookbench: Hookbench }>({
  // eslint-disable-next-line no-empty-pattern
  hookbench: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
    const child = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ ui: string; receiver: string }>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`hookbench serve exited with ${code}`)));
    });
    const post: Hookbench['post'] = async (path, body, headers = {}) => {
      const bytes = typeof body === 'string' ? body : new Uint8Array(body);
      const res = await fetch(`${ready.receiver}${path}`, { method: 'POST', body: bytes, headers });
      return res.status;
    };
    await use({ ...ready, dataDir, post });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
