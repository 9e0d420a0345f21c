/**
 * Stripe-style: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`,
 * HMAC-SHA256 over `{t}.{raw body}` keyed with the whole secret string
 * (whsec_ included, not decoded), tolerance 300 s by default.
 */
import type { SignedContent } from '../../../shared/verdict';
import { CheckList, checkTimestamp, headerValues, partial, signaturesEqual, signedRecord } from './checks';
import { explainMismatch, hmac, isHex } from './hmac';
import type { HmacSignInput, Scheme, SignedRequest } from './types';

function content(t: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${t}.`), body]);
}

export const stripe: Scheme = {
  id: 'stripe',
  label: 'Stripe-style t=,v1= signature',
  detect: ({ headers }) => headerValues(headers, 'Stripe-Signature').length > 0,
  async verify({ headers, body }, ctx) {
    const list = new CheckList();
    const signed: SignedContent[] = [];
    const header = list.single(headers, 'Stripe-Signature', 'signature-header');
    if (header === null) {
      list.fail('signature', 'Signature', 'cannot be checked without one Stripe-Signature header');
      return partial(list);
    }
    const pairs = header.split(',').map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? ['', part] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    });
    const times = pairs.filter(([k]) => k === 't').map(([, v]) => v!);
    const v1 = pairs.filter(([k]) => k === 'v1').map(([, v]) => v!.toLowerCase());
    if (times.length !== 1) {
      list.fail('timestamp', 'Timestamp', times.length === 0 ? 'no t= in Stripe-Signature' : `t= appears ${times.length} times`);
    }
    const t = times.length === 1 ? times[0]! : null;
    checkTimestamp(list, 'timestamp', 'Timestamp', t, ctx.now, ctx.config.toleranceSeconds);
    const malformed = v1.filter((s) => !isHex(s) || s.length !== 64);
    if (malformed.length > 0) list.warn('format', 'v1 format', `${malformed.length} v1 value(s) are not 64 hex characters and cannot match`);
    if (v1.length === 0) {
      list.fail('signature', 'Signature', 'no v1= signature in Stripe-Signature');
    } else if (t === null) {
      list.fail('signature', 'Signature', 'cannot be checked without exactly one t=');
    } else if (ctx.config.secrets.length === 0) {
      list.skip('signature', 'Signature', 'no secret is set for this endpoint: add the whsec_ signing secret to check the signature');
    } else {
      const signedBytes = content(t, body);
      const matchFor = (bytes: Buffer) => {
        for (const [i, secret] of ctx.config.secrets.entries()) {
          const computed = hmac('sha256', secret, bytes).toString('hex');
          const value = v1.find((s) => signaturesEqual(s, computed));
          if (value) return { i, computed, value };
        }
        return null;
      };
      const hit = matchFor(signedBytes);
      const computed = hit?.computed ?? hmac('sha256', ctx.config.secrets[0]!, signedBytes).toString('hex');
      signed.push(signedRecord(signedBytes, 't.body', hit?.value ?? v1[0]!, computed));
      if (hit) list.pass('signature', 'Signature', `v1 matches with secret #${hit.i + 1}${v1.length > 1 ? ` (one of ${v1.length} v1 values)` : ''}`);
      else list.fail('signature', 'Signature', explainMismatch(body, (candidate) => matchFor(content(t, candidate)) !== null));
    }
    return partial(list, signed);
  },
};

export function signStripe(input: Pick<HmacSignInput, 'body' | 'secret' | 'timestamp'>): SignedRequest {
  const t = String(input.timestamp);
  const v1 = hmac('sha256', input.secret, content(t, input.body)).toString('hex');
  return { headers: [['Stripe-Signature', `t=${t},v1=${v1}`]], body: input.body };
}
