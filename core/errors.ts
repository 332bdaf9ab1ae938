// One error type for the whole product. The UI and clients switch on `code`, never on text.
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'INVALID_REFERENCE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CROSS_SITE_REQUEST'
  | 'RATE_LIMITED'
  | 'PLAN_LIMIT'
  | 'ORGANIZATION_READ_ONLY'
  | 'INVALID_SIGNATURE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const httpStatusOf: Record<ErrorCode, 400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_REFERENCE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // A cookie-authenticated write from a page on another origin (cross-site request forgery).
  CROSS_SITE_REQUEST: 403,
  RATE_LIMITED: 429,
  // The organization's plan does not allow this write (a limit or a feature); details say which plan lifts it.
  PLAN_LIMIT: 402,
  // A payment failed and the grace period is over: reads and exports work, writes wait until it is paid.
  ORGANIZATION_READ_ONLY: 402,
  // A signed delivery (the Stripe webhook) whose signature does not verify.
  INVALID_SIGNATURE: 400,
  // A part of the service this process does not run (e.g. live updates in a tool that opened no event stream).
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);

/** Too many requests: `details.retryAfterSeconds` becomes the Retry-After header. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
