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
  c.var.deps?.log.error('unhandled error', { error: err.message, stack: err.stack, path: c.req.path });
  return c.json(errorBody('INTERNAL', 'Something went wrong on our side'), 500);
}

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
