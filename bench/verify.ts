/**
 * bench/verify: verifications per second per scheme, Hookbench's full verdict
 * (every check, reasons, signed bytes) next to the official library, or the
 * seed's own sample where a sender has no library, on the same inputs.
 * Run: npm run bench:verify
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import type { HeaderPair } from '../src/shared/model';
import { DEFAULT_VERIFICATION, type VerificationConfig } from '../src/shared/verdict';
import { createKeyLoader } from '../src/main/engine/schemes/jwks';
import { judge } from '../src/main/engine/schemes/registry';
import { signEnvoyou } from '../src/main/engine/schemes/envoyou-v1';
import { signHmacHex } from '../src/main/engine/schemes/hmac-hex';
import { signHubSignature } from '../src/main/engine/schemes/hub-signature';
import { signSet } from '../src/main/engine/schemes/set-jwt';
import { signStandardWebhooks } from '../src/main/engine/schemes/standard-webhooks';
import { signStripe } from '../src/main/engine/schemes/stripe';
import { machine, opsPerSecond, table } from './lib';

const now = Math.floor(Date.now() / 1000);
const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'user.created', created: now, data: { object: { id: 'user_123', email: 'ada@example.com', name: 'Ada' } } }));
const text = body.toString();
const keys = createKeyLoader();

function hookbench(headers: HeaderPair[], payload: Buffer, config: Partial<VerificationConfig>) {
  const ctx = { config: { ...DEFAULT_VERIFICATION, ...config }, now: now * 1000, seenBefore: () => null, loadKeys: keys.load };
  return async () => {
    const verdict = await judge({ method: 'POST', path: '/', headers, body: payload }, ctx);
    if (verdict.outcome !== 'authentic') throw new Error(`bench input not authentic: ${JSON.stringify(verdict.checks)}`);
  };
}

async function main() {
  const rows: (string | number)[][] = [];
  const add = async (scheme: string, ours: () => unknown, reference: string, theirs: () => unknown) => {
    const a = await opsPerSecond(ours);
    const b = await opsPerSecond(theirs);
    rows.push([scheme, a, reference, b, `${(a / b).toFixed(2)}x`]);
    console.error(`${scheme}: ${Math.round(a)}/s vs ${reference} ${Math.round(b)}/s`);
  };

  const swSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const sw = signStandardWebhooks({ body, secret: swSecret, id: 'msg_1', timestamp: now });
  const swLib = new StandardWebhook(swSecret);
  await add('standard-webhooks', hookbench(sw.headers, body, { secrets: [swSecret] }), 'standardwebhooks', () => swLib.verify(text, Object.fromEntries(sw.headers)));

  const hub = signHubSignature({ body, secret: 's3cret' }, { header: 'X-Hub-Signature-256' });
  await add('hub-signature', hookbench(hub.headers, body, { secrets: ['s3cret'] }), '@octokit/webhooks-methods', () => octokitVerify('s3cret', text, hub.headers[0]![1]));

  const stripeLib = new Stripe('sk_test_dummy');
  const st = signStripe({ body, secret: 'whsec_x', timestamp: now });
  await add('stripe', hookbench(st.headers, body, { secrets: ['whsec_x'] }), 'stripe constructEvent', () => stripeLib.webhooks.constructEvent(text, st.headers[0]![1], 'whsec_x', 1e9));

  const env = signEnvoyou({ body, secret: 'env', timestamp: now, id: 'evt_1', webhookId: 'wh_1', eventType: 'user.created', nonce: 'n' }, 'raw');
  const envSig = Object.fromEntries(env.headers)['X-EnvoyOU-Signature']!;
  await add('envoyou-v1', hookbench(env.headers, body, { secrets: ['env'] }), "seed 003's Node sample", () => {
    const expected = createHmac('sha256', 'env').update(`${now}.${JSON.stringify(JSON.parse(text))}`).digest('hex');
    return timingSafeEqual(Buffer.from(envSig), Buffer.from(`v1,${expected}`));
  });

  const hex = signHmacHex({ body, secret: 'tenant', id: 'd1' }, DEFAULT_VERIFICATION);
  await add('hmac-hex', hookbench(hex.headers, body, { scheme: 'hmac-hex', secrets: ['tenant'] }), "seed 004's sample", () => {
    const expected = createHmac('sha256', 'tenant').update(text).digest('hex');
    return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(hex.headers[0]![1], 'utf8'));
  });

  const pair = await jose.generateKeyPair('RS256', { extractable: true });
  const priv = { ...(await jose.exportJWK(pair.privateKey)), kid: 'k1', alg: 'RS256' };
  const pub = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
  const claims = { iss: 'https://engageplus.id', iat: now, jti: 'j1', sub: 'u1', events: { 'https://engageplus.id/events/auth_success': { organizationId: 'org_1' } } };
  const token = await signSet(claims, priv);
  const localSet = jose.createLocalJWKSet({ keys: [pub] });
  await add(
    'set-jwt (RS256)',
    hookbench([['Content-Type', 'application/secevent+jwt']], Buffer.from(token), { jwks: { kind: 'json', json: JSON.stringify({ keys: [pub] }) }, issuer: 'https://engageplus.id' }),
    'jose jwtVerify',
    () => jose.jwtVerify(token, localSet, { issuer: 'https://engageplus.id' }),
  );

  console.log(`## bench/verify\n\nVerifications per second, one core, ${machine()}. Hookbench computes a full verdict (every check with its reason); the reference only says yes or no.\n`);
  console.log(table(['scheme', 'Hookbench /s', 'reference', 'reference /s', 'ratio'], rows));
}

void main();
