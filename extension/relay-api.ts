// The sidebar's SidebarApi for the sidebar page framed in Gmail: each call goes to the background
// worker, which adds the session token and calls the API (the page never holds the token). It is
// ui/api-client's own sidebar client over a fetch that relays through runtime messaging, so the
// routes, the JSON handling and the error mapping (ApiError with the API's codes, 401 →
// UNAUTHENTICATED, no answer in time → OFFLINE) are the one client's, not a copy; the worker relays
// exactly the routes that client is typed by.
import { createSidebarApi, type SidebarApi } from '../ui/api-client/sidebar-api.ts';
import type { KeyValueStore } from '../ui/sidebar/cache.ts';
import type { HttpMethod, SendToBackground } from './messages.ts';

export interface RelayApiOptions {
  send: SendToBackground;
  /** A call with no answer after this long fails as OFFLINE (the worker may have been stopped mid-call). */
  timeoutMs?: number;
}

// The client wants an origin and a token; the background supplies the real ones.
const relayOrigin = 'https://background.invalid';
const tokenHeldByBackground = 'held-by-background';
const nullBodyStatuses = new Set([101, 204, 205, 304]);

function abortable<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason); // AbortSignal.timeout's reason is a TimeoutError
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (err: unknown) => (signal.removeEventListener('abort', onAbort), reject(err)),
    );
  });
}

/** A fetch whose network is the background worker: answers become Responses, failures TypeErrors, as with fetch. */
function relayFetch(send: SendToBackground): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const request = {
      method: (init?.method ?? 'GET').toUpperCase() as HttpMethod,
      path: url.pathname + url.search,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      ...(headers.get('Idempotency-Key') ? { idempotencyKey: headers.get('Idempotency-Key')! } : {}),
    };
    // Like fetch: no answer (the worker stopped, the extension was reloaded) is a TypeError.
    const answer = await abortable(send({ type: 'crm:relay', request }), init?.signal).catch((err: unknown) => {
      if (err instanceof DOMException) throw err; // the abort's own reason (a timeout)
      throw new TypeError(`The extension did not answer (${err instanceof Error ? err.message : String(err)})`);
    });
    if (!answer) throw new TypeError('The extension did not answer; reload Gmail if the extension was updated');
    if (answer.kind === 'network-error') throw new TypeError(answer.message);
    return new Response(nullBodyStatuses.has(answer.status) ? null : answer.body, { status: answer.status });
  };
}

export function createRelayApi(options: RelayApiOptions): SidebarApi {
  return createSidebarApi({
    baseUrl: relayOrigin,
    getToken: () => tokenHeldByBackground,
    fetch: relayFetch(options.send),
    timeoutMs: options.timeoutMs ?? 15_000,
  });
}

/**
 * The sidebar's KeyValueStore in extension storage, through the background: closed to Gmail's
 * page (unlike IndexedDB in a content script, which is mail.google.com's), shared by all Gmail
 * tabs, and readable by the options page, which edits the logging settings there.
 */
export function createRelayStore(send: SendToBackground): KeyValueStore {
  return {
    async get<T>(key: string) {
      const answer = await send({ type: 'crm:store-get', key });
      if (!answer) throw new Error('The extension did not answer');
      return (answer.value ?? undefined) as T | undefined;
    },
    async set(key, value) {
      const answer = await send({ type: 'crm:store-set', key, value });
      if (!answer?.ok) throw new Error(answer ? answer.message : 'The extension did not answer');
    },
    async delete(key) {
      const answer = await send({ type: 'crm:store-delete', key });
      if (!answer) throw new Error('The extension did not answer');
    },
  };
}
