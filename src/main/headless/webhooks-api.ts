/**
 * Seed 000's webhook management API, served by the headless mode so scripts
 * written for EngagePlus run against Hookbench:
 *   GET /api/webhooks, POST /api/webhooks, PUT /api/webhooks/{id},
 *   DELETE /api/webhooks/{id}, GET /api/webhooks/{id}/logs?limit=50&offset=0
 * Same token as the rest of the control API. `profile` in a POST is a
 * Hookbench extension (default engageplus).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Outbound, Subscription } from '../../shared/sender';
import type { Engine } from '../engine';
import { toErrorPayload } from '../engine/errors';

function shape(s: Subscription) {
  return {
    id: s.id,
    name: s.name,
    endpointUrl: s.endpointUrl,
    events: s.events,
    dataScope: s.dataScope,
    status: s.status,
    profile: s.profile,
    createdAt: new Date(s.createdAt).toISOString(),
    disabledReason: s.disabledReason,
  };
}

function logsOf(outbound: Outbound[]) {
  return outbound.flatMap((o) =>
    o.attempts.map((a) => ({
      id: `${o.id}-${a.number}`,
      deliveryId: o.id,
      event: o.event,
      attempt: a.number,
      statusCode: a.status,
      success: a.outcome === 'success',
      outcome: a.outcome,
      error: a.error,
      durationMs: a.durationMs,
      createdAt: new Date(a.startedAt).toISOString(),
      responseBody: a.responseBody,
    })),
  );
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1024 * 1024) throw Object.assign(new Error('request too large'), { status: 413 });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const value = text ? (JSON.parse(text) as unknown) : {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    return value as Record<string, unknown>;
  } catch {
    throw Object.assign(new Error('the body is not a JSON object'), { status: 400 });
  }
}

function send(res: ServerResponse, status: number, value?: unknown) {
  if (value === undefined) {
    res.writeHead(status);
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}

/** Handles the request when it is for /api/webhooks; returns false otherwise. */
export function handleWebhooksApi(req: IncomingMessage, res: ServerResponse, url: URL, engine: Engine): boolean {
  const match = /^\/api\/webhooks(?:\/([^/]+))?(\/logs)?\/?$/.exec(url.pathname);
  if (!match) return false;
  const [, id, logs] = match;
  void (async () => {
    try {
      if (!id && req.method === 'GET') return send(res, 200, (await engine.call('subscriptions.list', undefined)).map(shape));
      if (!id && req.method === 'POST') {
        const body = await readJson(req);
        const created = await engine.call('subscriptions.create', {
          name: body.name as string,
          endpointUrl: body.endpointUrl as string,
          events: body.events as string[] | undefined,
          dataScope: body.dataScope as never,
          profile: (body.profile as never) ?? 'engageplus',
          issuer: body.issuer as string | undefined,
        });
        return send(res, 201, { ...shape(created), signingSecret: created.secret });
      }
      if (id && logs && req.method === 'GET') {
        const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50), 500);
        const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
        const page = await engine.call('subscriptions.logs', { id: decodeURIComponent(id), limit, offset });
        return send(res, 200, { data: logsOf(page.items), total: page.total, limit, offset });
      }
      if (id && !logs && req.method === 'PUT') {
        const body = await readJson(req);
        const updated = await engine.call('subscriptions.update', {
          id: decodeURIComponent(id),
          name: body.name as string | undefined,
          endpointUrl: body.endpointUrl as string | undefined,
          dataScope: body.dataScope as never,
          status: body.status as never,
          events: body.events as string[] | undefined,
        });
        return send(res, 200, shape(updated));
      }
      if (id && !logs && req.method === 'DELETE') {
        const { deleted } = await engine.call('subscriptions.delete', { id: decodeURIComponent(id) });
        return deleted ? send(res, 204) : send(res, 404, { error: 'not_found', message: `no webhook ${id}` });
      }
      return send(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed here` });
    } catch (error) {
      const status = (error as { status?: number }).status;
      const payload = toErrorPayload(error);
      send(res, status ?? (payload.code === 'not_found' ? 404 : payload.code === 'internal' ? 500 : 400), { error: payload.code, message: payload.message });
    }
  })();
  return true;
}
