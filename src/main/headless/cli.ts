/**
 * The `hookbench` command line: `serve` runs the engine with the browser UI,
 * the other commands read and change the data folder directly (SQLite in WAL
 * mode lets them run beside a running app).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DeliverySummary, Endpoint, MutationPresetId } from '../../shared/model';
import { KEY_TYPES, type Attempt, type DataScope, type KeyInfo, type KeyType, type Outbound, type PolicyName, type ProfileId } from '../../shared/sender';
import { DEFAULT_VERIFICATION, isSchemeId, SCHEME_IDS, type CheckStatus, type Verdict, type VerificationConfig } from '../../shared/verdict';
import {
  createEndpoint,
  createEngine,
  type Engine,
  DEFAULT_BODY_LIMIT,
  DEFAULT_RECEIVER_PORT,
  openStore,
  VERSION,
} from '../engine';
import { systemClock } from '../engine/clock';
import { defaultDataDir } from '../engine/data-dir';
import { EngineError } from '../engine/errors';
import { ENDPOINT_PREFIX } from '../engine/receiver/receiver';
import { createKeyLoader } from '../engine/schemes/jwks';
import { parseRawRequest } from '../engine/util/raw-http';
import { validateVerification } from '../engine/validate';
import { createVerifier } from '../engine/verifier';
import { validateTargetUrl } from '../engine/sender/subscriptions';
import { DEFAULT_LEASE_SECONDS, verifySubscriber } from '../engine/sender/websub-hub';
import { startHeadless } from './start';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Raw bytes to standard output, for `--body-out -`. */
  stdoutBytes: (bytes: Buffer) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutBytes: (bytes) => process.stdout.write(bytes),
};

/** A usage mistake: exit 2 with the message and a pointer to --help. */
class UsageError extends Error {}

