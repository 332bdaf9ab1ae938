// Checks every /api request makes before any route sees it, in one place rather than per field:
// - a body whose declared charset is not UTF-8 is refused with 415: it would be read as UTF-8 and
//   stored garbled (we decode only UTF-8, and say so);
// - text holding the NUL character (U+0000, in a JSON body as \u0000, in a URL as %00) is refused
//   with 400: Postgres cannot store it in text, so it would otherwise fail deep inside a write.
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../../core/errors.ts';
import type { AppEnv } from '../../env.ts';

// \u0000 escaped in JSON: preceded by an odd number of backslashes (an even number is a literal
// backslash followed by the letters "u0000").
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/i;

export const requestGuard = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header('content-type');
  const charset = type ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1] : undefined;
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `The request body must be UTF-8; it was declared ${charset}`, [{ path: 'Content-Type', message: 'charset must be utf-8' }]);
  }
  const url = c.req.url;
  if (/%00/i.test(url) || url.includes('\u0000')) throw nulRefused('query');
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body) {
    // A copy: the original stays unread for the route (and for better-auth's own handler).
    const text = await c.req.raw.clone().text();
    if (text.includes('\u0000') || ESCAPED_NUL.test(text)) throw nulRefused('body');
  }
  await next();
});

const nulRefused = (where: 'query' | 'body') =>
  new AppError('VALIDATION_FAILED', `The ${where === 'query' ? 'address' : 'request body'} contains the NUL character (\\u0000), which text fields cannot hold`, [
    { path: where, message: 'must not contain \\u0000' },
  ]);
