/**
 * bench/ui: with N deliveries in the store (100,000 by default; BENCH_UI_SIZES=100000,1000000),
 * the time to open the list (first page), to search inside bodies, to open a 25 MB body, and
 * memory; then the same in the real page (Chromium through Playwright): time until the first
 * row shows, until a search answers, and the page's JS heap.
 * Run: npm run bench:ui
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';
import { openStore } from '../src/main/engine';
import type { NewDelivery } from '../src/main/engine/store/deliveries-repo';
import { createIndexer } from '../src/main/engine/store/search-index';
import { machine, table } from './lib';

const sizes = (process.env.BENCH_UI_SIZES ?? '100000').split(',').map(Number);

function delivery(i: number, body: Buffer): NewDelivery {
  return {
    receivedAt: Date.now() - (1_000_000 - i) * 1000,
    endpointId: null,
    endpointName: 'default',
    method: 'POST',
    path: '/e/default',
    query: `n=${i}`,
    httpVersion: '1.1',
    headers: [['Content-Type', 'application/json'], ['X-GitHub-Event', i % 3 ? 'push' : 'ping']],
    body,
    bodySize: body.length,
    remoteAddress: '127.0.0.1',
    remotePort: 40000,
    responseStatus: 200,
    responseHeaders: [['Content-Type', 'application/json']],
    responseBody: Buffer.from('{"received":true}'),
    outcome: 'captured',
    verdict: null,
  };
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function measure(n: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-bench-ui-'));
  const store = openStore(dataDir, { synchronous: 'NORMAL' });
  const fillStart = performance.now();
  for (let start = 0; start < n; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - start) }, (_, k) => {
      const i = start + k;
      return delivery(i, Buffer.from(JSON.stringify({ user: { id: `u_${i}` }, repository: { name: `repo-${i % 997}` }, note: 'x'.repeat(400) })));
    });
    store.deliveries.insertMany(rows);
  }
  const big = Buffer.alloc(25 * 1024 * 1024, 0x61);
  const [bigId] = store.deliveries.insertMany([delivery(n, big)]);
  // The running app indexes as deliveries arrive; catch up here, outside the timed queries.
  createIndexer(store.db).indexPending();
  const fillSeconds = ms(fillStart) / 1000;

  let t = performance.now();
  const page = store.deliveries.page({ limit: 200 });
  const openList = ms(t);
  t = performance.now();
  const found = store.deliveries.page({ search: `u_${Math.floor(n / 2)}`, limit: 200 });
  const search = ms(t);
  t = performance.now();
  store.deliveries.page({ eventType: 'ping', limit: 200 });
  const filter = ms(t);
  t = performance.now();
  const body = store.deliveries.get(bigId!);
  const openBig = ms(t);
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  store.db.close();
  if (page.items.length !== 200 || found.total < 1 || !body) throw new Error('bench queries returned nothing');

  // The real page, against `hookbench serve` on this data folder.
  const serve = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ ui: string }>((resolve) => createInterface({ input: serve.stdout! }).once('line', (l) => resolve(JSON.parse(l))));
  const browser = await chromium.launch({ executablePath: process.env.HOOKBENCH_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-precise-memory-info', '--disable-background-networking'] });
  const tab = await browser.newPage();
  t = performance.now();
  await tab.goto(ready.ui);
  await tab.getByTestId('delivery-row').first().waitFor();
  const pageOpen = ms(t);
  t = performance.now();
  await tab.getByLabel('Search deliveries').fill(`u_${Math.floor(n / 3)}`);
  await tab.getByTestId('delivery-row').filter({ hasText: '/e/default' }).first().waitFor();
  while ((await tab.getByTestId('delivery-row').count()) > 3) await tab.waitForTimeout(5);
  const pageSearch = ms(t) - 250; // the search box waits 250 ms for typing to pause
  await tab.getByLabel('Search deliveries').fill('');
  // The whole list again (the search box waits for typing to pause), then the newest row.
  await tab.getByTestId('delivery-count').filter({ hasText: new RegExp(`^${n + 1}$`) }).waitFor();
  t = performance.now();
  await tab.getByTestId('delivery-row').first().click();
  await tab.getByTestId('request-line').waitFor();
  const pageOpenBig = ms(t);
  // The scrollbar spans every row: dragging it to the end reads the oldest rows by their offset.
  t = performance.now();
  await tab.getByRole('listbox', { name: 'Deliveries, newest first' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await tab.getByTestId('delivery-row').filter({ hasText: '?n=0' }).waitFor();
  const pageJump = ms(t);
  const heap = await tab.evaluate(() => Math.round(((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1024 / 1024));
  await browser.close();
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return { n, fillSeconds, openList, search, filter, openBig, rss, pageOpen, pageSearch, pageOpenBig, pageJump, heap };
}

async function main() {
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    const r = await measure(n);
    console.error(`${n}: ${JSON.stringify(r)}`);
    rows.push([
      n.toLocaleString('en-US'),
      `${r.openList} ms`,
      `${r.search} ms`,
      `${r.filter} ms`,
      `${r.openBig} ms`,
      `${r.rss} MB`,
      `${Math.round(r.pageOpen)} ms`,
      `${Math.round(r.pageSearch)} ms`,
      `${Math.round(r.pageOpenBig)} ms`,
      `${Math.round(r.pageJump)} ms`,
      `${r.heap} MB`,
    ]);
  }
  console.log(`## bench/ui\n\n${machine()}; bodies of about 450 bytes plus one of 25 MB; search is full-text (trigram) inside bodies.\n`);
  console.log(
    table(
      ['deliveries', 'store: first page', 'store: search', 'store: filter', 'store: open 25 MB', 'bench process RSS', 'page: list shown', 'page: search answered', 'page: open newest (25 MB)', 'page: scroll to the oldest', 'page JS heap'],
      rows,
    ),
  );
  console.log('\nFor comparison: HTTP Toolkit is reported sluggish at 50,000 requests, freezing near 100,000 and on a 24 MB body (httptoolkit #199, #249, #396).');
}

void main();
