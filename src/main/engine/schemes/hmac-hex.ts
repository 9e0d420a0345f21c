/**
 * Generic tenant webhooks (seed 004): plain hex HMAC-SHA256 of the raw body in
 * a configurable header, and a delivery id for replay protection.
 */
import type { SignedContent } from '../../../shared/verdict';
import { CheckList, checkReplay, headerValues, matchSecret, partial, signedRecord } from './checks';
import { explainMismatch, hmac, isHex } from './hmac';
import type { HmacSignInput, Scheme, SignedRequest } from './types';

export const hmacHex: Scheme = {
  id: 'hmac-hex',
  label: 'Hex HMAC-SHA256 of the body (tenant webhooks)',
  // Only recognised by its header name when that name is the configured default; otherwise set explicitly.
  detect: ({ headers }) => headerValues(headers, 'X-Webhook-Signature').some((v) => /^[0-9a-f]{64}$/i.test(v.trim())),
  async verify({ headers, body }, ctx) {
    const list = new CheckList();
    const signed: SignedContent[] = [];
    const { signatureHeader, idHeader, secrets } = ctx.config;
    const value = list.single(headers, signatureHeader, 'signature-header');
    const id = list.single(headers, idHeader, 'id-header', false);
    if (value === null) {
      list.fail('signature', 'Signature', `cannot be checked without one ${signatureHeader} header`);
    } else {
      const hex = value.trim().toLowerCase();
      if (!isHex(hex) || hex.length !== 64) {
        list.fail('signature', 'Signature', `a hex HMAC-SHA256 is 64 hex characters; "${value.slice(0, 80)}" is ${hex.length} characters${isHex(hex) ? '' : ' and not all hex'}`);
      } else if (secrets.length === 0) {
        list.skip('signature', 'Signature', 'no secret is set for this endpoint: add it to check the signature');
      } else {
        const compute = (s: string) => hmac('sha256', s, body).toString('hex');
        const hit = matchSecret(secrets, compute, hex);
        signed.push(signedRecord(body, 'raw body', hex, hit?.computed ?? compute(secrets[0]!)));
        if (hit) list.pass('signature', 'Signature', `HMAC-SHA256 of the raw body with secret #${hit.index + 1} matches`);
        else list.fail('signature', 'Signature', explainMismatch(body, (c) => secrets.some((s) => hmac('sha256', s, c).toString('hex') === hex)));
      }
    }
    if (id !== null) checkReplay(list, ctx, `delivery:${id}`, 'Delivery id', `delivery id ${id}`, 'warn');
    else if (headerValues(headers, idHeader).length === 0) list.warn('replay', 'Delivery id', `no ${idHeader} header: duplicates cannot be recognised`);
    return partial(list, signed, id !== null ? `delivery:${id}` : null);
  },
};

export function signHmacHex(
  input: Pick<HmacSignInput, 'body' | 'secret' | 'id'>,
  headers: { signatureHeader: string; idHeader: string },
): SignedRequest {
  return {
    headers: [
      [headers.signatureHeader, hmac('sha256', input.secret, input.body).toString('hex')],
      [headers.idHeader, input.id],
    ],
    body: input.body,
  };
}
