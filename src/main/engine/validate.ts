/** Checks of input that arrives from the UI, the CLI or HTTP; failures are `invalid_input`. */
import type { EndpointResponse, HeaderPair } from '../../shared/model';
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
