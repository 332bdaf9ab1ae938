// Every failure leaves as { error: { code, message, details? } } with the status its code implies.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, httpStatusOf } from '../../../core/errors.ts';
import type { AppEnv } from '../../env.ts';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function validationFailed(error: ZodError, c: Context) {
  const details = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = details[0];
  const message = first ? `${first.path || 'input'}: ${first.message}` : 'invalid input';
  return c.json(errorBody('VALIDATION_FAILED', message, details), 400);
}

export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.code === 'RATE_LIMITED' && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    return c.json(errorBody(err.code, err.message, err.details), httpStatusOf[err.code]);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 400 && /JSON/i.test(err.message)) return c.json(errorBody('INVALID_JSON', 'The request body is not valid JSON'), 400);
    if (status === 413) return c.json(errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large'), 413);
    if (status === 401) return c.json(errorBody('UNAUTHENTICATED', err.message || 'Sign in first'), 401);
    if (status >= 400 && status < 500) return c.json(errorBody('VALIDATION_FAILED', err.message || 'Bad request'), status);
  }
  const pgCode = postgresErrorCode(err);
  // Values the database refuses that validation could not foresee (e.g. out-of-range dates).
  if (pgCode && ['22007', '22008', '22003', '22P02', '22001'].includes(pgCode)) {
    return c.json(errorBody('VALIDATION_FAILED', 'A value is out of range or malformed'), 400);
  }
  // Two requests racing to create the same thing (sign-ups, invitation accepts): the loser conflicts.
  if (pgCode === '23505') return c.json(errorBody('CONFLICT', 'This conflicts with a change made at the same time; reload and retry'), 409);
  c.var.deps?.log.error('unhandled error', { ...safeErrorFields(err), path: c.req.path });
  return c.json(errorBody('INTERNAL', 'Something went wrong on our side'), 500);
}

/**
 * What may be logged about an error. A failed query's message (drizzle's "Failed query: … params: …")
 * and the database's detail carry the statement's parameters: names, email addresses, key hashes,
 * tracking prefixes. Those stay out of the log; the SQL text, the SQLSTATE and the database's own
 * message (with any quoted value in it replaced) are enough to find the fault.
 */
export function safeErrorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err).slice(0, 200) };
  const query = (err as { query?: unknown }).query;
  const sqlstate = postgresErrorCode(err);
  const stack = err.stack?.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).join('\n');
  if (typeof query === 'string' || sqlstate) {
    const cause = databaseCause(err);
    return {
      error: 'database error',
      sqlstate,
      ...(typeof query === 'string' ? { query: query.slice(0, 2000) } : {}),
      ...(cause ? { reason: redactValues(cause.message) } : {}),
      stack,
    };
  }
  return { error: err.message, stack };
}

function databaseCause(err: Error): Error | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    if (typeof (e as { query?: unknown }).query !== 'string' || e.cause === undefined) return e;
    e = e.cause;
  }
  return e instanceof Error ? e : null;
}

// Postgres puts the offending value after a colon: `invalid input syntax for type uuid: "abc"`.
const redactValues = (message: string) => message.replace(/: ".*"$/s, ': "…"').slice(0, 500);

/** The SQLSTATE of a database error, whichever driver raised it (drizzle wraps it in `cause`). */
export function postgresErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => postgresErrorCode(err) === '23505';