const HELP = `hookbench ${VERSION}: receive, verify, send and replay identity webhooks

Usage:
  hookbench serve [options]               run the receiver and the browser UI
  hookbench endpoints list [--json]
  hookbench endpoints create NAME [--status N] [--body TEXT] [--json]
  hookbench endpoints delete NAME
  hookbench deliveries list [--endpoint NAME] [--limit N] [--json]
  hookbench deliveries show ID [--json] [--body-out FILE|-]
  hookbench send --profile P --to URL [--event E] [--secret S] [--issuer I] [--scope S]
                 [--payload FILE] [--policy NAME] [--time-scale N] [--json]
                                          send one event as a real sender would, with retries;
                                          prints each attempt, exit 0 once delivered
  hookbench websub verify --to URL --topic T [--mode subscribe|unsubscribe] [--lease SECONDS] [--json]
                                          one WebSub verification GET, as a hub sends it;
                                          exit 0 when the subscriber echoed the challenge
  hookbench replay ID --to URL [--resign] [--mutate PRESET] [--json]
                                          send a captured delivery again, as captured, re-signed
                                          or mutated (presets: see hookbench replay ID --presets)
  hookbench export --har FILE [--ids 1,2,3] [--redact]   (default: the newest 100)
  hookbench export --curl ID [--redact]
  hookbench import FILE|-                 a HAR file, a cURL command or a raw HTTP request
  hookbench keys list [--json]
  hookbench keys generate --issuer ISS [--type RSA-2048|RSA-3072|RSA-4096|EC-P256|EC-P384|Ed25519]
  hookbench keys rotate --issuer ISS      new active key; the old one stays published
  hookbench keys retire KID               remove a key from the JWKS
  hookbench keys export KID [--pem] [--private]
  hookbench keys import FILE --issuer ISS  a private key as PEM or JWK
  hookbench verify ID|--file FILE|- [--scheme S] [--secret S]... [--jwks URL|FILE]
                   [--issuer I] [--audience A] [--at TIME] [--tolerance SECONDS] [--json]
                                          judge a stored delivery, or a raw HTTP request from a
                                          file or stdin; exit 0 authentic, 1 not, 2 usage error

Options for serve:
  --port N          receiver port (default ${DEFAULT_RECEIVER_PORT}; a taken port falls back to a free one)
  --host ADDR       receiver address (default 127.0.0.1)
  --ui-port N       port of the UI and control API on 127.0.0.1 (default: a free one)
  --body-limit SIZE largest body accepted, e.g. 25mb, 512kb (default 25mb); larger ones get 413
  --json            print one JSON line {ui, receiver, dataDir, endpoints} once ready
  --tunnel          open a public tunnel (localtunnel) in front of the receiver
  --tunnel-host URL a self-hosted localtunnel server (default https://localtunnel.me)
  --subdomain NAME  ask the tunnel server for this subdomain

Common options:
  --data-dir DIR    where the SQLite database lives (default ${defaultDataDir()})
  -h, --help        this text
  -v, --version     the version

Endpoints listen at <receiver>${ENDPOINT_PREFIX}<name>. Requests to any other path are captured too
and shown as "unknown endpoint".
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  port: { type: 'string' },
  host: { type: 'string' },
  'ui-port': { type: 'string' },
  'body-limit': { type: 'string' },
  status: { type: 'string' },
  body: { type: 'string' },
  endpoint: { type: 'string' },
  limit: { type: 'string' },
  'body-out': { type: 'string' },
  file: { type: 'string' },
  scheme: { type: 'string' },
  secret: { type: 'string', multiple: true },
  jwks: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  at: { type: 'string' },
  tolerance: { type: 'string' },
  profile: { type: 'string' },
  to: { type: 'string' },
  event: { type: 'string' },
  scope: { type: 'string' },
  payload: { type: 'string' },
  policy: { type: 'string' },
  'time-scale': { type: 'string' },
  type: { type: 'string' },
  pem: { type: 'boolean' },
  topic: { type: 'string' },
  resign: { type: 'boolean' },
  tunnel: { type: 'boolean' },
  'tunnel-host': { type: 'string' },
  subdomain: { type: 'string' },
  mutate: { type: 'string' },
  presets: { type: 'boolean' },
  har: { type: 'string' },
  curl: { type: 'string' },
  ids: { type: 'string' },
  redact: { type: 'boolean' },
  mode: { type: 'string' },
  lease: { type: 'string' },
  private: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function int(value: string | undefined, name: string, fallback: number, min = 0, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`cannot read the size "${text}": write e.g. 25mb, 512kb or 1048576`);
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(match[1]) * factor);
}

/** Runs one command; resolves with the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.stdout(HELP);
      return values.help ? 0 : 2;
    }
    const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
    switch (command) {
      case 'serve':
        return await serve(values, dataDir, io);
      case 'endpoints':
        return endpoints(rest, values, dataDir, io);
      case 'deliveries':
        return deliveries(rest, values, dataDir, io);
      case 'verify':
        return await verify(rest, values, dataDir, io);
      case 'send':
        return await sendCommand(values, dataDir, io);
      case 'keys':
        return await keysCommand(rest, values, dataDir, io);
      case 'websub':
        return await websubCommand(rest, values, io);
      case 'replay':
        return await replayCommand(rest, values, dataDir, io);
      case 'export':
        return await exportCommand(values, dataDir, io);
      case 'import':
        return await importCommand(rest, dataDir, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hookbench: ${error.message} (see hookbench --help)\n`);
      return 2;
    }
    io.stderr(`hookbench: ${(error as Error).message}\n`);
    return 1;
  }
}

function withStore<T>(dataDir: string, work: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(dataDir);
  try {
    return work(store);
  } finally {
    store.db.close();
  }
}

