import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { call, createApiClient } from './api-client.ts';
import { createSidebarApi } from './sidebar-api.ts';
import { createTrackingApi } from './tracking-api.ts';

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

function fakeFetch(answer: (req: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    return answer(req);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Like fetch: fails at once with a signal already aborted, or when it aborts. */
const hang = ((_: unknown, init?: RequestInit) =>
  new Promise((_resolve, reject) => {
    if (init?.signal?.aborted) reject(init.signal.reason);
    init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
  })) as typeof fetch;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('the sidebar’s calls', () => {
  it('go to /api/v1 with the bearer token, JSON bodies and the idempotency key', async () => {
    const { fetch, seen } = fakeFetch(() => json(201, { id: 'c1' }));
    const api = createSidebarApi({ baseUrl: 'http://localhost:8787/', getToken: async () => 'tok', fetch });
    await api.createContact({ email: 'ann@acme.test', firstName: 'Ann' }, { idempotencyKey: 'k1' });
    await api.addNote({ body: 'Met at the fair', contactIds: ['c1'] });
    await api.completeTask('t 1');
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', 'http://localhost:8787/api/v1/contacts', { email: 'ann@acme.test', firstName: 'Ann' }],
      ['POST', 'http://localhost:8787/api/v1/activities', { type: 'note', body: 'Met at the fair', contactIds: ['c1'] }],
      ['PATCH', 'http://localhost:8787/api/v1/tasks/t%201', { completed: true }],
    ]);
    expect(Object.fromEntries(seen[0]!.headers)).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json', 'idempotency-key': 'k1', accept: 'application/json' });
    expect(seen[1]!.headers.get('Idempotency-Key')).toBeNull();
  });

  it('accept a base URL that already ends in /api/v1, encode the context query and unwrap lists', async () => {
    const { fetch, seen } = fakeFetch((req) =>
      req.url.includes('/pipelines') ? json(200, { data: [{ id: 'p1' }] }) : req.url.includes('/tracking/messages') ? json(200, { data: [{ id: 'tm1' }] }) : json(200, { contacts: [] }),
    );
    const api = createSidebarApi({ baseUrl: 'https://crm.test/api/v1', getToken: () => 'tok', fetch });
    await api.getContext(['ann@acme.test', 'bob+x@b.test']);
    await api.getContext(['ann@acme.test'], ['<m1@x.test>', '<m2@x.test>']);
    expect(await api.listPipelines()).toEqual([{ id: 'p1' }]);
    expect(await api.listTrackedMessages({ messageIds: ['<m1@x.test>'] })).toEqual([{ id: 'tm1' }]);
    await api.listTrackedMessages({ threadIds: ['t1', 't2'] });
    expect(seen.map((s) => s.url.replace('https://crm.test/api/v1', ''))).toEqual([
      '/context?emails=ann%40acme.test%2Cbob%2Bx%40b.test',
      '/context?emails=ann%40acme.test&messageIds=%3Cm1%40x.test%3E%2C%3Cm2%40x.test%3E',
      '/pipelines',
      '/tracking/messages?messageIds=%3Cm1%40x.test%3E',
      '/tracking/messages?threadIds=t1%2Ct2',
    ]);
  });
});

