/**
 * Both directions with the official libraries: what they sign, Hookbench
 * judges authentic; what Hookbench signs, they accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as jose from 'jose';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import Stripe from 'stripe';
import { signHubSignature } from '../../../src/main/engine/schemes/hub-signature';
import { signSet } from '../../../src/main/engine/schemes/set-jwt';
import { signStandardWebhooks } from '../../../src/main/engine/schemes/standard-webhooks';
import { signStripe } from '../../../src/main/engine/schemes/stripe';
import { judgeRequest } from './helpers';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"type":"contact.created","data":{"contactId":"c_1","name":"Zoë"}}';
const now = () => Math.floor(Date.now() / 1000);
const toPairs = (h: Record<string, string>) => Object.entries(h) as [string, string][];

describe('Standard Webhooks: standardwebhooks and svix libraries', () => {
  it('what standardwebhooks signs, Hookbench judges authentic', async () => {
    const t = now();
    const signature = new StandardWebhook(SECRET).sign('msg_lib', new Date(t * 1000), BODY);
    const headers = { 'webhook-id': 'msg_lib', 'webhook-timestamp': String(t), 'webhook-signature': signature };
    expect((await judgeRequest(toPairs(headers), BODY, { secrets: [SECRET] }, t)).outcome).toBe('authentic');
  });

  it('what Hookbench signs, standardwebhooks and svix accept', () => {
    const signed = signStandardWebhooks({ body: Buffer.from(BODY), secret: SECRET, id: 'msg_hb', timestamp: now() });
    const headers = Object.fromEntries(signed.headers);
    expect(new StandardWebhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const svixSigned = signStandardWebhooks({ body: Buffer.from(BODY), secret: SECRET, id: 'msg_hb', timestamp: now() }, 'svix');
    const svixHeaders = Object.fromEntries(svixSigned.headers);
    // svix throws on a bad signature and returns nothing on a good one.
    expect(() => new SvixWebhook(SECRET).verify(BODY, svixHeaders)).not.toThrow();
    expect(() => new SvixWebhook(SECRET).verify(BODY.replace('c_1', 'c_2'), svixHeaders)).toThrow(/signature/i);
  });

  it('what svix signs, Hookbench judges authentic', async () => {
    const t = now();
    const signature = new SvixWebhook(SECRET).sign('msg_svix', new Date(t * 1000), BODY);
    const headers = { 'svix-id': 'msg_svix', 'svix-timestamp': String(t), 'svix-signature': signature };
    expect((await judgeRequest(toPairs(headers), BODY, { secrets: [SECRET] }, t)).outcome).toBe('authentic');
  });

  it('a body that is not UTF-8: Hookbench verifies the raw bytes where the npm library cannot', async () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signed = signStandardWebhooks({ body, secret: SECRET, id: 'msg_bin', timestamp: now() });
    expect((await judgeRequest(signed.headers, body, { secrets: [SECRET] }, now())).outcome).toBe('authentic');
    // The library turns the Buffer into a string first, so the same correct signature fails there.
    expect(() => new StandardWebhook(SECRET).verify(body as unknown as string, Object.fromEntries(signed.headers))).toThrow();
  });
});

describe('hub signatures: @octokit/webhooks-methods', () => {
  it('both directions', async () => {
    const secret = "It's a Secret to Everybody";
    const theirs = await octokitSign(secret, BODY);
    expect((await judgeRequest([['X-Hub-Signature-256', theirs]], BODY, { secrets: [secret] }, now())).outcome).toBe('authentic');
    const ours = signHubSignature({ body: Buffer.from(BODY), secret }, { header: 'X-Hub-Signature-256' }).headers[0]![1];
    expect(await octokitVerify(secret, BODY, ours)).toBe(true);
  });
});

describe('Stripe: the stripe library', () => {
  it('both directions', async () => {
    const stripe = new Stripe('sk_test_dummy');
    const secret = 'whsec_test_secret';
    const t = now();
    const theirs = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret, timestamp: t });
    expect((await judgeRequest([['Stripe-Signature', theirs]], BODY, { secrets: [secret] }, t)).outcome).toBe('authentic');
    const ours = signStripe({ body: Buffer.from(BODY), secret, timestamp: t }).headers[0]![1];
    expect(stripe.webhooks.constructEvent(BODY, ours, secret)).toEqual(JSON.parse(BODY));
  });
});

describe('SETs: jose, and the Express + jose receiver of seed 000', () => {
  const issuer = 'https://engageplus.id';
  let keys: jose.JWK[];
  let privateJwk: jose.JWK;
  let jwksServer: Server;
  let receiver: Server;
  let jwksUrl: string;
  let receiverUrl: string;

  beforeAll(async () => {
    const pair = await jose.generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await jose.exportJWK(pair.privateKey)), kid: 'hb-1', alg: 'RS256' };
    keys = [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'hb-1', alg: 'RS256', use: 'sig' }];
    jwksServer = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

    // The seed's Express sample, pointed at this JWKS URL and issuer; a fresh key set per request so rotation shows.
    const app = express();
    app.post('/webhooks/engageplus', express.text({ type: 'application/secevent+jwt' }), async (req, res) => {
      try {
        const jwt = req.body as string;
        const JWKS = jose.createRemoteJWKSet(new URL(jwksUrl));
        const { payload } = await jose.jwtVerify(jwt, JWKS, { issuer });
        const event = (payload.events as Record<string, { organizationId: string }>)['https://engageplus.id/events/auth_success'];
        res.status(200).send(`OK ${payload.sub} ${event?.organizationId}`);
      } catch {
        res.status(401).send('Unauthorized');
      }
    });
    receiver = app.listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/engageplus`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    jwksServer.closeAllConnections();
    await Promise.all([new Promise((r) => receiver.close(r)), new Promise((r) => jwksServer.close(r))]);
  });

  const claims = () => ({
    sub: '103425823847234892347',
    events: { 'https://engageplus.id/events/auth_success': { organizationId: 'org_abc123', provider: { id: 'provider_xyz789', type: 'GOOGLE' }, timestamp: now() } },
    iss: issuer,
    iat: now(),
    jti: `evt-${Math.random().toString(36).slice(2)}`,
  });
  const deliver = (token: string) =>
    fetch(receiverUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/secevent+jwt', 'X-EngagePlus-Event': 'AUTH_SUCCESS', 'X-EngagePlus-Signature': token },
      body: token,
    });

  it('the seed receiver accepts a SET Hookbench signs, and rejects it once the key is rotated out', async () => {
    const token = await signSet(claims(), privateJwk);
    const accepted = await deliver(token);
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('OK 103425823847234892347 org_abc123');

    const saved = keys;
    const next = await jose.generateKeyPair('RS256', { extractable: true });
    keys = [{ ...(await jose.exportJWK(next.publicKey)), kid: 'hb-2', alg: 'RS256' }];
    try {
      expect((await deliver(token)).status).toBe(401);
    } finally {
      keys = saved;
    }
  });

  it('a SET signed by jose is judged authentic by Hookbench against the same JWKS URL', async () => {
    const token = await new jose.SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid: 'hb-1' })
      .sign(await jose.importJWK(privateJwk, 'RS256'));
    const verdict = await judgeRequest([['Content-Type', 'application/secevent+jwt']], token, { jwks: { kind: 'url', url: jwksUrl }, issuer }, now());
    expect(verdict.outcome).toBe('authentic');
  });
});