function endpoints(args: string[], values: Values, dataDir: string, io: Io): number {
  const [action = 'list', name] = args;
  return withStore(dataDir, (store) => {
    switch (action) {
      case 'list': {
        const list = store.endpoints.list();
        if (values.json) io.stdout(JSON.stringify(list) + '\n');
        else if (list.length === 0) io.stdout('No endpoints yet: hookbench endpoints create NAME\n');
        else for (const e of list) io.stdout(`${e.name}\t${ENDPOINT_PREFIX}${e.name}\t${e.response.status}\n`);
        return 0;
      }
      case 'create': {
        if (!name) throw new UsageError('endpoints create needs a NAME');
        const response: Partial<Endpoint['response']> = {};
        if (values.status !== undefined) response.status = int(values.status, 'status', 200, 200, 599);
        if (values.body !== undefined) response.body = values.body;
        const endpoint = createEndpoint(store, { name, response, verification: verificationOverrides(values) }, systemClock);
        io.stdout(values.json ? JSON.stringify(endpoint) + '\n' : `created ${endpoint.name} at ${ENDPOINT_PREFIX}${endpoint.name}\n`);
        return 0;
      }
      case 'delete': {
        if (!name) throw new UsageError('endpoints delete needs a NAME');
        const endpoint = store.endpoints.findByName(name);
        if (!endpoint) throw new EngineError('not_found', `no endpoint named "${name}"`);
        store.endpoints.delete(endpoint.id);
        io.stdout(`deleted ${name} (its deliveries are kept)\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown endpoints action "${action}" (list, create, delete)`);
    }
  });
}

function describe(d: DeliverySummary): string {
  const when = new Date(d.receivedAt).toISOString();
  const where = d.path + (d.query ? `?${d.query}` : '');
  return `${d.id}\t${when}\t${d.method} ${where}\t${d.responseStatus}\t${d.bodySize} B\t${d.outcome}`;
}

function deliveries(args: string[], values: Values, dataDir: string, io: Io): number {
  const [action = 'list', id] = args;
  return withStore(dataDir, (store) => {
    switch (action) {
      case 'list': {
        let endpointId: string | undefined;
        if (values.endpoint) {
          const endpoint = store.endpoints.findByName(values.endpoint);
          if (!endpoint) throw new EngineError('not_found', `no endpoint named "${values.endpoint}"`);
          endpointId = endpoint.id;
        }
        const page = store.deliveries.page({ endpointId, limit: int(values.limit, 'limit', 50, 1, 1000) });
        if (values.json) {
          // Each item carries its body (base64) so scripts can check bytes without a second call.
          const items = page.items.map((s) => store.deliveries.get(s.id));
          io.stdout(JSON.stringify({ total: page.total, items }) + '\n');
        } else if (page.items.length === 0) {
          io.stdout('No deliveries yet.\n');
        } else {
          for (const d of page.items) io.stdout(describe(d) + '\n');
          if (page.total > page.items.length) io.stdout(`(${page.items.length} of ${page.total}; --limit for more)\n`);
        }
        return 0;
      }
      case 'show': {
        const n = Number(id);
        if (!id || !Number.isInteger(n)) throw new UsageError('deliveries show needs a numeric ID');
        const detail = store.deliveries.get(n);
        if (!detail) throw new EngineError('not_found', `no delivery with id ${n}`);
        const out = values['body-out'];
        if (out !== undefined) {
          const bytes = store.deliveries.body(n)!;
          if (out === '-') io.stdoutBytes(bytes);
          else {
            writeFileSync(out, bytes);
            io.stderr(`wrote ${bytes.length} bytes to ${out}\n`);
          }
          return 0;
        }
        if (values.json) {
          io.stdout(JSON.stringify(detail) + '\n');
          return 0;
        }
        io.stdout(`${describe(detail)}\n\n${detail.method} ${detail.path}${detail.query ? `?${detail.query}` : ''} HTTP/${detail.httpVersion}\n`);
        for (const [k, v] of detail.headers) io.stdout(`${k}: ${v}\n`);
        io.stdout('\n');
        const body = Buffer.from(detail.bodyBase64, 'base64');
        const text = body.toString('utf8');
        io.stdout(Buffer.from(text, 'utf8').equals(body) ? text : `(${body.length} bytes, not UTF-8: use --body-out FILE)`);
        io.stdout('\n');
        return 0;
      }
      default:
        throw new UsageError(`unknown deliveries action "${action}" (list, show)`);
    }
  });
}

/** --scheme, --secret, --jwks, --issuer, --audience, --tolerance as verification settings. */
function verificationOverrides(values: Values): Partial<VerificationConfig> {
  const out: Partial<VerificationConfig> = {};
  if (values.scheme !== undefined) {
    if (values.scheme !== 'auto' && !isSchemeId(values.scheme)) throw new UsageError(`unknown scheme "${values.scheme}" (${SCHEME_IDS.join(', ')}, auto)`);
    out.scheme = values.scheme;
  }
  if (values.secret) out.secrets = values.secret;
  if (values.jwks !== undefined) {
    out.jwks = /^https?:\/\//i.test(values.jwks) ? { kind: 'url', url: values.jwks } : { kind: 'json', json: readFileSync(values.jwks, 'utf8') };
  }
  if (values.issuer !== undefined) out.issuer = values.issuer;
  if (values.audience !== undefined) out.audience = values.audience;
  if (values.tolerance !== undefined) out.toleranceSeconds = int(values.tolerance, 'tolerance', 300, 0, 31_536_000);
  return out;
}

/** An ISO date, Unix seconds or Unix milliseconds, as milliseconds. */
export function parseTime(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n > 100_000_000_000 ? n : n * 1000;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`cannot read the time "${text}": write an ISO date or Unix seconds`);
  return ms;
}

