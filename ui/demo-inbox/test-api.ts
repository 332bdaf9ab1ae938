// For the demo inbox's tests: the sidebar's in-memory FakeCrm behind the HTTP routes the page and
// the sidebar call (sessions with bearer tokens, the directory reads, context, email logging,
// tracking and notifications), answering in the API's wire format.
import { colleague, FakeCrm, rep } from '../sidebar/test-fakes.ts';

export const PASSWORD = 'demo-password';

export interface FakeApi {
  fetch: typeof fetch;
  crm: FakeCrm;
  requests: { method: string; path: string; body?: unknown }[];
  /** Ends every session, as a server restart with a new secret would. */
  expireSessions(): void;
  online: boolean;
  /** Answers a request instead of the routes (a hang, an error), when it returns something. */
  intercept?: (method: string, path: string, init?: RequestInit) => Promise<Response> | Response | undefined;
}

export function createFakeApi(crm = new FakeCrm()): FakeApi {
  const sessions = new Set<string>();
  let seq = 0;
  const api: FakeApi = {
    crm,
    requests: [],
    online: true,
    expireSessions: () => sessions.clear(),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      const path = url.pathname.replace(/^\/api\/v1/, '');
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
      api.requests.push({ method, path: path + url.search, ...(typeof init?.body === 'string' ? { body } : {}) });
      if (!api.online) throw new TypeError('Failed to fetch');
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

      if (method === 'POST' && path === '/session') {
        if (body.email !== rep.email || body.password !== PASSWORD) return json(401, { error: { code: 'UNAUTHENTICATED', message: 'Wrong email or password' } });
        const token = `token-${++seq}`;
        sessions.add(token);
        return json(200, { token, user: rep, organization: { id: crm.pipelines[0]!.id, name: 'Seller Inc' }, role: 'rep' });
      }
      const token = ((init?.headers ?? {}) as Record<string, string>).Authorization?.replace(/^Bearer /, '');
      if (!token || !sessions.has(token)) return json(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } });
      const intercepted = api.intercept?.(method, path, init);
      if (intercepted) return intercepted;

      const one = <T extends { id: string }>(list: T[], id: string) => {
        const found = list.find((x) => x.id === id);
        return found ? json(200, found) : json(404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
      };
      let m: RegExpExecArray | null;
      if (method === 'DELETE' && path === '/session') {
        sessions.delete(token);
        return new Response(null, { status: 204 });
      }
      if (method === 'GET' && path === '/me') return json(200, { user: rep, organization: { id: crm.pipelines[0]!.id, name: 'Seller Inc' }, role: 'rep', organizations: [] });
      if (method === 'GET' && path === '/members') {
        return json(200, { data: [rep, colleague].map((u, i) => ({ userId: u.id, name: u.name, email: u.email, role: i === 0 ? 'rep' : 'manager', teamId: null, joinedAt: '2026-01-01T00:00:00.000Z' })) });
      }
      if (method === 'GET' && path === '/deals') {
        return json(200, { data: crm.deals.filter((d) => url.searchParams.get('status') !== 'open' || !d.outcome), nextCursor: null });
      }
      if (method === 'GET' && path === '/contacts') {
        const owner = url.searchParams.get('ownerId');
        return json(200, { data: crm.contacts.filter((c) => !owner || c.ownerId === owner), nextCursor: null });
      }
      if (method === 'GET' && (m = /^\/contacts\/([^/]+)$/.exec(path))) return one(crm.contacts, m[1]!);
      if (method === 'GET' && (m = /^\/companies\/([^/]+)$/.exec(path))) return one(crm.companies, m[1]!);
      const list = (name: string) => (url.searchParams.get(name) ?? '').split(',').filter(Boolean);
      if (method === 'GET' && path === '/context') return json(200, await crm.getContext(list('emails'), list('messageIds')));
      if (method === 'POST' && path === '/tracking/decision') return json(200, await crm.trackingDecision(body as never));
      if (method === 'POST' && path === '/tracking/messages') return json(201, await crm.registerTrackedMessage(body as never));
      if (method === 'POST' && (m = /^\/tracking\/messages\/([^/]+)\/sent$/.exec(path))) return json(200, await crm.markTrackedMessageSent(decodeURIComponent(m[1]!), body as never));
      if (method === 'GET' && path === '/tracking/messages') {
        return json(200, { data: await crm.listTrackedMessages(url.searchParams.has('messageIds') ? { messageIds: list('messageIds') } : { threadIds: list('threadIds') }) });
      }
      if (method === 'POST' && path === '/tracking/sender-views') {
        await crm.reportSenderView((body as { messageIds: string[] }).messageIds);
        return new Response(null, { status: 204 });
      }
      if (method === 'GET' && path === '/tracking/settings') return json(200, await crm.trackingSettings());
      if (method === 'PATCH' && path === '/tracking/settings') return json(200, await crm.updateTrackingSettings(body as never));
      if (method === 'GET' && path === '/notifications') return json(200, await crm.listNotifications({ unread: url.searchParams.get('unread') === 'true' || undefined }));
      if (method === 'POST' && (m = /^\/notifications\/([^/]+)\/read$/.exec(path))) return json(200, await crm.markNotificationRead(m[1]!));
      if (method === 'GET' && path === '/pipelines') return json(200, { data: await crm.listPipelines() });
      if (method === 'POST' && path === '/emails') return json(200, await crm.logEmail(body as never));
      if (method === 'POST' && path === '/contacts') return json(201, await crm.createContact(body as never));
      return json(404, { error: { code: 'NOT_FOUND', message: `No route for ${method} ${path}` } });
    }) as typeof fetch,
  };
  return api;
}

/** sessionStorage in memory. */
export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}
