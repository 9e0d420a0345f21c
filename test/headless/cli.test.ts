import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../src/main/engine';
import { parseSize, runCli, type Io } from '../../src/main/headless/cli';
import { INVALID_UTF8, send, tempDir } from '../helpers';

function capture(): Io & { out: string; err: string; bytes: Buffer[] } {
  const io = {
    out: '',
    err: '',
    bytes: [] as Buffer[],
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stdoutBytes: (b: Buffer) => void io.bytes.push(b),
  };
  return io;
}

/** A fresh data folder per test and a `run` that points the CLI at it. */
function cliInTempDir() {
  const state = {} as { dir: ReturnType<typeof tempDir> };
  beforeEach(() => {
    state.dir = tempDir();
  });
  afterEach(() => state.dir.remove());
  const run = async (args: string[]) => {
    const io = capture();
    const code = await runCli([...args, '--data-dir', state.dir.path], io);
    return { code, ...io };
  };
  return { run, dir: () => state.dir };
}

describe('hookbench command line', () => {
  const cli = cliInTempDir();
  const dir = cli.dir;
  const run = (...args: string[]) => cli.run(args);

  it('creates, lists and deletes endpoints', async () => {
    expect((await run('endpoints', 'create', 'orders', '--status', '202')).code).toBe(0);
    const listed = await run('endpoints', 'list', '--json');
    expect(JSON.parse(listed.out)).toMatchObject([{ name: 'orders', response: { status: 202 } }]);
    const dup = await run('endpoints', 'create', 'orders');
    expect(dup.code).toBe(1);
    expect(dup.err).toBe('hookbench: an endpoint named "orders" already exists\n');
    expect((await run('endpoints', 'delete', 'orders')).code).toBe(0);
    expect((await run('endpoints', 'list')).out).toMatch(/No endpoints yet/);
  });

  it('lists captured deliveries with byte-identical bodies and writes a body out exactly', async () => {
    const engine = await createEngine({ dataDir: dir().path, receiverPort: 0, ensureDefaultEndpoint: true });
    await send(`${engine.receiverUrl}/e/default`, { body: INVALID_UTF8 });
    await send(`${engine.receiverUrl}/e/default`, { body: '{"n":2}', headers: { 'Content-Type': 'application/json' } });
    // The CLI reads the same SQLite file while the engine is running (WAL).
    const listed = await run('deliveries', 'list', '--json');
    await engine.close();
    expect(listed.code).toBe(0);
    const { total, items } = JSON.parse(listed.out);
    expect(total).toBe(2);
    expect(Buffer.from(items[1].bodyBase64, 'base64').equals(INVALID_UTF8)).toBe(true);
    expect(Buffer.from(items[0].bodyBase64, 'base64').toString()).toBe('{"n":2}');

    const file = join(dir().path, 'body.bin');
    expect((await run('deliveries', 'show', String(items[1].id), '--body-out', file)).code).toBe(0);
    expect(readFileSync(file).equals(INVALID_UTF8)).toBe(true);
    const toStdout = await run('deliveries', 'show', String(items[1].id), '--body-out', '-');
    expect(Buffer.concat(toStdout.bytes).equals(INVALID_UTF8)).toBe(true);

    const shown = await run('deliveries', 'show', String(items[0].id));
    expect(shown.out).toContain('POST /e/default HTTP/1.1');
    expect(shown.out).toContain('{"n":2}');
    const text = await run('deliveries', 'list');
    expect(text.out.split('\n')[0]).toMatch(/^\d+\t\S+\tPOST \/e\/default\t200\t7 B\tcaptured$/);
  });

  it('gives one-line errors and exit codes: 2 for usage, 1 for failures, 0 for help', async () => {
    const usage = await run('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.err).toBe('hookbench: unknown command "frobnicate" (see hookbench --help)\n');
    const badFlag = await run('deliveries', 'list', '--nope');
    expect(badFlag.code).toBe(2);
    expect(badFlag.err.split('\n').filter(Boolean)).toHaveLength(1);
    const missing = await run('deliveries', 'show', '42');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('hookbench: no delivery with id 42\n');
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('hookbench serve');
  });

  it('reads sizes for --body-limit', () => {
    expect(parseSize('25mb')).toBe(25 * 1024 * 1024);
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize('100')).toBe(100);
    expect(() => parseSize('lots')).toThrow(/cannot read the size/);
  });
});