const MARK: Record<CheckStatus, string> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skipped: 'skip' };

export function formatVerdict(verdict: Verdict, title: string): string {
  const outcome = verdict.outcome.toUpperCase().replace('-', ' ');
  const scheme = verdict.scheme ? `${verdict.scheme}${verdict.detected ? ', recognised from the headers' : ''}` : 'no scheme';
  const lines = [`${title}: ${outcome} (${scheme})`];
  const width = Math.max(...verdict.checks.map((c) => c.label.length));
  for (const c of verdict.checks) lines.push(`  ${MARK[c.status]}  ${c.label.padEnd(width)}  ${c.reason}`);
  for (const signed of verdict.signed) {
    const bytes = Buffer.from(signed.base64, 'base64');
    const text = bytes.toString('utf8');
    const printable = Buffer.from(text).equals(bytes) && ![...text].some((c) => c.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(c));
    lines.push('', `Signed content (${signed.variant}), ${bytes.length} bytes:`, printable ? text : `base64 ${signed.base64}`);
    if (signed.received !== null) lines.push(`  received: ${signed.received}`);
    if (signed.computed !== null) lines.push(`  computed: ${signed.computed}`);
    if (signed.firstDifference !== null && signed.firstDifference >= 0) lines.push(`  they first differ at character ${signed.firstDifference}`);
  }
  if (verdict.jwt) {
    lines.push('', `JWT header: ${JSON.stringify(verdict.jwt.header)}`, `JWT claims: ${JSON.stringify(verdict.jwt.claims)}`);
    for (const t of verdict.jwt.times) lines.push(`  ${t.claim} = ${t.value} (${t.iso ?? 'not a date'}; ${t.fromNowSeconds >= 0 ? '+' : ''}${t.fromNowSeconds} s from the judging time)`);
    if (verdict.jwt.key) lines.push(`  verified with key ${verdict.jwt.key.kid ?? '(no kid)'} (${verdict.jwt.key.alg}) from ${verdict.jwt.key.source}`);
  }
  return lines.join('\n') + '\n';
}

async function verify(args: string[], values: Values, dataDir: string, io: Io): Promise<number> {
  const [id] = args;
  const source = values.file ?? (id === '-' ? '-' : undefined);
  if (!source && (id === undefined || !/^\d+$/.test(id))) throw new UsageError('verify needs a delivery ID, --file FILE, or - for standard input');
  const overrides = verificationOverrides(values);
  const at = values.at !== undefined ? parseTime(values.at) : undefined;
  const store = openStore(dataDir);
  try {
    const judgeRequest = createVerifier(store.deliveries, createKeyLoader());
    let verdict: Verdict;
    let title: string;
    if (source) {
      const raw = parseRawRequest(source === '-' ? readFileSync(0) : readFileSync(source));
      const config = validateVerification({ ...DEFAULT_VERIFICATION, ...overrides });
      verdict = await judgeRequest({ ...raw, endpointId: null }, config, at ?? Date.now());
      title = `${raw.method} ${raw.path}`;
    } else {
      const delivery = store.deliveries.get(Number(id));
      if (!delivery) throw new EngineError('not_found', `no delivery with id ${id}`);
      const base = (delivery.endpointId && store.endpoints.get(delivery.endpointId)?.verification) || DEFAULT_VERIFICATION;
      const config = validateVerification({ ...base, ...overrides });
      const request = { ...delivery, body: Buffer.from(delivery.bodyBase64, 'base64') };
      verdict = await judgeRequest(request, config, at ?? delivery.receivedAt, delivery.id);
      title = `Delivery #${delivery.id}`;
    }
    io.stdout(values.json ? JSON.stringify(verdict) + '\n' : formatVerdict(verdict, title));
    return verdict.outcome === 'authentic' ? 0 : 1;
  } finally {
    store.db.close();
  }
}

