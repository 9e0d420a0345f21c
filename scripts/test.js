// `npm test`: build, then every suite (Vitest for the engine, Playwright for
// the UI and the desktop smoke test), then one line that counts them all.
// The counts are also written to test-results/summary.json for .ci/run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
const bin = (name, file) => join(root, 'node_modules', name, file);

function step(label, file, args) {
  console.log(`\n=== ${label}`);
  return spawnSync(process.execPath, [file, ...args], { cwd: root, stdio: 'inherit' }).status;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const counts = { passed: 0, failed: 0, skipped: 0 };

if (step('build (electron-vite)', bin('electron-vite', 'bin/electron-vite.js'), ['build']) !== 0) {
  counts.failed += 1;
} else {
  const vitestJson = join(results, 'vitest.json');
  const vitestCode = step('engine, headless and CLI tests (vitest)', bin('vitest', 'vitest.mjs'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
  ]);
  const vitest = readJson(vitestJson);
  if (vitest) {
    counts.passed += vitest.numPassedTests;
    counts.failed += vitest.numFailedTests + (vitest.numRuntimeErrorTestSuites ?? 0);
    counts.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  }
  if (!vitest || (vitestCode !== 0 && vitest.numFailedTests === 0)) counts.failed += 1;

  const pwJson = join(results, 'playwright.json');
  process.env.PLAYWRIGHT_JSON_OUTPUT_NAME = pwJson;
  const pwCode = step('UI tests in Chromium and the desktop smoke test (playwright)', bin('@playwright/test', 'cli.js'), [
    'test',
    '--reporter=list,json',
  ]);
  const pw = readJson(pwJson);
  if (pw) {
    counts.passed += pw.stats.expected + pw.stats.flaky;
    counts.failed += pw.stats.unexpected;
    counts.skipped += pw.stats.skipped;
  }
  if (!pw || (pwCode !== 0 && pw.stats.unexpected === 0)) counts.failed += 1;
}

writeFileSync(join(results, 'summary.json'), JSON.stringify(counts));
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed === 0 && existsSync(results) ? 0 : 1);
