/** Checks of input that arrives from the UI, the CLI or HTTP; failures are `invalid_input`. */
import type { EndpointBehaviour, EndpointResponse, HeaderPair } from '../../shared/model';
import { isSchemeId, type VerificationConfig } from '../../shared/verdict';
import { EngineError } from './errors';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

export function validateEndpointName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new EngineError(
      'invalid_input',
      'an endpoint name is 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    );
  }
  return name;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

export function validateResponse(response: EndpointResponse): EndpointResponse {
  const { status, headers, body, delayMs } = response;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new EngineError('invalid_input', 'the response status must be a whole number from 200 to 599');
  }
  if (!Array.isArray(headers) || !headers.every(isHeaderPair)) {
    throw new EngineError('invalid_input', 'response headers must be [name, value] pairs with a valid name and no line breaks');
  }
  if (typeof body !== 'string') throw new EngineError('invalid_input', 'the response body must be text');
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 120_000) {
    throw new EngineError('invalid_input', 'the response delay must be 0 to 120000 milliseconds');
  }
  return { status, headers: headers.map(([k, v]) => [k, v]), body, delayMs };
}

function isHeaderPair(pair: unknown): pair is HeaderPair {
  return (
    Array.isArray(pair) &&
    pair.length === 2 &&
    typeof pair[0] === 'string' &&
    typeof pair[1] === 'string' &&
    TOKEN.test(pair[0]) &&
    !/[\r\n\0]/.test(pair[1])
  );
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** Checks verification settings as they arrive from the UI, the CLI or HTTP. */
export function validateVerification(config: VerificationConfig): VerificationConfig {
  const fail = (message: string): never => {
    throw new EngineError('invalid_input', message);
  };
  if (config.scheme !== 'auto' && !isSchemeId(config.scheme)) fail(`unknown scheme "${String(config.scheme)}"`);
  if (!Array.isArray(config.secrets) || !config.secrets.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 4096)) {
    fail('secrets must be a list of non-empty strings');
  }
  const jwks = config.jwks;
  if (jwks !== null) {
    if (jwks?.kind === 'url') {
      let url: URL | undefined;
      try {
        url = new URL(jwks.url);
      } catch {
        fail(`"${jwks.url}" is not a URL`);
      }
      if (url && url.protocol !== 'http:' && url.protocol !== 'https:') fail('a JWKS URL is http or https');
    } else if (jwks?.kind === 'json') {
      if (typeof jwks.json !== 'string' || jwks.json.length > 1024 * 1024) fail('a pasted key set is JSON text of at most 1 MiB');
    } else if (jwks?.kind !== 'own') {
      fail('jwks is {kind: "url", url}, {kind: "json", json} or {kind: "own"}');
    }
  }
  for (const key of ['issuer', 'audience'] as const) {
    if (config[key] !== null && typeof config[key] !== 'string') fail(`${key} must be text or null`);
  }
  if (!Number.isInteger(config.toleranceSeconds) || config.toleranceSeconds < 0 || config.toleranceSeconds > 31_536_000) {
    fail('the tolerance is a whole number of seconds from 0 to 31536000');
  }
  if (!Array.isArray(config.algorithms) || !config.algorithms.every((a) => typeof a === 'string')) fail('algorithms must be a list of names');
  if (!HEADER_NAME.test(config.signatureHeader) || !HEADER_NAME.test(config.idHeader)) fail('header names must be valid HTTP header names');
  return {
    scheme: config.scheme,
    secrets: [...config.secrets],
    jwks: config.jwks,
    issuer: config.issuer,
    audience: config.audience,
    toleranceSeconds: config.toleranceSeconds,
    algorithms: [...config.algorithms],
    signatureHeader: config.signatureHeader,
    idHeader: config.idHeader,
  };
}

const ANSWERS = ['echo', 'refuse', 'wrong-challenge', 'slow'];

export function validateBehaviour(b: EndpointBehaviour): EndpointBehaviour {
  const fail = (message: string): never => {
    throw new EngineError('invalid_input', message);
  };
  const w = b.websub;
  if (!w || typeof w !== 'object') fail('websub settings are missing');
  if (typeof w.enabled !== 'boolean') fail('websub.enabled is true or false');
  if (!ANSWERS.includes(w.answer)) fail(`websub.answer is one of ${ANSWERS.join(', ')}`);
  if (!Array.isArray(w.topics) || !w.topics.every((t) => typeof t === 'string')) fail('websub.topics is a list of topics');
  if (!Number.isInteger(w.slowMs) || w.slowMs < 0 || w.slowMs > 120_000) fail('websub.slowMs is 0 to 120000');
  if (typeof b.rfc8935 !== 'boolean') fail('rfc8935 is true or false');
  const s = b.invalidSignatureStatus;
  if (s !== null && (!Number.isInteger(s) || s < 200 || s > 599)) fail('invalidSignatureStatus is null or a status from 200 to 599');
  let forwardTo: string | null = null;
  if (b.forwardTo !== null && b.forwardTo !== undefined && b.forwardTo !== '') {
    let url: URL | undefined;
    try {
      url = new URL(b.forwardTo);
    } catch {
      fail(`"${b.forwardTo}" is not a URL`);
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') fail('forwarding goes to an http or https URL');
    forwardTo = url!.href;
  }
  return { websub: { enabled: w.enabled, answer: w.answer, topics: [...w.topics], slowMs: w.slowMs }, rfc8935: b.rfc8935, invalidSignatureStatus: s, forwardTo };
}