/** An engine that does not listen, for commands that send or manage keys. */
async function withQuietEngine<T>(dataDir: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({ dataDir, listen: false });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

function describeAttempt(a: Attempt, scale: number): string {
  const planned = `+${(a.plannedOffsetMs / 1000).toFixed(a.plannedOffsetMs < 10_000 ? 1 : 0)} s${scale !== 1 ? ' (scheduled)' : ''}`;
  const answer = a.status !== null ? `HTTP ${a.status}` : `no answer (${a.error})`;
  return `attempt ${a.number} at ${planned}: ${answer} in ${a.durationMs} ms -> ${a.outcome}`;
}

async function sendCommand(values: Values, dataDir: string, io: Io): Promise<number> {
  if (!values.profile || !values.to) throw new UsageError('send needs --profile P and --to URL');
  const timeScale = values['time-scale'] !== undefined ? Number(values['time-scale']) : 1;
  if (!Number.isFinite(timeScale) || timeScale < 1) throw new UsageError('--time-scale is a number >= 1');
  return withQuietEngine(dataDir, async (engine) => {
    let printed = 0;
    let resolveDone: (o: Outbound) => void = () => {};
    const done = new Promise<Outbound>((r) => (resolveDone = r));
    let id: string | null = null;
    const seen: Outbound[] = [];
    const onChange = (o: Outbound) => {
      if (id === null) return void seen.push(o);
      if (o.id !== id) return;
      for (const a of o.attempts.slice(printed)) if (!values.json) io.stdout(describeAttempt(a, o.timeScale) + '\n');
      printed = o.attempts.length;
      if (o.status !== 'pending') resolveDone(o);
    };
    engine.on('outbound.changed', onChange);
    const outbound = await engine.call('send.deliver', {
      profile: values.profile as ProfileId,
      targetUrl: values.to!,
      event: values.event,
      secret: values.secret?.[0],
      issuer: values.issuer,
      dataScope: values.scope as DataScope | undefined,
      payload: values.payload !== undefined ? readFileSync(values.payload, 'utf8') : undefined,
      policy: values.policy as PolicyName | undefined,
      timeScale,
    });
    id = outbound.id;
    if (!values.json) io.stdout(`sending ${outbound.event} as ${outbound.profile} to ${outbound.targetUrl} (policy ${outbound.policy.name}, delivery ${outbound.id})\n`);
    for (const o of seen) onChange(o);
    const final = await done;
    if (values.json) io.stdout(JSON.stringify(final) + '\n');
    else io.stdout(final.status === 'delivered' ? 'delivered\n' : `not delivered: ${final.status}\n`);
    return final.status === 'delivered' ? 0 : 1;
  });
}

async function replayCommand(args: string[], values: Values, dataDir: string, io: Io): Promise<number> {
  const id = Number(args[0]);
  if (!Number.isInteger(id)) throw new UsageError('replay needs a delivery ID');
  return withQuietEngine(dataDir, async (engine) => {
    if (values.presets) {
      for (const p of await engine.call('replays.presets', { deliveryId: id })) io.stdout(`${p.id}\t${p.expect}\t${p.explanation}\n`);
      return 0;
    }
    if (!values.to) throw new UsageError('replay needs --to URL');
    const replay = await engine.call('replays.send', {
      deliveryId: id,
      targetUrl: values.to,
      mode: values.resign ? 'resigned' : 'as-captured',
      preset: values.mutate as MutationPresetId | undefined,
    });
    if (values.json) io.stdout(JSON.stringify(replay) + '\n');
    else {
      const what = replay.preset ? `mutated (${replay.preset})` : replay.mode;
      const answer = replay.status !== null ? `HTTP ${replay.status}` : `no answer (${replay.error})`;
      const judged = replay.verdictOnTarget ? `: ${replay.verdictOnTarget.replace('-', ' ')} (a correct receiver would ${replay.expected === 'reject' ? 'reject it' : 'accept it once'})` : '';
      io.stdout(`replayed #${id} ${what} to ${replay.targetUrl}: ${answer} in ${replay.durationMs} ms${judged}\n`);
    }
    return replay.status !== null && (replay.verdictOnTarget === null || replay.verdictOnTarget === 'as-expected') ? 0 : 1;
  });
}

async function exportCommand(values: Values, dataDir: string, io: Io): Promise<number> {
  if (!values.har && !values.curl) throw new UsageError('export needs --har FILE or --curl ID');
  return withQuietEngine(dataDir, async (engine) => {
    if (values.curl) {
      const id = Number(values.curl);
      if (!Number.isInteger(id)) throw new UsageError('--curl takes a delivery ID');
      io.stdout((await engine.call('deliveries.export', { ids: [id], format: 'curl', redact: values.redact === true })).text + '\n');
      return 0;
    }
    const ids = values.ids
      ? values.ids.split(',').map((x) => {
          const n = Number(x.trim());
          if (!Number.isInteger(n)) throw new UsageError(`--ids: "${x}" is not a delivery ID`);
          return n;
        })
      : (await engine.call('deliveries.list', { limit: 100 })).items.map((d) => d.id);
    if (ids.length === 0) throw new EngineError('not_found', 'no deliveries to export');
    const { text } = await engine.call('deliveries.export', { ids, format: 'har', redact: values.redact === true });
    writeFileSync(values.har!, text);
    io.stderr(`wrote ${ids.length} deliver${ids.length === 1 ? 'y' : 'ies'}${values.redact ? ', redacted,' : ''} to ${values.har}\n`);
    return 0;
  });
}

async function importCommand(args: string[], dataDir: string, io: Io): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('import needs a FILE (or - for standard input)');
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  return withQuietEngine(dataDir, async (engine) => {
    const { ids } = await engine.call('deliveries.import', { text });
    io.stdout(`imported ${ids.length} deliver${ids.length === 1 ? 'y' : 'ies'}: ${ids.join(', ')}\n`);
    return 0;
  });
}

