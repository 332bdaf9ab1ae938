// Signing in to the API from the demo page and keeping the session token for this tab. The page is
// served by the API itself, so the token stays on the API's own origin (sessionStorage: gone when
// the tab closes).
import { call, createApiClient, type ApiClient } from '../api-client/api-client.ts';
import type { Session } from '../api-client/api-types.ts';
import type { MailboxDirectory } from './directory.ts';
import { clearMailboxAnchor } from './mailbox.ts';
import { clearSent } from './sent-mail.ts';

export type DemoSession = Session;

export interface PageFetchOptions {
  baseUrl: string;
  fetch?: typeof fetch;
}

/** The page's own reads (the mailbox directory, the bell) with the session token. */
export const createPageClient = (options: PageFetchOptions & { getToken: () => string | null }): ApiClient => createApiClient(options);

export function signIn(options: PageFetchOptions, email: string, password: string): Promise<DemoSession> {
  return call(createApiClient(options).POST('/session', { body: { email, password } }));
}

/** Ends the session on the server; the page forgets the token whatever the answer. */
export async function signOut(options: PageFetchOptions, token: string): Promise<void> {
  await call(createApiClient({ ...options, getToken: () => token }).DELETE('/session')).catch(() => undefined);
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
    clearMailboxAnchor(storage, session.user.email);
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