describe('answers that are not a success become ApiErrors', () => {
  it.each([
    { name: '401 is UNAUTHENTICATED, whatever the body says', response: () => json(401, { error: { code: 'FORBIDDEN', message: 'Session expired' } }), code: 'UNAUTHENTICATED', status: 401, message: 'Session expired' },
    { name: 'the server’s code and message are kept', response: () => json(403, { error: { code: 'FORBIDDEN', message: 'Only the deal’s owner can change it' } }), code: 'FORBIDDEN', status: 403, message: 'Only the deal’s owner can change it' },
    { name: 'details come along', response: () => json(409, { error: { code: 'CONFLICT', message: 'exists', details: { existingId: 'x' } } }), code: 'CONFLICT', status: 409, message: 'exists' },
    { name: 'an unknown code falls back to the status', response: () => json(404, { error: { code: 'WHAT', message: 'gone' } }), code: 'NOT_FOUND', status: 404, message: 'gone' },
    { name: 'a refusal without a body', response: () => new Response('', { status: 409 }), code: 'CONFLICT', status: 409, message: 'The server answered 409' },
    { name: 'a gateway error means the API is unreachable', response: () => new Response('<html>Bad gateway</html>', { status: 502 }), code: 'OFFLINE', status: 502, message: 'The server answered 502' },
    { name: '429 is RATE_LIMITED', response: () => json(429, { error: { code: 'X', message: 'slow down' } }), code: 'RATE_LIMITED', status: 429, message: 'slow down' },
    { name: '500 is INTERNAL', response: () => json(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } }), code: 'INTERNAL', status: 500, message: 'Something went wrong on our side' },
    { name: 'an unreadable success (a captive portal) is BAD_RESPONSE', response: () => new Response('<html>Sign in to the Wi-Fi</html>', { status: 200 }), code: 'BAD_RESPONSE', status: 200, message: 'The CRM sent an answer that cannot be read' },
  ])('$name', async ({ response, code, status, message }) => {
    const { fetch } = fakeFetch(response);
    const api = createSidebarApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch });
    const error = await failure(api.updateDeal('d1', { stage: 's1' }));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({ code, status, message });
  });

  it('a success declared as CSV is read as text (an export), one that only looks like CSV is not', async () => {
    const csv = 'stage,deals\r\nProposal,3\r\n';
    const { fetch } = fakeFetch(() => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    const client = createApiClient({ baseUrl: 'http://api.test', fetch });
    expect(await call(client.GET('/reports/pipeline-by-stage', { params: { query: { format: 'csv' } }, parseAs: 'text' }))).toBe(csv);
    const { fetch: undeclared } = fakeFetch(() => new Response(csv, { status: 200 }));
    const error = await failure(call(createApiClient({ baseUrl: 'http://api.test', fetch: undeclared }).GET('/reports/pipeline-by-stage', { params: { query: { format: 'csv' } }, parseAs: 'text' })));
    expect(error.code).toBe('BAD_RESPONSE');
  });

  it('a network failure is OFFLINE', async () => {
    const api = createSidebarApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch });
    const error = await failure(api.getContext(['a@b.test']));
    expect([error.code, error.status, error.message]).toEqual(['OFFLINE', 0, 'The CRM cannot be reached']);
  });

  it('no answer in time is OFFLINE', async () => {
    const api = createSidebarApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: hang, timeoutMs: 20 });
    const error = await failure(api.listPipelines());
    expect([error.code, error.message]).toEqual(['OFFLINE', 'The CRM did not answer in time']);
  });

  it('without a token, a call fails as signed out without reaching the API', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, {}));
    const api = createSidebarApi({ baseUrl: 'http://api.test', getToken: () => null, fetch });
    expect((await failure(api.getContext(['a@b.test']))).code).toBe('UNAUTHENTICATED');
    expect(seen).toHaveLength(0);
  });

  it('a client without getToken calls the public routes without a token (signing in)', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { token: 't' }));
    const client = createApiClient({ baseUrl: 'http://api.test', fetch });
    expect(await call(client.POST('/session', { body: { email: 'a@b.test', password: 'correct-horse' } }))).toEqual({ token: 't' });
    expect(seen[0]!.headers.get('authorization')).toBeNull();
  });
});

describe('the tracking calls', () => {
  it('use the contract’s routes and bodies', async () => {
    const { fetch, seen } = fakeFetch((req) => (req.url.endsWith('/sender-views') ? json(200, { recorded: 1 }) : json(200, { ok: true })));
    const api = createTrackingApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch });
    await api.trackingDecision({ to: ['ann@acme.test'], cc: [], bcc: [] });
    await api.registerTrackedMessage({ to: ['ann@acme.test'], cc: [], bcc: [], html: '<p>Hi</p>', subject: 'Hi', threadId: null, optOutLink: true });
    await api.markTrackedMessageSent('tm 1', { messageId: '<m1@x.test>', threadId: 'demo-t1' });
    await api.reportSenderView(['<m1@x.test>']);
    await api.trackingSettings();
    await api.updateTrackingSettings({ trackByDefault: false });
    expect(seen.map((s) => [s.method, s.url.replace('http://api.test/api/v1', ''), s.body])).toEqual([
      ['POST', '/tracking/decision', { to: ['ann@acme.test'], cc: [], bcc: [] }],
      ['POST', '/tracking/messages', { to: ['ann@acme.test'], cc: [], bcc: [], html: '<p>Hi</p>', subject: 'Hi', threadId: null, optOutLink: true }],
      ['POST', '/tracking/messages/tm%201/sent', { messageId: '<m1@x.test>', threadId: 'demo-t1' }],
      ['POST', '/tracking/sender-views', { messageIds: ['<m1@x.test>'] }],
      ['GET', '/tracking/settings', undefined],
      ['PATCH', '/tracking/settings', { trackByDefault: false }],
    ]);
  });

  it('give up on one call sooner when asked to (registering at send time), or when the caller aborts', async () => {
    const api = createTrackingApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: hang });
    const started = Date.now();
    const error = await failure(api.registerTrackedMessage({ to: ['a@b.test'], cc: [], bcc: [], html: '', optOutLink: false }, { timeoutMs: 30 }));
    expect([error.code, error.message]).toEqual(['OFFLINE', 'The CRM did not answer in time']);
    expect(Date.now() - started).toBeLessThan(1000);
    const controller = new AbortController();
    const aborted = failure(api.trackingDecision({ to: ['a@b.test'], cc: [], bcc: [] }, { signal: controller.signal }));
    controller.abort();
    expect((await aborted).code).toBe('OFFLINE');
  });
});
