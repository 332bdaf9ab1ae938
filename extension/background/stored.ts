// What the background worker keeps in storage.local, as typed items with a version each. A
// stored value of another version reads as absent (a later version would migrate it here), so a
// changed shape can never be misread. storage.local is closed to content scripts (see
// entrypoints/background.ts), so the token stays with the extension's own pages and worker.
import type { Account, HealthStatus } from '../messages.ts';

/** The part of chrome.storage.StorageArea used here (fakeBrowser's in tests). */
export interface StorageAreaLike {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface StoredItem<T> {
  readonly key: string;
  get(area: StorageAreaLike): Promise<T | null>;
  set(area: StorageAreaLike, value: T): Promise<void>;
  remove(area: StorageAreaLike): Promise<void>;
}

export function storedItem<T>(key: string, version: number): StoredItem<T> {
  return {
    key,
    async get(area) {
      const raw = (await area.get(key))[key] as { v?: unknown; value?: T } | undefined;
      return raw && raw.v === version && raw.value !== undefined ? raw.value : null;
    },
    set: (area, value) => area.set({ [key]: { v: version, value } }),
    remove: (area) => area.remove(key),
  };
}

export interface Settings {
  apiUrl: string;
}

export interface Session {
  /** null once signed out or refused by the API; the account stays to prefill the form and key the cache. */
  token: string | null;
  account: Account;
  signedInAt: string;
  endedAt?: string;
  endedBy?: 'sign-out' | 'expired';
}

export interface Health {
  gmail: HealthStatus['gmail'];
  api: HealthStatus['api'];
  lastError: HealthStatus['lastError'];
}

export const settingsItem = storedItem<Settings>('settings', 1);
export const sessionItem = storedItem<Session>('session', 1);
export const healthItem = storedItem<Health>('health', 1);

export const emptyHealth = (): Health => ({
  gmail: { hookAttachedAt: null, sidebarMountedAt: null, reportedAt: null, mailboxes: [] },
  api: null,
  lastError: null,
});

/**
 * The sidebar's own keys (context:<thread>, outbox, logging-settings:<mailbox>, …) live under
 * one prefix per CRM account, so a different account signing in on this browser never sees the
 * previous one's cached contacts, and its queued changes wait for it instead of being lost.
 */
export const sidebarPrefix = (account: Account | null | undefined) =>
  `sidebar:${account ? `${account.organization.id}:${account.user.id}` : 'nobody'}:`;

