/**
 * What Hookbench says about a delivery's authenticity: an ordered list of
 * checks, each with a plain-words reason, and the bytes that were signed.
 */

/** Every signature scheme Hookbench knows. Adding one breaks the build where it must be handled. */
export type SchemeId = 'set-jwt' | 'standard-webhooks' | 'hub-signature' | 'envoyou-v1' | 'hmac-hex' | 'stripe';

export const SCHEME_IDS: readonly SchemeId[] = [
  'set-jwt',
  'standard-webhooks',
  'hub-signature',
  'envoyou-v1',
  'hmac-hex',
  'stripe',
];

export function isSchemeId(value: unknown): value is SchemeId {
  return typeof value === 'string' && (SCHEME_IDS as readonly string[]).includes(value);
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

export interface Check {
  /** Stable id, e.g. `timestamp`, `signature`, `jti-replay`. */
  id: string;
  /** Short title: "Timestamp within 5 minutes". */
  label: string;
  status: CheckStatus;
  /** One line in plain words: why it passed or failed. */
  reason: string;
}

/** For HMAC schemes: what was signed, and the signature Hookbench computed next to the one received. */
export interface SignedContent {
  /** The exact bytes the signature covers, base64. */
  base64: string;
  /** Which variant of the content matched or was tried (e.g. "raw body", "canonical JSON"). */
  variant: string;
  /** The signature as received (the one compared), or null when absent. */
  received: string | null;
  /** The signature Hookbench computed over `base64` with the configured secret, or null without one. */
  computed: string | null;
  /** Index of the first differing character of received vs computed; -1 when equal; null when not compared. */
  firstDifference: number | null;
}

export interface TimeClaim {
  claim: string;
  value: number;
  /** ISO date, or null when the number is not a plausible date. */
  iso: string | null;
  /** Seconds from the judging time: negative in the past. */
  fromNowSeconds: number;
}

export interface JwtDetails {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  times: TimeClaim[];
  /** The key that verified the signature, if one did. */
  key: { kid: string | null; alg: string; source: string } | null;
}

export type VerdictOutcome =
  /** Every check passed or warned, and a signature was verified. */
  | 'authentic'
  /** At least one check failed. */
  | 'not-authentic'
  /** Nothing failed, but no signature could be checked (no secret or key configured, or no scheme found). */
  | 'unverified';

export interface Verdict {
  scheme: SchemeId | null;
  /** True when the scheme was recognised from the headers rather than set on the endpoint. */
  detected: boolean;
  outcome: VerdictOutcome;
  checks: Check[];
  signed: SignedContent[];
  jwt: JwtDetails | null;
  /** The time the delivery was judged at (ms), which may differ from arrival for a recomputed verdict. */
  judgedAt: number;
  /** Key used to recognise duplicates (id, jti, nonce), when the scheme has one. */
  replayKey: string | null;
}

/** Where the keys for a JWT scheme come from: a JWKS URL, pasted JSON, or Hookbench's own published keys. */
export type JwksSource = { kind: 'url'; url: string } | { kind: 'json'; json: string } | { kind: 'own' };

/** How an endpoint (or a one-off "verify with...") judges deliveries. */
export interface VerificationConfig {
  /** 'auto' recognises the scheme from the headers. */
  scheme: SchemeId | 'auto';
  /** HMAC secrets (several during rotation), or `whpk_` public keys for Standard Webhooks v1a. */
  secrets: string[];
  jwks: JwksSource | null;
  issuer: string | null;
  audience: string | null;
  /** Allowed distance between a timestamp and now, in seconds. */
  toleranceSeconds: number;
  /** JWS algorithms accepted for set-jwt. */
  algorithms: string[];
  /** hmac-hex: header carrying the hex signature, and the delivery id header. */
  signatureHeader: string;
  idHeader: string;
}

export const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

export const DEFAULT_VERIFICATION: VerificationConfig = {
  scheme: 'auto',
  secrets: [],
  // Hookbench's own keys by default, so a SET that Hookbench sends to itself verifies at first start.
  jwks: { kind: 'own' },
  issuer: null,
  audience: null,
  toleranceSeconds: 300,
  algorithms: DEFAULT_ALGORITHMS,
  signatureHeader: 'X-Webhook-Signature',
  idHeader: 'X-Webhook-Delivery-Id',
};
