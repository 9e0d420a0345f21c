/**
 * bench/ingest: the receiver under load from autocannon on 127.0.0.1 (small
 * JSON deliveries with a Standard Webhooks signature, verified and committed
 * before the answer), next to a bare Node http server that answers 204 and
 * does nothing, same load, same run. Each server runs in its own process;
 * autocannon runs in this one.
 * Run: npm run bench:ingest
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Request } from 'autocannon';
import { signStandardWebhooks } from '../src/main/engine/schemes/standard-webhooks';
import { machine, table } from './lib';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;
const BODY = JSON.stringify({ type: 'contact.created', data: { contactId: 'c_1', email: 'ada@example.com' } });

function firstLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

let sent = 0;
/**
 * Each request a delivery of its own, as a sender makes them: a fresh message id and
 * timestamp, signed. Both servers get the same requests; the signing is the client's cost.
 */
function signedRequest(request: Request): Request {
  const signed = signStandardWebhooks({ body: Buffer.from(BODY), secret: SECRET, id: `msg_${++sent}`, timestamp: Math.floor(Date.now() / 1000) });
  request.headers = { 'content-type': 'application/json', ...Object.fromEntries(signed.headers) };
  return request;
}

async function load(url: string, rate?: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    body: BODY,
    requests: [{ setupRequest: signedRequest }],
    connections: rate ? 10 : CONNECTIONS,
    duration: DURATION,
    overallRate: rate,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

async function main() {

  const bare = spawn(process.execPath, ['bench/bare-server.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = (await firstLine(bare)).port as number;
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-bench-ingest-'));
  spawnSync(process.execPath, ['bin/hookbench.js', 'endpoints', 'create', 'bench', '--scheme', 'standard-webhooks', '--secret', SECRET, '--data-dir', dataDir]);
  const hb = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const receiver = (await firstLine(hb)).receiver as string;

  try {
    const bareUrl = `http://127.0.0.1:${barePort}/e/bench`;
    const hbUrl = `${receiver}/e/bench`;
    await load(bareUrl); // warm-up of both, not in the figures
    const hbWarm = await load(hbUrl);
    const bareMax = await load(bareUrl);
    const hbMax = await load(hbUrl);
    const bareRated = await load(bareUrl, 1000);
    const hbRated = await load(hbUrl, 1000);

    const stored = JSON.parse(spawnSync(process.execPath, ['bin/hookbench.js', 'deliveries', 'list', '--limit', '1', '--json', '--data-dir', dataDir], { encoding: 'utf8' }).stdout) as { total: number };
    const acknowledged = [hbWarm, hbMax, hbRated].reduce((n, r) => n + r.total - r.non2xx, 0);
    const ratio = hbMax.rps / bareMax.rps;
    console.log(`## bench/ingest\n\n${machine()}; autocannon in the bench process, each server in its own; ${DURATION} s per run; small JSON, each with its own message id and Standard Webhooks signature, verified and committed (WAL, synchronous=FULL, group commit) before the answer.\n`);
    console.log(
      table(
        ['server', `max req/s (${CONNECTIONS} conns)`, 'p50 ms', 'p99 ms', 'p99 ms at 1,000 req/s', 'errors'],
        [
          ['bare Node http (204, does nothing)', bareMax.rps, bareMax.p50, bareMax.p99, bareRated.p99, bareMax.errors + bareRated.errors],
          ['Hookbench receiver', hbMax.rps, hbMax.p50, hbMax.p99, hbRated.p99, hbMax.errors + hbRated.errors],
        ],
      ),
    );
    console.log(
      `\nHookbench / bare: ${(ratio * 100).toFixed(0)}% (target 60%: ${ratio >= 0.6 ? 'met' : `not met, gap ${((0.6 - ratio) * 100).toFixed(0)} points`}); ` +
        `p99 at 1,000/s: ${hbRated.p99} ms (target < 5 ms: ${hbRated.p99 < 5 ? 'met' : 'not met'}). ` +
        `Acknowledged (2xx) ${acknowledged.toLocaleString('en-US')}, stored ${stored.total.toLocaleString('en-US')}${stored.total >= acknowledged ? '' : ' (FEWER THAN ACKNOWLEDGED)'}.`,
    );
  } finally {
    bare.kill();
    hb.kill('SIGTERM');
    await new Promise((r) => hb.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
