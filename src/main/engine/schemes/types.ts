import type { HeaderPair } from '../../../shared/model';
import type { JwksSource, SchemeId, Verdict, VerificationConfig } from '../../../shared/verdict';

/** The parts of a request a scheme judges. */
export interface VerifyInput {
  method: string;
  path: string;
  headers: HeaderPair[];
  body: Buffer;
}

/** A public key set as JWKS JSON, or why it could not be had. */
export type KeySetResult = { ok: true; keys: Record<string, unknown>[]; source: string } | { ok: false; reason: string };

export interface VerifyContext {
  config: VerificationConfig;
  /** The time to judge at, ms since the epoch (arrival time, or a chosen one). */
  now: number;
  /** The earlier delivery that carried this replay key on the same endpoint, if any. */
  seenBefore(key: string): { deliveryId: number | null } | null;
  /** Loads a key set; never throws. */
  loadKeys(source: JwksSource): Promise<KeySetResult>;
}

/** What a scheme produces when it signs: the headers to add and the body to send. */
export interface SignedRequest {
  headers: HeaderPair[];
  body: Buffer;
}

export interface HmacSignInput {
  body: Buffer;
  secret: string;
  /** Unix seconds. */
  timestamp: number;
  /** Message id / delivery id / event id, for schemes that carry one. */
  id: string;
  nonce?: string;
  eventType?: string;
}

/** One signature scheme: recognise it, judge it, produce it. */
export interface Scheme {
  id: SchemeId;
  /** Who sends it, in words. */
  label: string;
  /** True when these headers (and body) look like this scheme. */
  detect(input: VerifyInput): boolean;
  verify(input: VerifyInput, ctx: VerifyContext): Promise<Omit<Verdict, 'scheme' | 'detected' | 'outcome' | 'judgedAt'>>;
}
