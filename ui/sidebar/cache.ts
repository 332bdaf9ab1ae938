// Local persistence for the sidebar: the last known context per thread, the outbox, logging
// settings and records. Hosts pass a KeyValueStore: IndexedDB in pages, extension storage in the
// extension (its own adapter), memory in tests.
import type { ThreadContext } from '../api-client/api-types.ts';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createMemoryStore(initial: Record<string, unknown> = {}): KeyValueStore {
  // structuredClone so callers never share objects with the store, as with a real one.
  const data = new Map<string, unknown>(Object.entries(initial).map(([k, v]) => [k, structuredClone(v)]));
  return {
    get: async <T>(key: string) => (data.has(key) ? (structuredClone(data.get(key)) as T) : undefined),
    set: async (key, value) => void data.set(key, structuredClone(value)),
    delete: async (key) => void data.delete(key),
  };
}

export interface IndexedDbStoreOptions {
  databaseName?: string;
  storeName?: string;
  indexedDB?: IDBFactory;
}

/** A KeyValueStore on one IndexedDB object store (out-of-line keys, structured-clone values). */
export function createIndexedDbStore(options: IndexedDbStoreOptions = {}): KeyValueStore {
  const databaseName = options.databaseName ?? 'inbox-crm-sidebar';
  const storeName = options.storeName ?? 'kv';
  let opened: Promise<IDBDatabase> | null = null;

  const open = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const factory = options.indexedDB ?? globalThis.indexedDB;
      if (!factory) return reject(new Error('IndexedDB is not available here'));
      const request = factory.open(databaseName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    }).catch((err: unknown) => {
      opened = null; // let a later call try again
      throw err;
    }));

  async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const request = work(tx.objectStore(storeName));
      // Resolve on commit, not on the request, so a write is durable when the promise settles.
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB request failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  return {
    get: <T>(key: string) => run<T | undefined>('readonly', (s) => s.get(key)),
    set: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
  };
}

/**
 * Keeps the sidebar working when the local store fails (quota, private browsing, a wiped
 * profile): what could not be written is kept in memory for this session and read from there.
 */
export function withMemoryFallback(store: KeyValueStore): KeyValueStore {
  const unsaved = new Map<string, unknown>();
  return {
    async get<T>(key: string) {
      if (unsaved.has(key)) return structuredClone(unsaved.get(key)) as T | undefined;
      try {
        return await store.get<T>(key);
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await store.set(key, value);
        unsaved.delete(key);
      } catch {
        unsaved.set(key, structuredClone(value));
      }
    },
    async delete(key) {
      try {
        await store.delete(key);
        unsaved.delete(key);
      } catch {
        unsaved.set(key, undefined);
      }
    },
  };
}

export interface CachedContext {
  /** `tracking` is refreshed on its own (SidebarModel.refreshTracking); contexts cached before it existed lack it. */
  context: ThreadContext;
  /** The participant addresses it answers for; a thread whose people changed is refetched anyway. */
  emails: string[];
  savedAt: string;
}

const contextKey = (threadId: string) => `context:${threadId}`;

export const contextCache = {
  read: (store: KeyValueStore, threadId: string) => store.get<CachedContext>(contextKey(threadId)),
  write: (store: KeyValueStore, threadId: string, entry: CachedContext) => store.set(contextKey(threadId), entry),
};
