/**
 * Seed 000's Express + jose receiver, pointed at Hookbench's JWKS URL and the
 * EngagePlus issuer, receives Hookbench's engageplus deliveries: accepted while
 * the key is published, rejected once a rotation retired it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as jose from 'jose';
import { createEngine, type Engine } from '../../../src/main/engine';
import type { Outbound } from '../../../src/shared/sender';
import { tempDir } from '../../helpers';

describe('engageplus deliveries against the seed receiver', () => {
  const dir = tempDir();
  let engine: Engine;
  let receiver: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0 });
    const { jwksUrl } = await engine.call('app.info', undefined);
    const app = express();
    app.post('/webhooks/engageplus', express.text({ type: 'application/secevent+jwt' }), async (req, res) => {
      try {
        const jwt = req.body as string;
        // A fresh key set per request, as the seed writes it.
        const JWKS = jose.createRemoteJWKSet(new URL(jwksUrl));
        const { payload } = await jose.jwtVerify(jwt, JWKS, { issuer: 'https://engageplus.id' });
        seen.push(String(req.headers['x-engageplus-event']));
        res.status(200).send(`OK ${payload.sub}`);
      } catch {
        res.status(401).send('Unauthorized');
      }
    });
    receiver = app.listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/engageplus`;
  });
  afterAll(async () => {
    await engine.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    dir.remove();
  });

  const deliver = async (): Promise<Outbound> => {
    const sent = await engine.call('send.deliver', { profile: 'engageplus', targetUrl: url, dataScope: 'INCLUDE_USER_DATA', policy: 'once' });
    for (;;) {
      const o = await engine.call('outbound.get', { id: sent.id });
      if (o.status !== 'pending') return o;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('accepts while the key is published, rejects after a rotation retired it', async () => {
    const first = await engine.call('keys.generate', { issuer: 'https://engageplus.id', type: 'RSA-2048' });
    const ok = await deliver();
    expect(ok.status).toBe('delivered');
    expect(ok.attempts[0]!.responseBody).toMatch(/^OK \d+$/);
    expect(seen).toEqual(['AUTH_SUCCESS']);

    // The token signed before the rotation, kept to replay it afterwards.
    const oldToken = ok.attempts[0]!.requestHeaders.find(([k]) => k === 'X-EngagePlus-Signature')![1];
    await engine.call('keys.rotate', { issuer: 'https://engageplus.id' });
    expect((await deliver()).status).toBe('delivered'); // the new key signs, and is published
    await engine.call('keys.retire', { kid: first.kid });
    const replay = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/secevent+jwt' }, body: oldToken });
    expect(replay.status).toBe(401);
  });
});
