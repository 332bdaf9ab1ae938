import { describe, expect, it } from 'vitest';
import { contextCache, createIndexedDbStore, createMemoryStore, withMemoryFallback, type KeyValueStore } from './cache.ts';

/**
 * Just enough of IndexedDB's event-based API (open + upgrade, one object store, get/put/delete,
 * transaction completion after its requests) for createIndexedDbStore. Browsers run the real one;
 * this checks the plumbing: callbacks, commit before resolve, copies in and out.
 */
function fakeIndexedDb(): IDBFactory {
  const databases = new Map<string, Map<string, Map<string, unknown>>>();
  const later = (fn: () => void) => setTimeout(fn, 0);
  const request = <T>(result: () => T) => {
    const req = { result: undefined as T, error: null, onsuccess: null as null | (() => void), onerror: null };
    return { req, run: () => ((req.result = result()), req.onsuccess?.()) };
  };
  return {
    open(name: string) {
      const isNew = !databases.has(name);
      const stores = databases.get(name) ?? new Map<string, Map<string, unknown>>();
      databases.set(name, stores);
      const db = {
        createObjectStore: (storeName: string) => stores.set(storeName, new Map()),
        transaction: (storeName: string) => {
          const data = stores.get(storeName)!;
          const pending: (() => void)[] = [];
          const tx = {
            oncomplete: null as null | (() => void),
            onerror: null,
            onabort: null,
            error: null,
            objectStore: () => ({
              get: (key: string) => { const r = request(() => structuredClone(data.get(key))); pending.push(r.run); return r.req; },
              put: (value: unknown, key: string) => { const r = request(() => (data.set(key, structuredClone(value)), key)); pending.push(r.run); return r.req; },
              delete: (key: string) => { const r = request(() => (data.delete(key), undefined)); pending.push(r.run); return r.req; },
            }),
          };
          later(() => {
            pending.forEach((run) => run());
            tx.oncomplete?.();
          });
          return tx;
        },
      };
      const openRequest = { result: db, error: null, onupgradeneeded: null as null | (() => void), onsuccess: null as null | (() => void), onerror: null };
      later(() => {
        if (isNew) openRequest.onupgradeneeded?.();
        openRequest.onsuccess?.();
      });
      return openRequest;
    },
  } as unknown as IDBFactory;
}

describe.each([
  ['memory', () => createMemoryStore()],
  ['IndexedDB', () => createIndexedDbStore({ indexedDB: fakeIndexedDb() })],
] as [string, () => KeyValueStore][])('%s store', (_name, make) => {
  it('gets what was set, nothing after delete, and never shares objects with the caller', async () => {
    const store = make();
    const value = { items: [{ key: 'a' }] };
    await store.set('outbox', value);
    value.items.push({ key: 'b' });
    const read = await store.get<typeof value>('outbox');
    expect(read).toEqual({ items: [{ key: 'a' }] });
    read!.items.length = 0;
    expect(await store.get('outbox')).toEqual({ items: [{ key: 'a' }] });
    await store.delete('outbox');
    expect(await store.get('outbox')).toBeUndefined();
  });
});

it('IndexedDB: a second store on the same database sees what the first wrote (a reload, another tab)', async () => {
  const factory = fakeIndexedDb();
  await createIndexedDbStore({ indexedDB: factory }).set('pipelines', [{ id: 'p1' }]);
  expect(await createIndexedDbStore({ indexedDB: factory }).get('pipelines')).toEqual([{ id: 'p1' }]);
});

it('IndexedDB: a clear error where there is none', async () => {
  // This file runs in Node, which has no indexedDB.
  await expect(createIndexedDbStore().get('x')).rejects.toThrow('IndexedDB is not available here');
});

it('contextCache keeps one entry per thread', async () => {
  const store = createMemoryStore();
  const entry = { context: { contacts: [], unknownEmails: ['a@b.test'], companies: [], deals: [], activities: [], tasks: [], tracking: [] }, emails: ['a@b.test'], savedAt: '2026-11-20T10:00:00.000Z' };
  await contextCache.write(store, 't1', entry);
  expect(await contextCache.read(store, 't1')).toEqual(entry);
  expect(await contextCache.read(store, 't2')).toBeUndefined();
});

it('withMemoryFallback: what a failing store could not keep is kept in memory for the session', async () => {
  let broken = false;
  const inner = createMemoryStore();
  const failing: KeyValueStore = {
    get: (key) => (broken ? Promise.reject(new Error('QuotaExceededError')) : inner.get(key)),
    set: (key, value) => (broken ? Promise.reject(new Error('QuotaExceededError')) : inner.set(key, value)),
    delete: (key) => (broken ? Promise.reject(new Error('QuotaExceededError')) : inner.delete(key)),
  };
  const store = withMemoryFallback(failing);
  await store.set('outbox', ['a']);
  broken = true;
  await store.set('outbox', ['a', 'b']);
  expect(await store.get('outbox')).toEqual(['a', 'b']);
  broken = false;
  // The store works again but still holds the old list: the unsaved one wins until it is written.
  expect(await store.get('outbox')).toEqual(['a', 'b']);
  await store.set('outbox', ['a', 'b', 'c']);
  expect(await inner.get('outbox')).toEqual(['a', 'b', 'c']);
  broken = true;
  expect(await store.get('never-written')).toBeUndefined();
});
