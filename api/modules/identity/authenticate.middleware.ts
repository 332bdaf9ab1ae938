// Works out who is calling: an API key (`Authorization: Bearer crm_…`) or a better-auth session
// (bearer token from the extension, or the dashboard's cookie). The organization is the one named
// by X-Org-Id, else the caller's first membership. Then, before any route runs: a cookie-authenticated
// write must come from one of our origins, and the caller must be within their request budget.
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../../core/errors.ts';
import type { Actor } from '../../../core/roles.ts';
import type { AppEnv } from '../../env.ts';
import { assertSameOriginWrite, limitApiCaller } from '../../platform/http/protection.ts';
import { actorForApiKey, actorForUser, API_KEY_PREFIX } from './accounts.service.ts';

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const { db, auth } = c.var.deps;
  const header = c.req.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  // EventSource (the live stream) cannot send headers: it names the organization in the query.
  const wantedOrg = c.req.header('x-org-id') ?? (c.req.path.endsWith('/events') ? c.req.query('orgId') : undefined);

  let actor: Actor | null = null;
  let budget: string;
  if (bearer?.startsWith(API_KEY_PREFIX)) {
    const found = await actorForApiKey(db, bearer, c.var.deps.clock());
    if (!found) throw new AppError('UNAUTHENTICATED', 'This API key is not valid or was revoked');
    actor = found.actor;
    budget = `key:${found.keyId}`;
  } else {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) throw new AppError('UNAUTHENTICATED', bearer ? 'The session has expired; sign in again' : 'Sign in or send an API key');
    // No bearer token: the browser sent the session cookie, which it does for any site's requests.
    if (!bearer) assertSameOriginWrite(c);
    actor = await actorForUser(db, session.user.id, wantedOrg);
    if (!actor) throw new AppError('FORBIDDEN', wantedOrg ? 'You are not a member of that organization' : 'You are not a member of any organization yet');
    budget = `user:${session.user.id}`;
  }
  await limitApiCaller(c, budget);
  c.set('actor', actor);
  await next();
});
