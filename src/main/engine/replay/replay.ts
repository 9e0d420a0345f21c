/**
 * Replays: a captured delivery sent again to any URL, as captured,
 * re-signed, edited or mutated, each one recorded with its answer and linked
 * to its source. Forwarding is a replay made as each delivery arrives.
 */
import type { DeliveryDetail, HeaderPair, MutationPresetId, ProtectionReport, Replay, ReplayInput, ReplayMode } from '../../../shared/model';
import type { SchemeId, VerificationConfig } from '../../../shared/verdict';
import type { Clock } from '../clock';
import { EngineError } from '../errors';
import type { Db } from '../store/database';
import { sendOnce } from '../sender/http-attempt';
import { validateTargetUrl } from '../sender/subscriptions';
import { HOP_BY_HOP, removeHeaders } from './headers';
import { applyPreset, getPreset, presetsFor, type MutationContext } from './mutations';
import { resign, type Req, type SigningKey } from './resign';

interface Row {
  id: number;
  delivery_id: number;
  created_at: number;
  mode: ReplayMode;
  preset: MutationPresetId | null;
  target_url: string;
  method: string;
  request_headers_json: string;
  request_body: Buffer;
  status: number | null;
  response_headers_json: string;
  response_body: Buffer;
  duration_ms: number;
  error: string | null;
  expected: Replay['expected'];
  verdict_on_target: Replay['verdictOnTarget'];
}

const toReplay = (r: Row): Replay => ({
  id: r.id,
  deliveryId: r.delivery_id,
  createdAt: r.created_at,
  mode: r.mode,
  preset: r.preset,
  targetUrl: r.target_url,
  method: r.method,
  requestHeaders: JSON.parse(r.request_headers_json) as HeaderPair[],
  requestBodyBase64: r.request_body.toString('base64'),
  status: r.status,
  responseHeaders: JSON.parse(r.response_headers_json) as HeaderPair[],
  responseBodyBase64: r.response_body.toString('base64'),
  durationMs: r.duration_ms,
  error: r.error,
  expected: r.expected,
  verdictOnTarget: r.verdict_on_target,
});

export interface ReplayDeps {
  db: Db;
  clock: Clock;
  delivery(id: number): DeliveryDetail;
  /** The endpoint's verification settings for a delivery (its secrets, issuer, header names). */
  configFor(delivery: DeliveryDetail): VerificationConfig;
  signingKey(issuer: string | null): SigningKey | null;
  retiredKey(issuer: string | null): SigningKey | null;
  onReplay(replay: Replay): void;
}

export type Replayer = ReturnType<typeof createReplayer>;

