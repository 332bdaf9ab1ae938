// Signing in to the API from the add-in's pages, and the self-test's look at the API. The pages are
// served by the API itself (<PUBLIC_URL>/outlook/), so every call goes to their own origin with the
// bearer token kept in the add-in origin's storage (addin-storage.ts): no cookies, which Outlook on
// the web's frame would make third-party.
import { call, createApiClient } from '../../ui/api-client/api-client.ts';
import type { Session } from '../../ui/api-client/api-types.ts';

export interface ApiAccess {
  /** PUBLIC_URL: the API and the add-in's origin. */
  baseUrl: string;
  fetch?: typeof fetch;
}

export function signIn(access: ApiAccess, email: string, password: string): Promise<Session> {
  return call(createApiClient({ ...access, credentials: 'omit' }).POST('/session', { body: { email, password } }));
}

/** Ends the session on the server; the pane forgets the token whatever the answer. */
export async function signOut(access: ApiAccess, token: string): Promise<void> {
  await call(createApiClient({ ...access, getToken: () => token, credentials: 'omit', timeoutMs: 3000 }).DELETE('/session')).catch(() => undefined);
}

export interface ApiCheck {
  reachable: boolean;
  /** Reachable, and the token (if any) was accepted. */
  sessionValid: boolean;
  /** What to tell the rep when something is off. */
  message: string | null;
  checkedAt: string;
}

/**
 * GET /me: the API answers (reachable) and says whether the token still holds. A 401 is an answer
 * too (reachable, session ended), as in the Chrome popup's self-test.
 */
export async function checkApi(access: ApiAccess, token: string | null, now = () => new Date()): Promise<ApiCheck> {
  const doFetch = access.fetch ?? globalThis.fetch.bind(globalThis);
  const checkedAt = () => now().toISOString();
  try {
    const res = await doFetch(`${access.baseUrl}/api/v1/me`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: 'omit',
      signal: AbortSignal.timeout(5000),
    });
    if (res.ok) return { reachable: true, sessionValid: !!token, message: null, checkedAt: checkedAt() };
    if (res.status === 401) return { reachable: true, sessionValid: false, message: token ? 'Your session has ended. Sign in again.' : null, checkedAt: checkedAt() };
    return { reachable: false, sessionValid: false, message: `${access.baseUrl} answered ${res.status}`, checkedAt: checkedAt() };
  } catch (err) {
    return { reachable: false, sessionValid: false, message: `${access.baseUrl} did not answer (${err instanceof Error ? err.message : String(err)})`, checkedAt: checkedAt() };
  }
}

/**
 * Why the manifest cannot be had from this API, in the API's own words (e.g. PUBLIC_URL is http, so
 * Outlook would refuse the add-in), or null when it can. Shown by the pane opened outside Outlook, so
 * a newcomer setting up sees the reason instead of a link that fails.
 */
export async function manifestProblem(manifestUrl: string, doFetch: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<string | null> {
  try {
    const res = await doFetch(manifestUrl, { credentials: 'omit', signal: AbortSignal.timeout(5000) });
    if (res.ok) return null;
    const text = (await res.text()).trim();
    return text && !text.startsWith('<') ? text : `${manifestUrl} answered ${res.status}.`;
  } catch (err) {
    return `${manifestUrl} did not answer (${err instanceof Error ? err.message : String(err)}).`;
  }
}
