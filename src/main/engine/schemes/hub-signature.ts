/**
 * WebSub hub signatures (Asgardeo, seed 002; GitHub): `X-Hub-Signature:
 * <algo>=<hex>` and `X-Hub-Signature-256: sha256=<hex>`, an HMAC of the raw body.
 */
import { CheckList, checkReplay, headerValues, matchSecret, partial, signedRecord, yearOfSeconds } from './checks';
import { parseJson } from './canonical-json';
import { explainMismatch, hmac, isHex, type HmacAlgorithm } from './hmac';
import type { HmacSignInput, Scheme, SignedRequest } from './types';
import type { SignedContent } from '../../../shared/verdict';

const HEX_LENGTH: Record<HmacAlgorithm, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };
const HEADERS = ['X-Hub-Signature-256', 'X-Hub-Signature'] as const;

export const hubSignature: Scheme = {
  id: 'hub-signature',
  label: 'WebSub hub signature (Asgardeo, GitHub)',
  detect: ({ headers }) => HEADERS.some((h) => headerValues(headers, h).length > 0),
  async verify({ headers, body }, ctx) {
    const list = new CheckList();
    const signed: SignedContent[] = [];
    const present = HEADERS.filter((h) => headerValues(headers, h).length > 0);
    if (present.length === 0) {
      list.fail('signature-header', 'Signature header', 'neither X-Hub-Signature nor X-Hub-Signature-256 is present');
    }
    const secrets = ctx.config.secrets;
    let anyVerified = false;
    let anyFailed = false;
    for (const name of present) {
      const value = list.single(headers, name, `header-${name.toLowerCase()}`);
      if (value === null) {
        anyFailed = true;
        continue;
      }
      const match = /^(sha1|sha256|sha384|sha512)=(.*)$/.exec(value.trim());
      if (!match) {
        list.fail(`format-${name.toLowerCase()}`, `${name} format`, `"${value.slice(0, 40)}" is not <algorithm>=<hex> with sha1, sha256, sha384 or sha512`);
        anyFailed = true;
        continue;
      }
      const algorithm = match[1] as HmacAlgorithm;
      const hex = match[2]!.toLowerCase();
      if (name === 'X-Hub-Signature-256' && algorithm !== 'sha256') {
        list.fail(`format-${name.toLowerCase()}`, `${name} format`, `X-Hub-Signature-256 must carry sha256=, not ${algorithm}=`);
        anyFailed = true;
        continue;
      }
      if (!isHex(hex) || hex.length !== HEX_LENGTH[algorithm]) {
        list.fail(
          `format-${name.toLowerCase()}`,
          `${name} format`,
          `a ${algorithm} signature is ${HEX_LENGTH[algorithm]} hex characters; this one is ${hex.length} characters${isHex(hex) ? '' : ' and not all hex'}`,
        );
        anyFailed = true;
        continue;
      }
      if (algorithm === 'sha1') list.warn('weak-algorithm', `${name} algorithm`, 'sha1 is accepted by WebSub but weak; prefer sha256');
      if (secrets.length === 0) continue;
      const computedFor = (secret: string, content: Buffer) => hmac(algorithm, secret, content).toString('hex');
      const hit = matchSecret(secrets, (s) => computedFor(s, body), hex);
      signed.push(signedRecord(body, 'raw body', hex, hit?.computed ?? computedFor(secrets[0]!, body)));
      if (hit) {
        anyVerified = true;
        list.pass(`hmac-${name.toLowerCase()}`, `${name} (${algorithm})`, `HMAC-${algorithm.toUpperCase()} of the raw body with secret #${hit.index + 1} matches`);
      } else {
        anyFailed = true;
        const reason = explainMismatch(body, (candidate) => secrets.some((s) => computedFor(s, candidate) === hex));
        list.fail(`hmac-${name.toLowerCase()}`, `${name} (${algorithm})`, reason);
      }
    }
    if (present.length > 0) {
      if (secrets.length === 0) list.skip('signature', 'Signature', 'no secret is set for this endpoint: add one to check the signature');
      else if (anyVerified && !anyFailed) list.pass('signature', 'Signature', `every signature header present (${present.join(', ')}) verifies`);
      else list.fail('signature', 'Signature', anyVerified ? 'one signature header verifies and another does not: both must' : 'no signature header verifies');
    }
    explainMillisecondIat(list, body);
    const delivery = headerValues(headers, 'X-GitHub-Delivery')[0];
    if (delivery) checkReplay(list, ctx, `github:${delivery}`, 'Delivery id', `X-GitHub-Delivery ${delivery}`, 'warn');
    return partial(list, signed, delivery ? `github:${delivery}` : null);
  },
};

/** Asgardeo's SET-shaped JSON carries `iat` in milliseconds: say so, since a seconds-based reader sees a far-future date. */
function explainMillisecondIat(list: CheckList, body: Buffer) {
  if (!body.includes('"iat"')) return;
  const parsed = parseJson(body) as { iat?: unknown } | undefined;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.iat !== 'number') return;
  if (parsed.iat > 100_000_000_000) {
    list.warn(
      'iat-units',
      'iat units',
      `iat is in milliseconds: ${parsed.iat} is ${new Date(parsed.iat).toISOString()}; a reader assuming seconds sees year ${yearOfSeconds(parsed.iat)}`,
    );
  }
}

/** Signs like a WebSub hub: `X-Hub-Signature: sha256=<hex>` (Asgardeo) or the GitHub header. */
export function signHubSignature(
  input: Pick<HmacSignInput, 'body' | 'secret'>,
  options: { header?: 'X-Hub-Signature' | 'X-Hub-Signature-256'; algorithm?: HmacAlgorithm } = {},
): SignedRequest {
  const algorithm = options.algorithm ?? 'sha256';
  const value = `${algorithm}=${hmac(algorithm, input.secret, input.body).toString('hex')}`;
  return { headers: [[options.header ?? 'X-Hub-Signature', value]], body: input.body };
}