export function createReplayer(deps: ReplayDeps) {
  const insert = deps.db.prepare(`INSERT INTO replays (delivery_id, created_at, mode, preset, target_url, method, request_headers_json,
      request_body, status, response_headers_json, response_body, duration_ms, error, expected, verdict_on_target)
    VALUES (@deliveryId, @createdAt, @mode, @preset, @targetUrl, @method, @requestHeaders, @requestBody, @status, @responseHeaders,
      @responseBody, @durationMs, @error, @expected, @verdictOnTarget)`);
  const byId = deps.db.prepare<[number], Row>('SELECT * FROM replays WHERE id = ?');
  const byDelivery = deps.db.prepare<[number], Row>('SELECT * FROM replays WHERE delivery_id = ? ORDER BY id DESC LIMIT 200');

  const schemeOf = (d: DeliveryDetail, config: VerificationConfig): SchemeId | null => d.verdict?.scheme ?? (config.scheme === 'auto' ? null : config.scheme);

  const contextFor = (d: DeliveryDetail, config: VerificationConfig): MutationContext => ({
    secret: config.secrets[0] ?? null,
    signingKey: (issuer) => deps.signingKey(issuer ?? config.issuer),
    retiredKey: (issuer) => deps.retiredKey(issuer ?? config.issuer),
    now: Math.floor(deps.clock.now() / 1000),
    signatureHeader: config.signatureHeader,
    idHeader: config.idHeader,
    signatureHeaderNames: [config.signatureHeader],
  });

  /** The request a replay sends, before it goes out. */
  async function build(input: ReplayInput): Promise<{ delivery: DeliveryDetail; req: Req; mode: ReplayMode; expected: Replay['expected'] }> {
    const delivery = deps.delivery(input.deliveryId);
    if (delivery.outcome === 'too-large') throw new EngineError('invalid_input', 'this delivery\'s body was not kept (over the size limit), so it cannot be replayed');
    const config = deps.configFor(delivery);
    const scheme = schemeOf(delivery, config);
    let req: Req = {
      method: delivery.method,
      headers: removeHeaders(delivery.headers, HOP_BY_HOP),
      body: Buffer.from(delivery.bodyBase64, 'base64'),
    };
    let mode: ReplayMode = input.mode ?? 'as-captured';
    if (input.edit) {
      if (input.edit.headers) req = { ...req, headers: removeHeaders(input.edit.headers, HOP_BY_HOP) };
      if (input.edit.bodyBase64 !== undefined) req = { ...req, body: Buffer.from(input.edit.bodyBase64, 'base64') };
      mode = input.edit.resign ? 'resigned' : 'as-captured';
    }
    const ctx = contextFor(delivery, config);
    let expected: Replay['expected'] = null;
    if (input.preset) {
      const preset = getPreset(input.preset, scheme, req.body);
      expected = preset.expect;
      req = await applyPreset(req, scheme, preset.id, ctx);
    } else if (mode === 'resigned') {
      if (!scheme) throw new EngineError('invalid_input', 'no scheme was recognised for this delivery: set one on its endpoint to re-sign');
      req = await resign(req, scheme, ctx);
    }
    return { delivery, req, mode, expected };
  }

  async function run(input: ReplayInput, forcedMode?: ReplayMode): Promise<Replay> {
    const targetUrl = validateTargetUrl(input.targetUrl);
    const { delivery, req, mode, expected } = await build(input);
    const result = await sendOnce(targetUrl, req.method, req.headers, req.body, 10_000);
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const verdictOnTarget: Replay['verdictOnTarget'] =
      expected === null ? null : expected === 'reject' ? (ok ? 'wrongly-accepted' : 'as-expected') : ok ? 'as-expected' : 'rejected';
    const info = insert.run({
      deliveryId: delivery.id,
      createdAt: deps.clock.now(),
      mode: forcedMode ?? mode,
      preset: input.preset ?? null,
      targetUrl,
      method: req.method,
      requestHeaders: JSON.stringify(req.headers),
      requestBody: req.body,
      status: result.status,
      responseHeaders: JSON.stringify(result.responseHeaders),
      responseBody: Buffer.from(result.responseBody),
      durationMs: result.durationMs,
      error: result.error,
      expected,
      verdictOnTarget,
    });
    const replay = toReplay(byId.get(Number(info.lastInsertRowid))!);
    deps.onReplay(replay);
    return replay;
  }

  return {
    replay: (input: ReplayInput) => run(input),
    forward: (deliveryId: number, targetUrl: string) => run({ deliveryId, targetUrl }, 'forward'),
    /** The request a replay would send, without sending it (for "Edit & replay"). */
    preview: async (input: ReplayInput) => {
      const { req } = await build(input);
      return { method: req.method, headers: req.headers, bodyBase64: req.body.toString('base64') };
    },
    presets: (deliveryId: number) => {
      const delivery = deps.delivery(deliveryId);
      return presetsFor(schemeOf(delivery, deps.configFor(delivery)), Buffer.from(delivery.bodyBase64, 'base64'));
    },
    /** Runs every applicable preset against a target and says which ones it wrongly accepted. */
    async protectionCheck(deliveryId: number, targetUrl: string): Promise<ProtectionReport> {
      const replays: Replay[] = [];
      for (const preset of this.presets(deliveryId)) replays.push(await run({ deliveryId, targetUrl, preset: preset.id }));
      return { deliveryId, targetUrl, replays, wronglyAccepted: replays.filter((r) => r.verdictOnTarget === 'wrongly-accepted').map((r) => r.preset!) };
    },
    get: (id: number): Replay => {
      const row = byId.get(Number(id));
      if (!row) throw new EngineError('not_found', `no replay ${id}`);
      return toReplay(row);
    },
    list: (deliveryId: number): Replay[] => byDelivery.all(Number(deliveryId)).map(toReplay),
  };
}
