import { describe, expect, it } from 'vitest';
import { signEnvoyou } from '../../../src/main/engine/schemes/envoyou-v1';
import { signHmacHex } from '../../../src/main/engine/schemes/hmac-hex';
import { signHubSignature } from '../../../src/main/engine/schemes/hub-signature';
import { signStandardWebhooks } from '../../../src/main/engine/schemes/standard-webhooks';
import { signStripe } from '../../../src/main/engine/schemes/stripe';
import { canonicalJson } from '../../../src/main/engine/schemes/canonical-json';
import { INVALID_UTF8 } from '../../helpers';
import { check, judgeRequest, vectors } from './helpers';

interface SwVector { name: string; secret: string; id: string; timestamp: number; body: string; signature: string }
interface HubVector { name: string; secret: string; body: string; header: 'X-Hub-Signature' | 'X-Hub-Signature-256'; signature: string }
interface EnvVector { name: string; secret: string; timestamp: number; body: string; signedJson: string; signature: string; variant: string }
interface HexVector { name: string; secret: string; id: string; body: string; signature: string }
interface StripeVector { name: string; secret: string; timestamp: number; body: string; signature: string }

describe('standard-webhooks vectors', () => {
  for (const v of vectors<SwVector>('standard-webhooks')) {
    it(`${v.name}: signs exactly and judges authentic`, async () => {
      const signed = signStandardWebhooks({ body: Buffer.from(v.body), secret: v.secret, id: v.id, timestamp: v.timestamp });
      expect(signed.headers).toEqual([
        ['webhook-id', v.id],
        ['webhook-timestamp', String(v.timestamp)],
        ['webhook-signature', v.signature],
      ]);
      const verdict = await judgeRequest(signed.headers, v.body, { secrets: [v.secret] }, v.timestamp + 10);
      expect(verdict.outcome).toBe('authentic');
      expect(verdict.scheme).toBe('standard-webhooks');
      expect(verdict.detected).toBe(true);
      expect(verdict.signed[0]).toMatchObject({ variant: 'id.timestamp.body', received: v.signature.slice(3), firstDifference: -1 });
      expect(Buffer.from(verdict.signed[0]!.base64, 'base64').toString()).toBe(`${v.id}.${v.timestamp}.${v.body}`);
    });
  }
});

