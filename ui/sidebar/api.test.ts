import { describe, expect, it } from 'vitest';
import { ApiError, createFetchApi } from './api.ts';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(answer: (req: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    return answer(req);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('createFetchApi', () => {
  it('calls /api/v1 with the bearer token, JSON bodies and the idempotency key', async () => {
    const { fetch, seen } = fakeFetch(() => json(201, { id: 'c1' }));
    const api = createFetchApi({ baseUrl: 'http://localhost:8787/', getToken: async () => 'tok', fetch });
    await api.createContact({ email: 'ann@acme.test', firstName: 'Ann' }, { idempotencyKey: 'k1' });
    await api.addNote({ body: 'Met at the fair', contactIds: ['c1'] });
    await api.completeTask('t 1');
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', 'http://localhost:8787/api/v1/contacts', { email: 'ann@acme.test', firstName: 'Ann' }],
      ['POST', 'http://localhost:8787/api/v1/activities', { type: 'note', body: 'Met at the fair', contactIds: ['c1'] }],
      ['PATCH', 'http://localhost:8787/api/v1/tasks/t%201', { completed: true }],
    ]);
    expect(seen[0]!.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json', 'Idempotency-Key': 'k1' });
    expect(seen[1]!.headers['Idempotency-Key']).toBeUndefined();
  });

  it('accepts a base URL that already ends in /api/v1, encodes the context query and unwraps pipelines', async () => {
    const { fetch, seen } = fakeFetch((req) => (req.url.includes('/pipelines') ? json(200, { data: [{ id: 'p1' }] }) : json(200, { contacts: [] })));
    const api = createFetchApi({ baseUrl: 'https://crm.test/api/v1', getToken: () => 'tok', fetch });
    await api.getContext(['ann@acme.test', 'bob+x@b.test']);
    expect(await api.listPipelines()).toEqual([{ id: 'p1' }]);
    expect(seen[0]!.url).toBe('https://crm.test/api/v1/context?emails=ann%40acme.test%2Cbob%2Bx%40b.test');
  });

  it.each([
    { name: '401 is UNAUTHENTICATED', response: () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'Session expired' } }), code: 'UNAUTHENTICATED', status: 401, message: 'Session expired' },
    { name: 'the server’s code and message are kept', response: () => json(403, { error: { code: 'FORBIDDEN', message: 'Only the deal’s owner can change it' } }), code: 'FORBIDDEN', status: 403, message: 'Only the deal’s owner can change it' },
    { name: 'details come along', response: () => json(409, { error: { code: 'CONFLICT', message: 'exists', details: { existingId: 'x' } } }), code: 'CONFLICT', status: 409, message: 'exists' },
    { name: 'an unknown code falls back to the status', response: () => json(404, { error: { code: 'WHAT', message: 'gone' } }), code: 'NOT_FOUND', status: 404, message: 'gone' },
    { name: 'a gateway error means the API is unreachable', response: () => new Response('<html>Bad gateway</html>', { status: 502 }), code: 'OFFLINE', status: 502, message: 'The server answered 502' },
    { name: '429 is RATE_LIMITED', response: () => new Response('', { status: 429 }), code: 'RATE_LIMITED', status: 429, message: 'The server answered 429' },
    { name: '500 is INTERNAL', response: () => json(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } }), code: 'INTERNAL', status: 500, message: 'Something went wrong on our side' },
    { name: 'unreadable success is BAD_RESPONSE', response: () => new Response('not json', { status: 200 }), code: 'BAD_RESPONSE', status: 200, message: 'The CRM sent an answer the sidebar cannot read' },
  ])('$name', async ({ response, code, status, message }) => {
    const { fetch } = fakeFetch(response);
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch });
    const error = await failure(api.updateDeal('d1', { stage: 's1' }));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({ code, status, message });
  });

  it('turns a network failure into OFFLINE', async () => {
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch });
    const error = await failure(api.getContext(['a@b.test']));
    expect([error.code, error.status]).toEqual(['OFFLINE', 0]);
  });

  it('turns no answer in time into OFFLINE', async () => {
    const hang = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: hang, timeoutMs: 20 });
    const error = await failure(api.me());
    expect([error.code, error.message]).toEqual(['OFFLINE', 'The CRM did not answer in time']);
  });

  it('without a token, fails as signed out without calling the API', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, {}));
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => null, fetch });
    expect((await failure(api.getContext(['a@b.test']))).code).toBe('UNAUTHENTICATED');
    expect(seen).toHaveLength(0);
  });

  it('calls the tracking routes with the contract’s bodies and unwraps lists', async () => {
    const { fetch, seen } = fakeFetch((req) =>
      req.method === 'GET' && req.url.includes('/tracking/messages') ? json(200, { data: [{ id: 'tm1' }] }) : req.url.endsWith('/sender-views') ? new Response(null, { status: 204 }) : json(200, { ok: true }),
    );
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch });
    await api.trackingDecision({ to: ['ann@acme.test'], cc: [], bcc: [] });
    await api.registerTrackedMessage({ to: ['ann@acme.test'], html: '<p>Hi</p>', subject: 'Hi', threadId: null, optOutLink: true });
    await api.markTrackedMessageSent('tm 1', { messageId: '<m1@x.test>', threadId: 'demo-t1' });
    await api.reportSenderView(['<m1@x.test>']);
    expect(await api.listTrackedMessages({ messageIds: ['<m1@x.test>', '<m2@x.test>'] })).toEqual([{ id: 'tm1' }]);
    await api.listTrackedMessages({ threadIds: ['t1'] });
    await api.trackingSettings();
    await api.updateTrackingSettings({ trackByDefault: false });
    await api.listNotifications({ unread: true });
    await api.markNotificationRead('n1');
    expect(seen.map((s) => [s.method, s.url.replace('http://api.test/api/v1', ''), s.body])).toEqual([
      ['POST', '/tracking/decision', { to: ['ann@acme.test'], cc: [], bcc: [] }],
      ['POST', '/tracking/messages', { to: ['ann@acme.test'], html: '<p>Hi</p>', subject: 'Hi', threadId: null, optOutLink: true }],
      ['POST', '/tracking/messages/tm%201/sent', { messageId: '<m1@x.test>', threadId: 'demo-t1' }],
      ['POST', '/tracking/sender-views', { messageIds: ['<m1@x.test>'] }],
      ['GET', '/tracking/messages?messageIds=%3Cm1%40x.test%3E%2C%3Cm2%40x.test%3E', undefined],
      ['GET', '/tracking/messages?threadIds=t1', undefined],
      ['GET', '/tracking/settings', undefined],
      ['PATCH', '/tracking/settings', { trackByDefault: false }],
      ['GET', '/notifications?unread=true', undefined],
      ['POST', '/notifications/n1/read', undefined],
    ]);
  });

  it('gives up on one call sooner when asked to (registering at send time)', async () => {
    // Like fetch: fails at once with a signal already aborted, or when it aborts.
    const hang = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        if (init?.signal?.aborted) reject(init.signal.reason);
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      })) as typeof fetch;
    const api = createFetchApi({ baseUrl: 'http://api.test', getToken: () => 'tok', fetch: hang });
    const started = Date.now();
    const error = await failure(api.registerTrackedMessage({ to: ['a@b.test'], html: '' }, { timeoutMs: 30 }));
    expect([error.code, error.message]).toEqual(['OFFLINE', 'The CRM did not answer in time']);
    expect(Date.now() - started).toBeLessThan(1000);
    const controller = new AbortController();
    const aborted = failure(api.trackingDecision({ to: ['a@b.test'] }, { signal: controller.signal }));
    controller.abort();
    expect((await aborted).code).toBe('OFFLINE');
  });
});
