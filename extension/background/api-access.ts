// The worker's one way to the API, for everything it calls: the address the rep set, the session
// token (the only credential: never the API's cookies), and what an answer means for the session (a
// 401 ends it; no answer and server errors go to the self-test). The worker's own calls use the
// typed client of ui/api-client; the sidebar page's relayed requests go the same way as raw requests.
import { createApiClient, type ApiClient } from '../../ui/api-client/api-client.ts';
import { ApiError } from '../../ui/api-client/api-error.ts';
import { checkApiUrl, fallbackApiUrl, permissionPatternFor } from '../api-url.ts';
import type { HttpMethod, RelayAnswer } from '../messages.ts';
import { sessionItem, settingsItem, type Session, type StorageAreaLike } from './stored.ts';

export interface ApiAccessDeps {
  storage: StorageAreaLike;
  fetch: typeof fetch;
  /** permissions.contains for one origin pattern. */
  hasPermission(pattern: string): Promise<boolean>;
  /** WXT_API_URL at build time, else http://localhost:8787. */
  defaultApiUrl?: string;
  /** A request with no answer after this long counts as OFFLINE. */
  timeoutMs?: number;
  /** The self-test's last error. */
  recordError(source: 'api', message: string): Promise<void>;
  now: () => string;
}

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

export function createApiAccess(deps: ApiAccessDeps) {
  const { storage } = deps;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const defaultApiUrl = (deps.defaultApiUrl && checkApiUrl(deps.defaultApiUrl).ok && deps.defaultApiUrl.replace(/\/+$/, '')) || fallbackApiUrl;

  const apiUrl = async () => (await settingsItem.get(storage))?.apiUrl ?? defaultApiUrl;

  async function endSession(session: Session, endedBy: 'sign-out' | 'expired') {
    await sessionItem.set(storage, { ...session, token: null, endedAt: deps.now(), endedBy });
  }

  /**
   * fetch to the API at `base`, given up after `limitMs`. No answer is an OFFLINE ApiError that says
   * why, for the popup: the origin not permitted yet, no answer in time, or unreachable.
   */
  function networkFetch(base: string, limitMs: number): typeof fetch {
    return async (input, init) => {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new DOMException('The operation timed out.', 'TimeoutError')), limitMs);
      const signal = init?.signal;
      signal?.addEventListener('abort', () => deadline.abort(signal.reason), { once: true });
      try {
        return await deps.fetch(input, { ...init, credentials: 'omit', signal: deadline.signal });
      } catch (err) {
        const origin = new URL(base).origin;
        const permitted = await deps.hasPermission(permissionPatternFor(origin)).catch(() => false);
        const message = !permitted
          ? `The extension is not allowed to reach ${origin} yet: open Inbox CRM's options and press Save`
          : err instanceof Error && err.name === 'TimeoutError'
            ? `${base} did not answer within ${duration(limitMs)}`
            : `${base} cannot be reached (${err instanceof Error ? err.message : String(err)})`;
        throw new ApiError('OFFLINE', message, 0, err instanceof Error ? err.message : undefined);
      } finally {
        clearTimeout(timer);
      }
    };
  }

  /** networkFetch for a signed-in call: a 401 ends the session; no answer and server errors are recorded. */
  function sessionFetch(session: Session, base: string, limitMs: number): typeof fetch {
    const send = networkFetch(base, limitMs);
    return async (input, init) => {
      let response: Response;
      try {
        response = await send(input, init);
      } catch (err) {
        await deps.recordError('api', err instanceof Error ? err.message : String(err));
        throw err;
      }
      if (response.status === 401) {
        await endSession(session, 'expired');
        await deps.recordError('api', 'The CRM ended the session; sign in again');
      } else if (response.status >= 500) {
        await deps.recordError('api', `${init?.method ?? 'GET'} ${new URL(String(input)).pathname} answered ${response.status}`);
      }
      return response;
    };
  }

  /**
   * The typed client for one call of the worker's own, with the session token (signed out: it fails
   * UNAUTHENTICATED unsent). `public` for signing in; `timeoutMs` for a call that must give up sooner.
   */
  async function client(options: { public?: boolean; timeoutMs?: number } = {}): Promise<ApiClient> {
    const base = await apiUrl();
    const limitMs = options.timeoutMs ?? timeoutMs;
    if (options.public) return createApiClient({ baseUrl: base, timeoutMs: limitMs, fetch: networkFetch(base, limitMs) });
    const session = await sessionItem.get(storage);
    return createApiClient({
      baseUrl: base,
      timeoutMs: limitMs,
      getToken: () => session?.token,
      fetch: session ? sessionFetch(session, base, limitMs) : networkFetch(base, limitMs),
    });
  }

  /** A request passed through as it is (the sidebar page's, already checked), with the session token; the answer as text. */
  async function forward(method: HttpMethod, path: string, init: { body?: string; idempotencyKey?: string }): Promise<RelayAnswer> {
    const session = await sessionItem.get(storage);
    if (!session?.token) return { kind: 'response', ok: false, status: 401, body: errorJson('UNAUTHENTICATED', 'Sign in from the Inbox CRM button in the browser toolbar') };
    const base = await apiUrl();
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${session.token}` };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
    try {
      const response = await sessionFetch(session, base, timeoutMs)(base + path, { method, headers, body: init.body });
      return { kind: 'response', ok: response.ok, status: response.status, body: await response.text() };
    } catch (err) {
      return { kind: 'network-error', message: err instanceof Error ? err.message : String(err) };
    }
  }

  return { apiUrl, endSession, client, forward, networkFetch };
}

export type ApiAccess = ReturnType<typeof createApiAccess>;