async function websubCommand(args: string[], values: Values, io: Io): Promise<number> {
  if (args[0] !== 'verify') throw new UsageError('websub has one action: verify');
  if (!values.to || !values.topic) throw new UsageError('websub verify needs --to URL and --topic T');
  const mode = values.mode ?? 'subscribe';
  if (mode !== 'subscribe' && mode !== 'unsubscribe') throw new UsageError('--mode is subscribe or unsubscribe');
  const lease = int(values.lease, 'lease', DEFAULT_LEASE_SECONDS, 1, 31_536_000);
  const result = await verifySubscriber(validateTargetUrl(values.to), mode, values.topic, mode === 'subscribe' ? lease : null);
  io.stdout(values.json ? JSON.stringify(result) + '\n' : `${result.ok ? 'verified' : 'not verified'}: ${result.reason} (${result.durationMs} ms)\n  ${result.url}\n`);
  return result.ok ? 0 : 1;
}

async function keysCommand(args: string[], values: Values, dataDir: string, io: Io): Promise<number> {
  const [action = 'list', arg] = args;
  return withQuietEngine(dataDir, async (engine) => {
    const needIssuer = () => {
      if (!values.issuer) throw new UsageError(`keys ${action} needs --issuer ISS`);
      return values.issuer;
    };
    const show = (k: KeyInfo) => `${k.kid}\t${k.status}\t${k.type}\t${k.alg}\t${k.issuer}`;
    switch (action) {
      case 'list': {
        const list = await engine.call('keys.list', undefined);
        if (values.json) io.stdout(JSON.stringify(list) + '\n');
        else if (list.length === 0) io.stdout('No keys yet: hookbench keys generate --issuer https://engageplus.id\n');
        else for (const k of list) io.stdout(show(k) + '\n');
        return 0;
      }
      case 'generate': {
        const type = values.type as KeyType | undefined;
        if (type !== undefined && !KEY_TYPES.includes(type)) throw new UsageError(`--type is one of ${KEY_TYPES.join(', ')}`);
        const key = await engine.call('keys.generate', { issuer: needIssuer(), type });
        io.stdout(values.json ? JSON.stringify(key) + '\n' : `${show(key)}\n`);
        return 0;
      }
      case 'rotate': {
        const { active, previous } = await engine.call('keys.rotate', { issuer: needIssuer(), type: values.type as KeyType | undefined });
        io.stdout(`${show(active)}\n${previous ? `${show(previous)}  (still published: retire it with hookbench keys retire ${previous.kid})\n` : ''}`);
        return 0;
      }
      case 'retire': {
        if (!arg) throw new UsageError('keys retire needs a KID');
        io.stdout(show(await engine.call('keys.retire', { kid: arg })) + '\n');
        return 0;
      }
      case 'export': {
        if (!arg) throw new UsageError('keys export needs a KID');
        const { text } = await engine.call('keys.export', { kid: arg, format: values.pem ? 'pem' : 'jwk', includePrivate: values.private === true });
        io.stdout(text.endsWith('\n') ? text : text + '\n');
        return 0;
      }
      case 'import': {
        if (!arg) throw new UsageError('keys import needs a FILE');
        io.stdout(show(await engine.call('keys.import', { text: readFileSync(arg, 'utf8'), issuer: needIssuer() })) + '\n');
        return 0;
      }
      default:
        throw new UsageError(`unknown keys action "${action}" (list, generate, rotate, retire, export, import)`);
    }
  });
}

