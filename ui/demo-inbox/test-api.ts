// For the demo inbox's tests: the sidebar's in-memory FakeCrm behind the HTTP routes the page and
// the sidebar call (sessions with bearer tokens, the directory reads, context, email logging,
// tracking and notifications), answering in the API's wire format. Every answer, intercepted ones
// included, is checked against the API's response schemas (ui/api-client/test-contract.ts).
import { ApiError } from '../api-client/api-error.ts';
import { checkAnswer, contractResponse } from '../api-client/test-contract.ts';
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

/** The intercepted answer, once its body passed the contract. */
async function checked(method: string, path: string, response: Response): Promise<Response> {
  const text = await response.clone().text();
  checkAnswer(method, path, response.status, text ? JSON.parse(text) : null);
  return response;
}

export function createFakeApi(crm = new FakeCrm()): FakeApi {
  const sessions = new Set<string>();
  let seq = 0;
  const organization = { id: crm.pipelines[0]!.id, name: 'Seller Inc' };

  async function route(method: string, path: string, url: URL, body: Record<string, unknown>, token: string | null): Promise<Response> {
    const json = (status: number, answer?: unknown) => contractResponse(method, path, status, answer);
    const refuse = (status: number, code: string, message: string) => json(status, { error: { code, message } });
    if (method === 'POST' && path === '/session') {
      if (body.email !== rep.email || body.password !== PASSWORD) return refuse(401, 'UNAUTHENTICATED', 'Wrong email or password');
      const token = `token-${++seq}`;
      sessions.add(token);
      return json(200, { token, user: rep, organization, role: 'rep' });
    }
    if (!token || !sessions.has(token)) return refuse(401, 'UNAUTHENTICATED', 'Sign in first');
    const one = <T extends { id: string }>(list: T[], id: string) => {
      const found = list.find((x) => x.id === id);
      return found ? json(200, found) : refuse(404, 'NOT_FOUND', 'Not found');
    };
    const list = (name: string) => (url.searchParams.get(name) ?? '').split(',').filter(Boolean);
    let m: RegExpExecArray | null;
    if (method === 'DELETE' && path === '/session') {
      sessions.delete(token);
      return json(204);
    }
    if (method === 'GET' && path === '/me') return json(200, { user: rep, organization, role: 'rep', organizations: [{ ...organization, role: 'rep' }] });
    if (method === 'GET' && path === '/members') {
      return json(200, { data: [rep, colleague].map((u, i) => ({ userId: u.id, name: u.name, email: u.email, role: i === 0 ? 'rep' : 'manager', teamId: null, joinedAt: '2026-01-01T00:00:00.000Z', deactivatedAt: null })) });
    }
    if (method === 'GET' && path === '/deals') {
      const deals = crm.deals.filter((d) => url.searchParams.get('status') !== 'open' || !d.outcome).map((d) => ({ ...d, risk: d.risk ?? null }));
      return json(200, { data: deals, nextCursor: null });
    }
    if (method === 'GET' && path === '/contacts') {
      const owner = url.searchParams.get('ownerId');
      return json(200, { data: crm.contacts.filter((c) => !owner || c.ownerId === owner), nextCursor: null });
    }
    if (method === 'GET' && (m = /^\/contacts\/([^/]+)$/.exec(path))) return one(crm.contacts, m[1]!);
    if (method === 'GET' && (m = /^\/companies\/([^/]+)$/.exec(path))) return one(crm.companies, m[1]!);
    // The rest is the FakeCrm's, which checks its own answers.
    if (method === 'GET' && path === '/context') return json(200, await crm.getContext(list('emails'), list('messageIds')));
    if (method === 'POST' && path === '/tracking/decision') return json(200, await crm.trackingDecision(body as never));
    if (method === 'POST' && path === '/tracking/messages') {
      const registration = await crm.registerTrackedMessage(body as never);
      return json(registration.trackedMessageId ? 201 : 200, registration);
    }
    if (method === 'POST' && (m = /^\/tracking\/messages\/([^/]+)\/sent$/.exec(path))) return json(200, await crm.markTrackedMessageSent(decodeURIComponent(m[1]!), body as never));
    if (method === 'GET' && path === '/tracking/messages') {
      return json(200, { data: await crm.listTrackedMessages(url.searchParams.has('messageIds') ? { messageIds: list('messageIds') } : { threadIds: list('threadIds') }) });
    }
    if (method === 'POST' && path === '/tracking/sender-views') {
      const messageIds = (body as { messageIds: string[] }).messageIds;
      await crm.reportSenderView(messageIds);
      return json(200, { recorded: crm.tracked.filter((t) => t.messageId && messageIds.includes(t.messageId)).length });
    }
    if (method === 'GET' && path === '/tracking/settings') return json(200, await crm.trackingSettings());
    if (method === 'PATCH' && path === '/tracking/settings') return json(200, await crm.updateTrackingSettings(body as never));
    if (method === 'GET' && path === '/notifications') {
      const limit = url.searchParams.get('limit');
      return json(200, await crm.listNotifications({ unread: url.searchParams.get('unread') === 'true' || undefined, ...(limit ? { limit: Number(limit) } : {}) }));
    }
    if (method === 'POST' && (m = /^\/notifications\/([^/]+)\/read$/.exec(path))) return json(200, await crm.markNotificationRead(m[1]!));
    if (method === 'GET' && path === '/pipelines') return json(200, { data: await crm.listPipelines() });
    if (method === 'POST' && path === '/emails') return json(200, await crm.logEmail(body as never));
    if (method === 'POST' && path === '/contacts') return json(201, await crm.createContact(body as never));
    return refuse(404, 'NOT_FOUND', `No route for ${method} ${path}`);
  }

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
      const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '') ?? null;
      if (token && sessions.has(token)) {
        const intercepted = api.intercept?.(method, path, init);
        if (intercepted) return checked(method, path, await intercepted);
      }
      try {
        return await route(method, path, url, body, token);
      } catch (err) {
        // The FakeCrm refuses with an ApiError, as the API would answer it; status 0 is no answer at all.
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 0) throw new TypeError('Failed to fetch');
        return contractResponse(method, path, err.status || 500, { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      }
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
