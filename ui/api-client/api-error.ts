// The one error every client in ui/ throws for a call that did not work: the API's own codes
// ({ error: { code, message, details } }), plus what only a client can see. Callers switch on
// `code`, never on the message.
import { httpStatusOf, type ErrorCode } from '../../core/errors.ts';

/**
 * OFFLINE: no answer (network, timeout, a gateway that cannot reach the API).
 * RATE_LIMITED: 429. BAD_RESPONSE: an answer that is not the API's JSON.
 */
export type ApiErrorCode = ErrorCode | 'OFFLINE' | 'RATE_LIMITED' | 'BAD_RESPONSE';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ApiErrorCode, message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** Worth sending again later: the request may not have been applied, and nothing was refused. */
export const isTransient = (err: ApiError) =>
  err.code === 'OFFLINE' || err.code === 'RATE_LIMITED' || err.code === 'INTERNAL' || err.code === 'BAD_RESPONSE';

const isServerCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(httpStatusOf, code);

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 410) return 'GONE';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  // A gateway that cannot reach the API is, for the rep, the same as no network.
  if (status === 502 || status === 503 || status === 504) return 'OFFLINE';
  if (status >= 500) return 'INTERNAL';
  return 'VALIDATION_FAILED';
}

/** Turns an HTTP answer that is not 2xx into an ApiError, trusting the body's code when it is one of ours. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  // 401 is always "sign in again", whatever the body says.
  const code = status === 401 ? 'UNAUTHENTICATED' : isServerCode(error?.code) ? error.code : codeForStatus(status);
  const message = typeof error?.message === 'string' && error.message ? error.message : `The server answered ${status}`;
  return new ApiError(code, message, status, error?.details);
}

/** Anything thrown where an ApiError was expected, as one (e.g. a fake or a parser that threw). */
export const asApiError = (err: unknown): ApiError =>
  isApiError(err) ? err : new ApiError('BAD_RESPONSE', err instanceof Error ? err.message : String(err), 0);
