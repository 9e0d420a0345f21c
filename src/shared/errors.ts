/** Stable error codes: callers switch on `code`, never on the message. */
export type ErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'unknown_method'
  | 'storage_failed'
  | 'unauthorized'
  | 'internal';

/** An error as it crosses a boundary (IPC, HTTP, CLI --json). */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  );
}
