import type { ErrorCode, ErrorPayload } from '../../shared/errors';

/** Misuse of the engine (bad input, missing row, broken disk). A bad signature is a verdict, never this. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as it may cross a boundary; unknown errors keep their message but not their stack. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof EngineError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
