// What the sidebar page (sidebar.html, framed in Gmail's panel) gets from the worker: the API calls
// of the sidebar, relayed with the session token, and its key-value store in storage.local.
//
// The relay lets through exactly the sidebar's routes: ui/api-client/sidebar-api.ts `sidebarRoutes`,
// the list the sidebar's own client is typed by. Anything else (sessions, API keys, members,
// tracking settings changes, sender views) is refused with 403 before it leaves the worker.
import { matchRoute } from '../../ui/api-client/routes.ts';
import { sidebarRoutes } from '../../ui/api-client/sidebar-api.ts';
import type { CrmAnswers, RelayAnswer, RelayRequest } from '../messages.ts';
import type { ApiAccess } from './api-access.ts';
import { sessionItem, sidebarPrefix, type StorageAreaLike } from './stored.ts';

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const isQuotaError = (err: unknown) => /quota/i.test(err instanceof Error ? err.message : String(err));
const validKey = (key: unknown): key is string => typeof key === 'string' && key.length > 0 && key.length <= 512;

/** The route of the sidebar's list that `method path` is, if any; `path` starts at the API's origin (/api/v1/…). */
function sidebarRouteOf(method: string, path: string, apiBasePath = '') {
  const prefix = `${apiBasePath}/api/v1`;
  return path.startsWith(`${prefix}/`) ? matchRoute(sidebarRoutes, method, path.slice(prefix.length)) : null;
}

export function createSidebarRelay(deps: { storage: StorageAreaLike; access: ApiAccess }) {
  const { storage, access } = deps;

  async function relay(request: RelayRequest): Promise<RelayAnswer> {
    const base = await access.apiUrl();
    const refused = (what: string) => ({ kind: 'response', ok: false, status: 403, body: errorJson('FORBIDDEN', `The extension does not relay ${request.method} ${what}`) }) as const;
    let target: URL;
    try {
      target = new URL(base + request.path);
    } catch {
      return { kind: 'response', ok: false, status: 400, body: errorJson('VALIDATION_FAILED', 'Not an API path') };
    }
    // Checked after URL normalization, so /api/v1/contacts/../session is refused too.
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    if (!request.path.startsWith('/') || target.origin !== new URL(base).origin || !sidebarRouteOf(request.method, target.pathname, basePath)) {
      return refused(target.pathname.startsWith(basePath) ? target.pathname.slice(basePath.length) : request.path);
    }
    return access.forward(request.method, target.pathname.slice(basePath.length) + target.search, { body: request.body, idempotencyKey: request.idempotencyKey });
  }

  const storeKey = async (key: string) => sidebarPrefix((await sessionItem.get(storage))?.account) + key;

  /** Frees room by forgetting the oldest half of the cached thread contexts (they are only a cache). */
  async function pruneContexts(prefix: string) {
    const all = await storage.get(null);
    const cached = Object.entries(all)
      .filter(([k]) => k.startsWith(`${prefix}context:`))
      .map(([k, v]) => ({ k, savedAt: String((v as { savedAt?: unknown } | null)?.savedAt ?? '') }))
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    if (cached.length) await storage.remove(cached.slice(0, Math.ceil(cached.length / 2)).map((c) => c.k));
  }

  async function storeGet(key: unknown): Promise<CrmAnswers['crm:store-get']> {
    if (!validKey(key)) return { value: undefined };
    const full = await storeKey(key);
    return { value: (await storage.get(full))[full] };
  }

  async function storeSet(key: unknown, value: unknown): Promise<CrmAnswers['crm:store-set']> {
    if (!validKey(key)) return { ok: false, message: 'Invalid key' };
    const full = await storeKey(key);
    try {
      await storage.set({ [full]: value });
    } catch (err) {
      if (!isQuotaError(err)) return { ok: false, message: err instanceof Error ? err.message : String(err) };
      await pruneContexts(full.slice(0, full.length - key.length));
      try {
        await storage.set({ [full]: value });
      } catch (again) {
        return { ok: false, message: again instanceof Error ? again.message : String(again) };
      }
    }
    return { ok: true };
  }

  async function storeDelete(key: unknown): Promise<CrmAnswers['crm:store-delete']> {
    if (validKey(key)) await storage.remove(await storeKey(key));
    return { ok: true };
  }

  return { relay, storeGet, storeSet, storeDelete };
}