async function serve(values: Values, dataDir: string, io: Io): Promise<number> {
  const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  const { engine, control } = await startHeadless({
    dataDir,
    rendererDir,
    receiverPort: int(values.port, 'port', DEFAULT_RECEIVER_PORT),
    receiverHost: values.host ?? '127.0.0.1',
    uiPort: int(values['ui-port'], 'ui-port', 0),
    bodyLimitBytes: values['body-limit'] ? parseSize(values['body-limit']) : DEFAULT_BODY_LIMIT,
  });
  const list = await engine.call('endpoints.list', undefined);
  let publicUrl: string | null = null;
  if (values.tunnel) {
    engine.on('tunnel.changed', (t) => {
      if (values.json) return;
      if (t.status === 'reconnecting') io.stderr(`tunnel: ${t.reason}; next try at ${new Date(t.nextTryAt ?? 0).toLocaleTimeString()}\n`);
      else if (t.status === 'open' && t.previousUrl) io.stderr(`tunnel: reopened at a NEW URL ${t.url} (was ${t.previousUrl}): update subscriptions that point at the old one\n`);
    });
    const t = await engine.call('tunnel.start', { host: values['tunnel-host'], subdomain: values.subdomain });
    if (t.status === 'open') publicUrl = t.url;
    else io.stderr(`tunnel: ${t.reason} (everything else keeps working)\n`);
  }
  if (values.json) {
    io.stdout(JSON.stringify({ ui: control.url, receiver: engine.receiverUrl, publicUrl, dataDir, endpoints: list.map((e) => e.name) }) + '\n');
  } else {
    io.stdout(
      `Hookbench ${VERSION} is running (headless)\n` +
        `  Open the UI:  ${control.url}\n` +
        `  Send to:      ${engine.receiverUrl}${ENDPOINT_PREFIX}${list[0]?.name ?? 'default'}\n` +
        (publicUrl ? `  Public URL:   ${publicUrl}${ENDPOINT_PREFIX}${list[0]?.name ?? 'default'} (through the tunnel)\n` : '') +
        `  Data folder:  ${dataDir}\n` +
        `Press Ctrl+C to stop.\n`,
    );
  }
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await control.close();
  await engine.close();
  return 0;
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry || process.env.HOOKBENCH_CLI_ENTRY === '1') {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
