// Signing in to the API from the demo page and keeping the session token for this tab. The page is
// served by the API itself, so the token stays on the API's own origin (sessionStorage: gone when
// the tab closes).
import { ApiError, apiErrorFrom } from '../sidebar/api.ts';
import type { MailboxDirectory } from './mailbox.ts';
import { clearSent } from './sent-mail.ts';

export interface DemoSession {
  token: string;
  user: { id: string; name: string; email: string };
  organization: { id: string; name: string };
  role: string;
}

/** Reads from /api/v1 with the bearer token; errors are the sidebar's ApiError. */
export interface PageApi {
  get<T>(path: string): Promise<T>;
}

export interface PageFetchOptions {
  baseUrl: string;
  fetch?: typeof fetch;
}

async function request<T>(options: PageFetchOptions, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const root = options.baseUrl.replace(/\/+$/, '') + '/api/v1';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(root + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new ApiError('OFFLINE', 'The API cannot be reached. Is the server running?', 0, err instanceof Error ? err.message : undefined);
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok) throw new ApiError('BAD_RESPONSE', 'The API sent an answer the page cannot read', response.status);
  }
  if (!response.ok) throw apiErrorFrom(response.status, parsed);
  return parsed as T;
}

export function createPageApi(options: PageFetchOptions & { token: string }): PageApi {
  return { get: (path) => request(options, 'GET', path, options.token) };
}

export async function signIn(options: PageFetchOptions, email: string, password: string): Promise<DemoSession> {
  return request<DemoSession>(options, 'POST', '/session', null, { email, password });
}

/** Ends the session on the server; the page forgets the token whatever the answer. */
export async function signOut(options: PageFetchOptions, token: string): Promise<void> {
  await request(options, 'DELETE', '/session', token).catch(() => undefined);
}

const SESSION_KEY = 'inbox-crm-demo:session';
const directoryKey = (email: string) => `inbox-crm-demo:directory:${email.toLowerCase()}`;

export function readSession(storage: Storage): DemoSession | null {
  try {
    const value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as DemoSession | null;
    return value && typeof value.token === 'string' && typeof value.user?.email === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage, session: DemoSession): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage): void {
  const session = readSession(storage);
  storage.removeItem(SESSION_KEY);
  if (session) {
    storage.removeItem(directoryKey(session.user.email));
    clearSent(storage, session.user.email);
  }
}

/** The last mailbox directory, so a reload while the API is down still shows the mailbox. */
export function readCachedDirectory(storage: Storage, email: string): MailboxDirectory | null {
  try {
    return JSON.parse(storage.getItem(directoryKey(email)) ?? 'null') as MailboxDirectory | null;
  } catch {
    return null;
  }
}

export function saveCachedDirectory(storage: Storage, directory: MailboxDirectory): void {
  try {
    storage.setItem(directoryKey(directory.user.email), JSON.stringify(directory));
  } catch {
    // A full storage only costs the offline reload.
  }
}
