// The one HTTP client of ui/: openapi-fetch typed by the generated `paths`, with what every caller
// relies on added once: the bearer token (signed out → UNAUTHENTICATED without sending), a timeout
// (no answer → OFFLINE), and answers that are not 2xx turned into ApiError with the API's codes.
// The sidebar, the demo inbox, compose, the extension's sidebar page (over its background relay)
// and its background worker all build on it.
import createClient, { type Client } from 'openapi-fetch';
import { ApiError, apiErrorFrom, isApiError } from './api-error.ts';
import type { paths } from './openapi.d.ts';

export interface ApiClientOptions {
  /** The API origin, e.g. http://localhost:8787 (a trailing /api/v1 is accepted too). */
  baseUrl: string;
  /**
   * The session token. Null means signed out: calls then fail with UNAUTHENTICATED unsent.
   * Leave it out for a client of the public routes only (signing in).
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  fetch?: typeof fetch;
  /** A request with no answer after this long counts as OFFLINE. */
  timeoutMs?: number;
  /** E.g. 'omit' where the bearer token must be the only credential (the extension's worker). */
  credentials?: RequestCredentials;
}

/** A client typed by `P`: all of the API (`paths`) or a route list's part of it (routes.ts). */
export type ApiClient<P extends {} = paths> = Client<P>;

/** For a call that must give up sooner than the client's usual timeout (registering at send time). */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Sent as the Idempotency-Key header: the same key on every retry of one queued change. */
export interface WriteOptions {
  idempotencyKey?: string;
}

const apiRoot = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * A signal that aborts with the first of `signals`. By hand, not AbortSignal.any: that one is recent
 * (Chrome 116, Safari 17.4), and Node may collect a combined signal (and its timeout) before it fires.
 */
function linkSignals(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => !!s);
  if (present.length <= 1) return present[0];
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

const timeoutReason = () => new DOMException('The operation timed out.', 'TimeoutError');

/** The signal of one call: the caller's, and its own deadline if it has one. Undefined when neither. */
export function callSignal(options: CallOptions = {}): AbortSignal | undefined {
  return linkSignals([options.signal, options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs)]);
}

export const idempotencyHeaders = (write: WriteOptions = {}): Record<string, string> => (write.idempotencyKey ? { 'Idempotency-Key': write.idempotencyKey } : {});

export function createApiClient<P extends {} = paths>(options: ApiClientOptions): ApiClient<P> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  // openapi-fetch hands over a Request; what goes out is plain (url, init), which relays and fakes read as fetch's.
  async function fetchWithSession(request: Request): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    request.headers.forEach((value, name) => (headers[name] = value));
    if (options.getToken) {
      const token = await options.getToken();
      if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in to see your CRM here', 401);
      headers.Authorization = `Bearer ${token}`;
    }
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : (await request.text()) || undefined;
    // The client's own deadline, cleared once answered (a timer per call must not outlive it).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeoutReason()), timeoutMs);
    let status: number;
    let text: string;
    let responseHeaders: Headers;
    try {
      const response = await send(request.url, {
        method: request.method,
        headers,
        body,
        signal: linkSignals([request.signal, deadline.signal]),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
      // Read here: an answer cut off half-way is no answer.
      ({ status } = response);
      responseHeaders = response.headers;
      text = await response.text();
    } catch (err) {
      // fetch fails with a TypeError (no network) or the abort's DOMException; anything else is a bug to see.
      if (isApiError(err) || !(err instanceof TypeError || err instanceof DOMException)) throw err;
      const reason = err.name === 'TimeoutError' ? 'The CRM did not answer in time' : 'The CRM cannot be reached';
      throw new ApiError('OFFLINE', reason, 0, err instanceof Error ? err.message : undefined);
    } finally {
      clearTimeout(timer);
    }
    // A CSV export says so; any other 2xx must be JSON.
    const declaredText = /^text\/csv\b/i.test(responseHeaders.get('content-type') ?? '');
    if (status >= 200 && status < 300 && text && !declaredText && !isJson(text)) throw new ApiError('BAD_RESPONSE', 'The CRM sent an answer that cannot be read', status);
    return new Response(nullBodyStatuses.has(status) || !text ? null : text, { status, headers: responseHeaders });
  }

  return createClient<P>({ baseUrl: apiRoot(options.baseUrl), fetch: fetchWithSession });
}

function isJson(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The answer of one openapi-fetch call, or the ApiError it amounts to: the API's code and message for
 * a refusal, OFFLINE for no answer (thrown by the client's fetch), BAD_RESPONSE for JSON it could not
 * read. Anything else thrown is a bug and is thrown as it is.
 */
export async function call<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  let answer: { data?: D; error?: unknown; response: Response };
  try {
    answer = await pending;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new ApiError('BAD_RESPONSE', 'The CRM sent an answer that cannot be read', 0, err.message);
  }
  if (!answer.response.ok) throw apiErrorFrom(answer.response.status, answer.error);
  return answer.data as D;
}
