/**
 * bench/send: signed deliveries per second per profile to a local receiver
 * (a bare Node server on 127.0.0.1 answering 204), next to the same requests
 * unsigned, and the full outbox path (SQLite, attempt log) for one profile.
 * Run: npm run bench:send
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createEngine } from '../src/main/engine';
import { sendOnce } from '../src/main/engine/sender/http-attempt';
import { getProfile, PROFILE_IDS } from '../src/main/engine/sender/profiles';
import { machine, table } from './lib';

const SECONDS = 1.5;
const CONCURRENCY = 16;

async function rate(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await work();
        count++;
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

async function main() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const pair = await generateKeyPair('RS256', { extractable: true });
  const key = { privateJwk: { ...(await exportJWK(pair.privateKey)), alg: 'RS256', kid: 'k1' }, kid: 'k1', alg: 'RS256' };

  const rows: (string | number)[][] = [];
  for (const id of PROFILE_IDS) {
    const profile = getProfile(id);
    const event = profile.events[0]!;
    const payload = JSON.stringify(profile.template(event, profile.scopes[0]!, Date.now(), profile.defaultIssuer));
    const sign = () =>
      profile.sign({ event, payload, timestamp: Math.floor(Date.now() / 1000), deliveryId: 'out_bench', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', key });
    const signed = await sign();
    const signedPerSecond = await rate(async () => {
      const s = await sign();
      const r = await sendOnce(url, 'POST', s.headers, s.body, 10_000);
      if (r.status !== 204) throw new Error(`unexpected ${r.status ?? r.error}`);
    });
    const unsignedPerSecond = await rate(() => sendOnce(url, 'POST', [['Content-Type', 'application/json']], signed.body, 10_000));
    rows.push([id, signedPerSecond, unsignedPerSecond, `${((signedPerSecond / unsignedPerSecond) * 100).toFixed(0)}%`]);
    console.error(`${id}: ${Math.round(signedPerSecond)}/s signed, ${Math.round(unsignedPerSecond)}/s unsigned`);
  }

  // The full outbox: queued in SQLite, signed, sent, attempt logged.
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-bench-send-'));
  const engine = await createEngine({ dataDir, listen: false });
  const total = 2000;
  let delivered = 0;
  const done = new Promise<void>((resolve) =>
    engine.on('outbound.changed', (o) => {
      if (o.status === 'delivered' && ++delivered === total) resolve();
    }),
  );
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    await engine.call('send.deliver', { profile: 'standard-webhooks', targetUrl: url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', policy: 'once' });
  }
  await done;
  const outboxRate = total / ((performance.now() - start) / 1000);
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
  server.close();

  console.log(`## bench/send\n\n${machine()}; ${CONCURRENCY} deliveries in flight, ${SECONDS} s per row, receiver: bare Node http answering 204 on 127.0.0.1 (same process).\n`);
  console.log(table(['profile', 'signed deliveries /s', 'same requests unsigned /s', 'signed / unsigned'], rows));
  console.log(`\nFull outbox (queue in SQLite, sign, send, log the attempt), standard-webhooks, ${total} events: ${Math.round(outboxRate).toLocaleString('en-US')} deliveries/s.`);
}

void main();
