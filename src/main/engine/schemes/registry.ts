/**
 * The table of schemes and the one entry point that judges a request. An
 * unknown id is a typed error; a scheme that throws becomes a failed check,
 * never a crash of the receiver.
 */
import type { SchemeId, Verdict } from '../../../shared/verdict';
import { isSchemeId } from '../../../shared/verdict';
import { EngineError } from '../errors';
import { outcomeOf } from './checks';
import { envoyou } from './envoyou-v1';
import { hmacHex } from './hmac-hex';
import { hubSignature } from './hub-signature';
import { setJwt } from './set-jwt';
import { standardWebhooks } from './standard-webhooks';
import { stripe } from './stripe';
import type { Scheme, VerifyContext, VerifyInput } from './types';

/** Every scheme by id; the mapped type makes a missing one a build error. */
export const SCHEMES: { readonly [K in SchemeId]: Scheme } = {
  'set-jwt': setJwt,
  'standard-webhooks': standardWebhooks,
  'hub-signature': hubSignature,
  'envoyou-v1': envoyou,
  'hmac-hex': hmacHex,
  stripe,
};

/** Detection order: the most specific header names first. */
const DETECTION_ORDER: SchemeId[] = ['stripe', 'standard-webhooks', 'envoyou-v1', 'hub-signature', 'set-jwt', 'hmac-hex'];

export function getScheme(id: string): Scheme {
  if (!isSchemeId(id)) throw new EngineError('invalid_input', `unknown scheme "${id}" (known: ${Object.keys(SCHEMES).join(', ')})`);
  return SCHEMES[id];
}

export function detectScheme(input: VerifyInput): SchemeId | null {
  return DETECTION_ORDER.find((id) => SCHEMES[id].detect(input)) ?? null;
}

export async function judge(input: VerifyInput, ctx: VerifyContext): Promise<Verdict> {
  const configured = ctx.config.scheme;
  const schemeId = configured === 'auto' ? detectScheme(input) : configured;
  const base = { judgedAt: ctx.now, detected: configured === 'auto' };
  if (schemeId === null) {
    return {
      ...base,
      scheme: null,
      outcome: 'unverified',
      checks: [
        {
          id: 'scheme',
          label: 'Scheme',
          status: 'skipped',
          reason: 'no known signature headers: set the sender\'s scheme on the endpoint to judge it',
        },
      ],
      signed: [],
      jwt: null,
      replayKey: null,
    };
  }
  const scheme = getScheme(schemeId);
  const first = {
    id: 'scheme',
    label: 'Scheme',
    status: 'pass' as const,
    reason: configured === 'auto' ? `recognised ${scheme.label} from the headers` : `${scheme.label}, as set on the endpoint`,
  };
  try {
    const result = await scheme.verify(input, ctx);
    const checks = [first, ...result.checks];
    return { ...base, ...result, scheme: schemeId, checks, outcome: outcomeOf(checks) };
  } catch (error) {
    const checks = [first, { id: 'internal', label: 'Verification', status: 'fail' as const, reason: `could not be completed: ${(error as Error).message}` }];
    return { ...base, scheme: schemeId, checks, signed: [], jwt: null, replayKey: null, outcome: 'not-authentic' };
  }
}
