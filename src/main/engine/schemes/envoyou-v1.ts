/**
 * EnvoyOU (seed 003): `X-EnvoyOU-Signature: v1,<hex>` = HMAC-SHA256 of
 * `timestamp + "." + JSON`. The seed's two samples disagree on which JSON:
 * the Node sample signs `JSON.stringify(parsed body)` (compact, original key
 * order), the Python sample signs sorted-key canonical JSON. Hookbench tries
 * the raw body and both, and says which one matched.
 */
import type { SignedContent } from '../../../shared/verdict';
import { CheckList, checkReplay, checkTimestamp, headerValues, matchSecret, partial, signedRecord } from './checks';
import { canonicalJson, parseJson } from './canonical-json';
import { explainMismatch, hmac, isHex } from './hmac';
import type { HmacSignInput, Scheme, SignedRequest } from './types';

export const ENVOYOU_HEADERS = {
  signature: 'X-EnvoyOU-Signature',
  timestamp: 'X-EnvoyOU-Timestamp',
  webhookId: 'X-EnvoyOU-Webhook-ID',
  eventType: 'X-EnvoyOU-Event-Type',
  nonce: 'X-EnvoyOU-Nonce',
} as const;

interface Variant {
  label: string;
  json: string;
}

/** The three things an EnvoyOU sender may have signed after the timestamp, computed only as far as they are tried. */
export function* envoyouVariants(body: Buffer): Generator<Variant> {
  yield { label: 'raw body', json: body.toString('utf8') };
  const parsed = parseJson(body);
  if (parsed === undefined) return;
  try {
    yield { label: 'canonical sorted-key JSON (the seed\'s Python sample)', json: canonicalJson(parsed) };
    yield { label: 'JSON.stringify of the parsed body (the seed\'s Node sample)', json: JSON.stringify(parsed) };
  } catch {
    // Too deeply nested to re-serialize: only the raw body can be tried.
  }
}

function signatureOf(secret: string, timestamp: string, json: Buffer | string): string {
  return `v1,${hmac('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(json)])).toString('hex')}`;
}

export const envoyou: Scheme = {
  id: 'envoyou-v1',
  label: 'EnvoyOU v1 signature',
  detect: ({ headers }) => headerValues(headers, ENVOYOU_HEADERS.signature).length > 0,
  async verify({ headers, body }, ctx) {
    const list = new CheckList();
    const signed: SignedContent[] = [];
    const signature = list.single(headers, ENVOYOU_HEADERS.signature, 'signature-header');
    const timestamp = list.single(headers, ENVOYOU_HEADERS.timestamp, 'timestamp-header');
    const webhookId = list.single(headers, ENVOYOU_HEADERS.webhookId, 'webhook-id-header');
    const eventType = list.single(headers, ENVOYOU_HEADERS.eventType, 'event-type-header');
    const nonce = list.single(headers, ENVOYOU_HEADERS.nonce, 'nonce-header', false);
    if (signature && timestamp && webhookId && eventType) {
      list.pass('headers', 'Required headers', 'signature, timestamp, webhook id and event type are present');
    }
    const contentType = headerValues(headers, 'Content-Type')[0] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      list.warn('content-type', 'Content-Type', `"${contentType || '(none)'}" is not application/json, which EnvoyOU sends`);
    }
    checkTimestamp(list, 'timestamp', 'Timestamp drift', timestamp, ctx.now, ctx.config.toleranceSeconds);

    const parsed = parseJson(body) as { type?: unknown; webhook_id?: unknown } | undefined;
    if (eventType && parsed && typeof parsed === 'object' && typeof parsed.type === 'string' && parsed.type !== eventType) {
      list.fail('event-type', 'Event type', `the header says ${eventType} but the body says ${parsed.type}`);
    }

    if (signature !== null) {
      const hex = signature.startsWith('v1,') ? signature.slice(3) : null;
      if (hex === null || !isHex(hex) || hex.length !== 64) {
        list.fail('signature', 'Signature', `"${signature.slice(0, 40)}" is not v1,<64 hex characters>`);
      } else if (timestamp === null) {
        list.fail('signature', 'Signature', 'cannot be checked without one X-EnvoyOU-Timestamp');
      } else if (ctx.config.secrets.length === 0) {
        list.skip('signature', 'Signature', 'no secret is set for this endpoint: add it to check the signature');
      } else {
        const tried: Variant[] = [];
        let hit: { variant: Variant; secret: number; computed: string } | null = null;
        for (const variant of envoyouVariants(body)) {
          tried.push(variant);
          const found = matchSecret(ctx.config.secrets, (s) => signatureOf(s, timestamp, variant.json), signature);
          if (found) {
            hit = { variant, secret: found.index, computed: found.computed };
            break;
          }
        }
        const shownVariant = hit?.variant ?? tried[0]!;
        const bytes = Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(shownVariant.json)]);
        signed.push(signedRecord(bytes, `timestamp.${shownVariant.label}`, signature, hit?.computed ?? signatureOf(ctx.config.secrets[0]!, timestamp, shownVariant.json)));
        if (hit) {
          list.pass('signature', 'Signature', `matches over the ${hit.variant.label}, with secret #${hit.secret + 1}`);
          if (hit.variant.label !== 'raw body') {
            list.warn('signed-form', 'Signed form', 'the sender signed a re-serialization, not the bytes it sent: a verifier over the raw body will reject it');
          }
        } else {
          const reason = explainMismatch(body, (candidate) => ctx.config.secrets.some((s) => signatureOf(s, timestamp, candidate) === signature));
          list.fail('signature', 'Signature', `${reason} (tried: ${tried.map((v) => v.label).join(', ')})`);
        }
      }
    } else {
      list.fail('signature', 'Signature', 'cannot be checked without one X-EnvoyOU-Signature');
    }
    if (nonce !== null) checkReplay(list, ctx, `nonce:${nonce}`, 'Nonce', `nonce ${nonce}`, 'fail');
    else if (headerValues(headers, ENVOYOU_HEADERS.nonce).length === 0) {
      list.warn('replay', 'Nonce', 'no X-EnvoyOU-Nonce: replays within the drift window cannot be told apart');
    }
    return partial(list, signed, nonce !== null ? `nonce:${nonce}` : null);
  },
};

/**
 * Signs as EnvoyOU does. `form` picks what is signed: the canonical JSON of
 * the Python sample (default, the documented "canonical JSON"), or the raw body.
 */
export function signEnvoyou(
  input: HmacSignInput & { webhookId: string; eventType: string; nonce: string },
  form: 'canonical' | 'raw' = 'canonical',
): SignedRequest {
  const timestamp = String(input.timestamp);
  const parsed = parseJson(input.body);
  const json = form === 'canonical' && parsed !== undefined ? canonicalJson(parsed) : input.body;
  return {
    headers: [
      ['Content-Type', 'application/json'],
      [ENVOYOU_HEADERS.signature, signatureOf(input.secret, timestamp, json)],
      [ENVOYOU_HEADERS.timestamp, timestamp],
      [ENVOYOU_HEADERS.webhookId, input.webhookId],
      [ENVOYOU_HEADERS.eventType, input.eventType],
      [ENVOYOU_HEADERS.nonce, input.nonce],
    ],
    body: input.body,
  };
}
