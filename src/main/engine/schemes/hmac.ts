/**
 * HMAC helpers and the search that turns "signature mismatch" into a reason:
 * when the received signature matches the body re-serialized (compact,
 * sorted keys, pretty, newline changed), the body was changed after signing.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson, pythonJson } from './canonical-json';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export function hmac(algorithm: HmacAlgorithm, key: Buffer | string, content: Buffer | string): Buffer {
  return createHmac(algorithm, key).update(content).digest();
}

export interface BodyVariant {
  label: string;
  /** What it means when the signature matches this variant instead of the raw bytes. */
  explanation: string;
  bytes: Buffer;
}

/** Other plausible serializations of a body, for explaining mismatches. Never used to pass a signature. */
export function bodyVariants(body: Buffer): BodyVariant[] {
  const variants: BodyVariant[] = [];
  const text = body.toString('utf8');
  if (text.endsWith('\n')) {
    variants.push({ label: 'body without its final newline', explanation: 'a newline was added to the body after signing', bytes: Buffer.from(text.replace(/\r?\n$/, '')) });
  } else {
    variants.push({ label: 'body with a final newline', explanation: 'the final newline of the signed body was lost', bytes: Buffer.from(`${text}\n`) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return variants;
  }
  try {
    variants.push(
      { label: 'compact JSON', explanation: 'the body was re-serialized: whitespace differs from what was signed', bytes: Buffer.from(JSON.stringify(parsed)) },
      { label: 'sorted-key JSON', explanation: 'the body was re-serialized: key order differs from what was signed', bytes: Buffer.from(canonicalJson(parsed)) },
      { label: 'pretty JSON', explanation: 'the body was re-serialized: indentation differs from what was signed', bytes: Buffer.from(JSON.stringify(parsed, null, 2)) },
      {
        label: 'JSON with spaces after "," and ":" (Python\'s json.dumps default)',
        explanation: 'the body was re-serialized: whitespace differs from what was signed',
        bytes: Buffer.from(pythonJson(parsed, { sortKeys: false, itemSeparator: ', ', keySeparator: ': ' })),
      },
    );
  } catch {
    // Nested too deeply to re-serialize: no variants to offer.
  }
  return variants.filter((v) => !v.bytes.equals(body));
}

/**
 * Finds which variant of the body the signature was made over, if any.
 * `matches` gets a body and says whether the received signature fits it.
 */
export function explainMismatch(body: Buffer, matches: (candidate: Buffer) => boolean): string {
  for (const variant of bodyVariants(body)) {
    if (matches(variant.bytes)) return `the signature matches the ${variant.label}, not the bytes received: ${variant.explanation}`;
  }
  return 'the signature does not match: it was made with a different secret, or over different bytes';
}

export function isHex(text: string): boolean {
  return /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0;
}
