/**
 * Desktop smoke test: the real Electron window starts, loads the UI through
 * the preload bridge and shows the first screen. Runs only where an Electron
 * binary is installed; elsewhere it says why it skipped.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { electronBinary, electronSqliteBinding } from '../../scripts/electron-runtime.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = electronBinary({ download: false });
const sqlite = binary.ok ? electronSqliteBinding() : binary;
const why = sqlite.ok ? undefined : sqlite.why;
if (why) console.log(`[electron smoke] skipped: ${why}`);

test('the desktop window opens on the first screen, locked down', async () => {
  test.skip(!binary.ok || !sqlite.ok, why);
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-electron-'));
  const app = await electron.launch({
    executablePath: binary.ok ? binary.value : undefined,
    args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: { ...process.env, HOOKBENCH_DATA_DIR: dataDir, HOOKBENCH_SQLITE_BINDING: sqlite.ok ? sqlite.value : '' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Waiting for the first delivery' })).toBeVisible();
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (window as unknown as { hookbench?: unknown }).hookbench)).toBe('object');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