describe('standard-webhooks judgement', () => {
  const [v] = vectors<SwVector>('standard-webhooks');
  const headers = (sig: string, prefix = 'webhook'): [string, string][] => [
    [`${prefix}-id`, v!.id],
    [`${prefix}-timestamp`, String(v!.timestamp)],
    [`${prefix}-signature`, sig],
  ];
  const at = v!.timestamp;

  it('accepts svix-* headers as the same scheme', async () => {
    const verdict = await judgeRequest(headers(v!.signature, 'svix'), v!.body, { secrets: [v!.secret] }, at);
    expect(verdict.outcome).toBe('authentic');
  });

  it('passes when one of several signatures matches (rotation) and skips unknown versions', async () => {
    const sig = `v2,abcdef v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${v!.signature}`;
    const verdict = await judgeRequest(headers(sig), v!.body, { secrets: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', v!.secret] }, at);
    expect(verdict.outcome).toBe('authentic');
    expect(check(verdict, 'signature').reason).toMatch(/secret #2 \(one of 2 signatures: key rotation\)/);
    expect(check(verdict, 'versions')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/unknown version \(v2\)/) });
  });

  it('fails a stale timestamp and says how old it is', async () => {
    const verdict = await judgeRequest(headers(v!.signature), v!.body, { secrets: [v!.secret] }, at + 3600);
    expect(verdict.outcome).toBe('not-authentic');
    expect(check(verdict, 'timestamp')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/60 min old/) });
    expect(check(verdict, 'signature').status).toBe('pass');
  });

  it('says when the body was re-serialized after signing', async () => {
    const verdict = await judgeRequest(headers(v!.signature), '{"test":2432232314}', { secrets: [v!.secret] }, at);
    expect(check(verdict, 'signature')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/Python.s json.dumps default.*whitespace differs/) });
  });

  it('says "different secret" when nothing explains the mismatch, and shows where the signatures differ', async () => {
    const verdict = await judgeRequest(headers(v!.signature), v!.body, { secrets: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] }, at);
    expect(check(verdict, 'signature').reason).toMatch(/different secret, or over different bytes/);
    expect(verdict.signed[0]!.firstDifference).toBe(0);
  });

  it('signs and verifies raw bytes that are not UTF-8', async () => {
    const signed = signStandardWebhooks({ body: INVALID_UTF8, secret: v!.secret, id: 'msg_bin', timestamp: at });
    const verdict = await judgeRequest(signed.headers, INVALID_UTF8, { secrets: [v!.secret] }, at);
    expect(verdict.outcome).toBe('authentic');
  });

  it('judges a repeated signature header as a failure, never "either passes"', async () => {
    const verdict = await judgeRequest([...headers(v!.signature), ['webhook-signature', 'v1,bm9wZQ==']], v!.body, { secrets: [v!.secret] }, at);
    expect(check(verdict, 'signature-header')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/appears 2 times/) });
    expect(verdict.outcome).toBe('not-authentic');
  });

  it('is unverified without a secret, and flags a duplicate id as a retry', async () => {
    const verdict = await judgeRequest(headers(v!.signature), v!.body, {}, at, { [`msg:${v!.id}`]: 7 });
    expect(verdict.outcome).toBe('unverified');
    expect(check(verdict, 'signature').status).toBe('skipped');
    expect(check(verdict, 'replay')).toMatchObject({ status: 'warn', reason: expect.stringMatching(/delivery #7/) });
  });

  it('verifies v1a ed25519 signatures with a whpk_ key', async () => {
    const seed = Buffer.alloc(32, 7);
    const signed = signStandardWebhooks({ body: Buffer.from('{}'), secret: `whsk_${seed.toString('base64')}`, id: 'msg_ed', timestamp: at });
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    const x = createPublicKey(priv).export({ format: 'jwk' }).x!;
    const verdict = await judgeRequest(signed.headers, '{}', { secrets: [`whpk_${Buffer.from(x, 'base64url').toString('base64')}`] }, at);
    expect(verdict.outcome).toBe('authentic');
    expect(check(verdict, 'signature').reason).toMatch(/^v1a signature/);
  });
});

describe('hub-signature vectors', () => {
  for (const v of vectors<HubVector>('hub-signature')) {
    it(`${v.name}: signs exactly and judges authentic`, async () => {
      const signed = signHubSignature({ body: Buffer.from(v.body), secret: v.secret }, { header: v.header });
      expect(signed.headers).toEqual([[v.header, v.signature]]);
      const verdict = await judgeRequest(signed.headers, v.body, { secrets: [v.secret] }, 1_700_000_000);
      expect(verdict.outcome).toBe('authentic');
      expect(verdict.scheme).toBe('hub-signature');
    });
  }

  it('explains Asgardeo\'s iat in milliseconds', async () => {
    const v = vectors<HubVector>('hub-signature')[1]!;
    const verdict = await judgeRequest([[v.header, v.signature]], v.body, { secrets: [v.secret] }, 1_751_705_150);
    expect(check(verdict, 'iat-units').reason).toBe(
      'iat is in milliseconds: 1751705149662 is 2025-07-05T08:45:49.662Z; a reader assuming seconds sees year 57479',
    );
  });

  it('judges wrong-length hex, unknown algorithms and both headers explicitly', async () => {
    const v = vectors<HubVector>('hub-signature')[0]!;
    const short = await judgeRequest([['X-Hub-Signature-256', 'sha256=abcd']], v.body, { secrets: [v.secret] }, 0);
    expect(check(short, 'format-x-hub-signature-256').reason).toMatch(/64 hex characters; this one is 4/);
    const md5 = await judgeRequest([['X-Hub-Signature', 'md5=abcd']], v.body, { secrets: [v.secret] }, 0);
    expect(check(md5, 'format-x-hub-signature').status).toBe('fail');
    const sha1 = signHubSignature({ body: Buffer.from(v.body), secret: 'other' }, { algorithm: 'sha1' }).headers[0]!;
    const mixed = await judgeRequest([[v.header, v.signature], sha1], v.body, { secrets: [v.secret] }, 0);
    expect(check(mixed, 'hmac-x-hub-signature-256').status).toBe('pass');
    expect(check(mixed, 'hmac-x-hub-signature').status).toBe('fail');
    expect(check(mixed, 'signature').reason).toMatch(/one signature header verifies and another does not/);
  });

  it('signs and verifies the raw bytes of a body that is not UTF-8', async () => {
    const signed = signHubSignature({ body: INVALID_UTF8, secret: 's' });
    expect((await judgeRequest(signed.headers, INVALID_UTF8, { secrets: ['s'] }, 0)).outcome).toBe('authentic');
  });
});

describe('envoyou-v1 vectors', () => {
  for (const v of vectors<EnvVector>('envoyou-v1')) {
    it(`${v.name}: judged authentic, and the verdict names the variant`, async () => {
      const headers: [string, string][] = [
        ['Content-Type', 'application/json'],
        ['X-EnvoyOU-Signature', v.signature],
        ['X-EnvoyOU-Timestamp', String(v.timestamp)],
        ['X-EnvoyOU-Webhook-ID', 'wh_1234567890'],
        ['X-EnvoyOU-Event-Type', 'user.created'],
        ['X-EnvoyOU-Nonce', '4f2c7a81-bc2a-4c2f-9a3d-91d7fa2d6c55'],
      ];
      const verdict = await judgeRequest(headers, v.body, { secrets: [v.secret] }, v.timestamp + 60);
      expect(verdict.outcome).toBe('authentic');
      expect(check(verdict, 'signature').reason).toContain(v.variant);
      expect(Buffer.from(verdict.signed[0]!.base64, 'base64').toString()).toBe(`${v.timestamp}.${v.signedJson}`);
    });
  }

  it('canonical JSON matches Python\'s json.dumps(sort_keys, compact, ensure_ascii)', () => {
    const v = vectors<EnvVector>('envoyou-v1')[0]!;
    expect(canonicalJson(JSON.parse(v.body))).toBe(v.signedJson);
  });

  it('signs canonical JSON exactly as the Python sample verifies it', () => {
    const v = vectors<EnvVector>('envoyou-v1')[0]!;
    const signed = signEnvoyou({ body: Buffer.from(v.body), secret: v.secret, timestamp: v.timestamp, id: 'evt_1234567890', webhookId: 'wh_1', eventType: 'user.created', nonce: 'n1' });
    expect(signed.headers.find(([k]) => k === 'X-EnvoyOU-Signature')![1]).toBe(v.signature);
  });

  it('requires the security headers, rejects a replayed nonce and a type mismatch', async () => {
    const v = vectors<EnvVector>('envoyou-v1')[0]!;
    const headers: [string, string][] = [
      ['Content-Type', 'application/json'],
      ['X-EnvoyOU-Signature', v.signature],
      ['X-EnvoyOU-Timestamp', String(v.timestamp)],
      ['X-EnvoyOU-Event-Type', 'user.deleted'],
      ['X-EnvoyOU-Nonce', 'n-1'],
    ];
    const verdict = await judgeRequest(headers, v.body, { secrets: [v.secret] }, v.timestamp, { 'nonce:n-1': 3 });
    expect(check(verdict, 'webhook-id-header')).toMatchObject({ status: 'fail', reason: 'the X-EnvoyOU-Webhook-ID header is missing' });
    expect(check(verdict, 'event-type').reason).toBe('the header says user.deleted but the body says user.created');
    expect(check(verdict, 'replay')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/delivery #3: a replayed request/) });
  });
});

describe('hmac-hex vectors', () => {
  for (const v of vectors<HexVector>('hmac-hex')) {
    it(`${v.name}: signs exactly and judges authentic`, async () => {
      const names = { signatureHeader: 'X-Tenant-Signature', idHeader: 'X-Tenant-Delivery' };
      const signed = signHmacHex({ body: Buffer.from(v.body), secret: v.secret, id: v.id }, names);
      expect(signed.headers).toEqual([
        ['X-Tenant-Signature', v.signature],
        ['X-Tenant-Delivery', v.id],
      ]);
      const verdict = await judgeRequest(signed.headers, v.body, { scheme: 'hmac-hex', secrets: [v.secret], ...names }, 0);
      expect(verdict.outcome).toBe('authentic');
      const again = await judgeRequest(signed.headers, v.body, { scheme: 'hmac-hex', secrets: [v.secret], ...names }, 0, { [`delivery:${v.id}`]: 1 });
      expect(check(again, 'replay').status).toBe('warn');
    });
  }
});

describe('stripe vectors', () => {
  for (const v of vectors<StripeVector>('stripe')) {
    it(`${v.name}: signs exactly and judges authentic, several v1 values allowed`, async () => {
      const signed = signStripe({ body: Buffer.from(v.body), secret: v.secret, timestamp: v.timestamp });
      expect(signed.headers).toEqual([['Stripe-Signature', v.signature]]);
      const withTwo = `${v.signature},v1=${'0'.repeat(64)}`;
      const verdict = await judgeRequest([['Stripe-Signature', withTwo]], v.body, { secrets: [v.secret] }, v.timestamp + 5);
      expect(verdict.outcome).toBe('authentic');
      const late = await judgeRequest(signed.headers, v.body, { secrets: [v.secret] }, v.timestamp + 301);
      expect(check(late, 'timestamp').status).toBe('fail');
    });
  }
});

describe('scheme detection', () => {
  it('says when no scheme is recognised', async () => {
    const verdict = await judgeRequest([['Content-Type', 'application/json']], '{}', {}, 0);
    expect(verdict).toMatchObject({ scheme: null, outcome: 'unverified' });
    expect(check(verdict, 'scheme').status).toBe('skipped');
  });
});
