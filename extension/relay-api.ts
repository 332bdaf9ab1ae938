// The sidebar's SidebarApi for the Gmail content script: each call goes to the background worker,
// which adds the session token and calls the API (content scripts never hold the token). It is
// ui/sidebar's own createFetchApi over a fetch that relays through runtime messaging, so the
// routes, the JSON handling and the error mapping (apiErrorFrom → real ApiError objects, 401 →
// UNAUTHENTICATED, no answer in time → OFFLINE) are the sidebar's, not a copy.
import type { KeyValueStore } from '../ui/sidebar/cache.ts';
import { createFetchApi, type SidebarApi } from '../ui/sidebar/api.ts';
import type { HttpMethod, SendToBackground } from './messages.ts';

export interface RelayApiOptions {
  send: SendToBackground;
  /** A call with no answer after this long fails as OFFLINE (the worker may have been stopped mid-call). */
  timeoutMs?: number;
}

// createFetchApi wants an origin and a token; the background supplies the real ones.
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
export function relayFetch(send: SendToBackground): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const request = {
      method: (init?.method ?? 'GET').toUpperCase() as HttpMethod,
      path: url.pathname + url.search,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      ...(headers.get('Idempotency-Key') ? { idempotencyKey: headers.get('Idempotency-Key')! } : {}),
    };
    const answer = await abortable(send({ type: 'crm:relay', request }), init?.signal);
    if (!answer) throw new TypeError('The extension did not answer; reload Gmail if the extension was updated');
    if (answer.kind === 'network-error') throw new TypeError(answer.message);
    return new Response(nullBodyStatuses.has(answer.status) ? null : answer.body, { status: answer.status });
  };
}

export function createRelayApi(options: RelayApiOptions): SidebarApi {
  return createFetchApi({
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