describe('hookbench verify', () => {
  const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const { run, dir } = cliInTempDir();

  it('judges a raw HTTP request from a file: 0 when authentic, 1 when not, with the reasons', async () => {
    const request = [
      'POST /webhooks HTTP/1.1',
      'Host: example.com',
      'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp: 1614265330',
      'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      'Content-Length: 20',
      '',
      '{"test": 2432232314}',
    ].join('\r\n');
    const file = join(dir().path, 'request.http');
    (await import('node:fs')).writeFileSync(file, request);
    const ok = await run(['verify', '--file', file, '--secret', SECRET, '--at', '2021-02-25T15:02:20Z']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^POST \/webhooks: AUTHENTIC \(standard-webhooks, recognised from the headers\)/);
    expect(ok.out).toContain('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}');

    const late = await run(['verify', '--file', file, '--secret', SECRET, '--at', '1614269330', '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.out).checks.find((c: { id: string }) => c.id === 'timestamp').status).toBe('fail');

    const wrong = await run(['verify', '--file', file, '--secret', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '--at', '1614265330']);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/FAIL\s+Signature\s+the signature does not match/);
    expect(wrong.out).toMatch(/they first differ at character \d+/);
  });

  it('judges a stored delivery by id, with the endpoint\'s settings or overrides', async () => {
    const engine = await createEngine({ dataDir: dir().path, receiverPort: 0 });
    await engine.call('endpoints.create', { name: 'gh', verification: { scheme: 'hub-signature', secrets: ["It's a Secret to Everybody"] } });
    await send(`${engine.receiverUrl}/e/gh`, {
      headers: { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
      body: 'Hello, World!',
    });
    await engine.close();
    expect((await run(['verify', '1'])).code).toBe(0);
    const other = await run(['verify', '1', '--secret', 'nope']);
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/^Delivery #1: NOT AUTHENTIC \(hub-signature\)/);
  });

  it('exits 2 on usage mistakes', async () => {
    expect((await run(['verify'])).code).toBe(2);
    expect((await run(['verify', '1', '--scheme', 'rot13'])).err).toMatch(/unknown scheme "rot13"/);
    expect((await run(['verify', '1', '--at', 'yesterday-ish'])).code).toBe(2);
  });
});

describe('hookbench send and keys', () => {
  const { run } = cliInTempDir();

  it('sends an engageplus SET with a generated key, printing each attempt, to a receiver that judges it authentic', async () => {
    const receiverDir = tempDir();
    const engine = await createEngine({ dataDir: receiverDir.path, receiverPort: 0 });
    try {
      expect((await run(['send', '--profile', 'engageplus', '--to', `${engine.receiverUrl}/e/x`])).err).toMatch(
        /no active key for issuer https:\/\/engageplus.id: generate one/,
      );
      const generated = await run(['keys', 'generate', '--issuer', 'https://engageplus.id', '--type', 'EC-P256']);
      expect(generated.out).toMatch(/^hb-[0-9a-f]{12}\tactive\tEC-P256\tES256\thttps:\/\/engageplus.id\n$/);
      const kid = generated.out.split('\t')[0]!;
      const publicJwk = JSON.parse((await run(['keys', 'export', kid])).out);
      expect(publicJwk).not.toHaveProperty('d');
      await engine.call('endpoints.create', {
        name: 'x',
        verification: { scheme: 'set-jwt', jwks: { kind: 'json', json: JSON.stringify({ keys: [publicJwk] }) }, issuer: 'https://engageplus.id' },
      });
      const sent = await run(['send', '--profile', 'engageplus', '--to', `${engine.receiverUrl}/e/x`, '--policy', 'once']);
      expect(sent.code).toBe(0);
      expect(sent.out).toMatch(/^sending AUTH_SUCCESS as engageplus to http:\/\/127\.0\.0\.1:\d+\/e\/x \(policy once, delivery out_[0-9a-f]+\)\nattempt 1 at \+0\.0 s: HTTP 200 in \d+ ms -> success\ndelivered\n$/);
      const [latest] = (await engine.call('deliveries.list', {})).items;
      expect(latest!.verdictOutcome).toBe('authentic');
    } finally {
      await engine.close();
      receiverDir.remove();
    }
  });

  it('exits 1 when every attempt fails, after printing each', async () => {
    const closed = await run(['send', '--profile', 'stripe', '--to', 'http://127.0.0.1:9/', '--secret', 's', '--policy', 'envoyou', '--time-scale', '1000']);
    expect(closed.code).toBe(1);
    expect(closed.out.match(/^attempt \d/gm)).toHaveLength(5);
    expect(closed.out).toMatch(/attempt 5 at \+15 s \(scheduled\): no answer \(ECONNREFUSED/);
    expect(closed.out).toMatch(/not delivered: failed\n$/);
  });

  it('rotates and retires keys', async () => {
    await run(['keys', 'generate', '--issuer', 'https://i']);
    const rotated = await run(['keys', 'rotate', '--issuer', 'https://i']);
    expect(rotated.out).toMatch(/still published: retire it with hookbench keys retire hb-/);
    const old = rotated.out.split('\n')[1]!.split('\t')[0]!;
    expect((await run(['keys', 'retire', old])).out).toContain('\tretired\t');
    expect((await run(['keys', 'export', old, '--pem', '--private'])).out).toContain('BEGIN PRIVATE KEY');
    expect((await run(['keys', 'generate'])).code).toBe(2);
  });
});

describe('hookbench websub verify', () => {
  it('runs one verification and prints the outcome: 0 when verified, 1 when not', async () => {
    const dir = tempDir();
    const engine = await createEngine({ dataDir: dir.path, receiverPort: 0 });
    try {
      const endpoint = await engine.call('endpoints.create', { name: 'sub' });
      const io = capture();
      expect(await runCli(['websub', 'verify', '--to', `${engine.receiverUrl}/e/sub`, '--topic', 'myorg.1.schema.wso2.v1.event.login'], io)).toBe(0);
      expect(io.out).toMatch(/^verified: answered 200 with the challenge \(\d+ ms\)\n {2}http:\/\/127\.0\.0\.1:\d+\/e\/sub\?hub\.mode=subscribe&hub\.topic=myorg/);
      await engine.call('endpoints.update', { id: endpoint.id, behaviour: { websub: { enabled: true, answer: 'refuse', topics: [], slowMs: 0 } } });
      const refused = capture();
      expect(await runCli(['websub', 'verify', '--to', `${engine.receiverUrl}/e/sub`, '--topic', 't', '--json'], refused)).toBe(1);
      expect(JSON.parse(refused.out)).toMatchObject({ ok: false, status: 404, reason: 'answered 404; a 2xx with the challenge is needed' });
      expect(await runCli(['websub', 'verify', '--to', 'x'], capture())).toBe(2);
    } finally {
      await engine.close();
      dir.remove();
    }
  });
});

describe('hookbench replay, export and import', () => {
  it('replays, exports a HAR and imports it back byte-exact', async () => {
    const dir = tempDir();
    const other = tempDir();
    const engine = await createEngine({ dataDir: dir.path, receiverPort: 0, ensureDefaultEndpoint: true });
    try {
      await send(`${engine.receiverUrl}/e/default`, { body: INVALID_UTF8, headers: { 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` } });
      const run = async (args: string[], dataDir = dir.path) => {
        const io = capture();
        const code = await runCli([...args, '--data-dir', dataDir], io);
        return { code, ...io };
      };
      const replayed = await run(['replay', '1', '--to', `${engine.receiverUrl}/e/default`]);
      expect(replayed.out).toMatch(/^replayed #1 as-captured to http:\/\/127\.0\.0\.1:\d+\/e\/default: HTTP 200 in \d+ ms\n$/);
      expect(replayed.code).toBe(0);
      const presets = await run(['replay', '1', '--presets']);
      expect(presets.out).toContain('tampered-body\treject\t');
      const mutated = await run(['replay', '1', '--to', `${engine.receiverUrl}/e/default`, '--mutate', 'tampered-body']);
      expect(mutated.out).toMatch(/mutated \(tampered-body\).*HTTP 200.*wrongly accepted \(a correct receiver would reject it\)/);
      expect(mutated.code).toBe(1);
      const har = join(dir.path, 'out.har');
      expect((await run(['export', '--har', har, '--ids', '1'])).err).toBe(`wrote 1 delivery to ${har}\n`);
      expect((await run(['import', har], other.path)).out).toBe('imported 1 delivery: 1\n');
      const back = await run(['deliveries', 'show', '1', '--body-out', '-'], other.path);
      expect(Buffer.concat(back.bytes).equals(INVALID_UTF8)).toBe(true);
      expect((await run(['export', '--curl', '1', '--redact'])).out).toMatch(/^curl -X POST http:\/\/receiver\.invalid\/e\/default .*'X-Hub-Signature-256: \[redacted\]'/);
      expect((await run(['replay', 'x'])).code).toBe(2);
    } finally {
      await engine.close();
      dir.remove();
      other.remove();
    }
  });
});
