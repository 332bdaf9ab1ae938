import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fakeTrackingBase, type FakeApi } from './fake-api.ts';
import { minuteAlarm } from './open-notifications.ts';
import { deliver, senders, startTestBackground } from './test-background.ts';

let t: ReturnType<typeof startTestBackground>;
let api: FakeApi;
let clock: Date;

beforeEach(async () => {
  clock = new Date('2026-11-21T10:00:00.000Z');
  t = startTestBackground({ clock: () => clock });
  api = t.api;
  await t.signIn();
});

const tracked = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const nonSession = () => api.requests.filter((r) => !r.url.endsWith('/api/v1/session'));

describe('what the Gmail content script may ask', () => {
  it('each tracking message calls its one route, with the token', async () => {
    expect(await t.fromGmail({ type: 'crm:tracking-settings' })).toEqual({ ok: true, settings: { trackByDefault: true, description: 'Opens and clicks are recorded with their time.' } });
    expect(await t.fromGmail({ type: 'crm:tracking-decision', recipients: { to: ['bea@buyer.test'], cc: [], bcc: [] } })).toMatchObject({ ok: true, decision: { track: true, storeIdentity: true } });
    expect(await t.fromGmail({ type: 'crm:sender-view', messageIds: ['gmail:18c0ffee00000001'] })).toEqual({ ok: true });
    expect(await t.fromGmail({ type: 'crm:thread-states', threadIds: ['18c0ffee', '18c0ffef'] })).toEqual({ ok: true, states: [] });
    expect(nonSession().map((r) => `${r.method} ${r.url.replace('http://localhost:8787', '')}`)).toEqual([
      'GET /api/v1/tracking/settings',
      'POST /api/v1/tracking/decision',
      'POST /api/v1/tracking/sender-views',
      'GET /api/v1/tracking/threads?threadIds=18c0ffee%2C18c0ffef',
    ]);
    expect(nonSession().every((r) => r.headers.authorization === 'Bearer tok-1' && r.credentials === 'omit')).toBe(true);
    expect(api.senderViews).toEqual([['gmail:18c0ffee00000001']]);
  });

  it('still gets no relay, no store and no settings change', async () => {
    expect(await deliver({ type: 'crm:relay', request: { method: 'GET', path: '/api/v1/tracking/messages?threadIds=a' } }, senders.gmailTab)).toBe('unanswered');
    expect(await deliver({ type: 'crm:store-get', key: 'outbox' }, senders.gmailTab)).toBe('unanswered');
    expect(await deliver({ type: 'crm:tracking-set-default', trackByDefault: false }, senders.gmailTab)).toBe('unanswered');
    expect(nonSession()).toEqual([]);
  });

  it.each([
    ['a tracked id that is a path', { type: 'crm:tracking-sent', sent: { trackedMessageId: '../../api-keys', messageId: 'gmail:18c0ffee', threadId: null } }],
    ['a message id in another form', { type: 'crm:tracking-sent', sent: { trackedMessageId: tracked(1), messageId: '<x@y>', threadId: null } }],
    ['a thread id with a query in it', { type: 'crm:tracking-sent', sent: { trackedMessageId: tracked(1), messageId: 'gmail:18c0ffee', threadId: 'x?y=1' } }],
    ['an extra field', { type: 'crm:tracking-sent', sent: { trackedMessageId: tracked(1), messageId: 'gmail:18c0ffee', threadId: null, path: '/api/v1/me' } }],
    ['thread ids with a comma', { type: 'crm:thread-states', threadIds: ['a,b'] }],
    ['thread ids that climb', { type: 'crm:thread-states', threadIds: ['../members'] }],
    ['no thread ids', { type: 'crm:thread-states', threadIds: [] }],
    ['101 thread ids', { type: 'crm:thread-states', threadIds: Array.from({ length: 101 }, (_, i) => `t${i}`) }],
    ['sender views of non-Gmail ids', { type: 'crm:sender-view', messageIds: ['demo:1'] }],
    ['a register with a field the contract lacks', { type: 'crm:tracking-register', message: { to: ['a@b.test'], cc: [], bcc: [], html: '<p>x</p>', subject: null, threadId: null, url: 'https://evil.test' } }],
    ['a register with a thread id that is a path', { type: 'crm:tracking-register', message: { to: ['a@b.test'], cc: [], bcc: [], html: '<p>x</p>', subject: null, threadId: '../x' } }],
    ['a decision for a non-address', { type: 'crm:tracking-decision', recipients: { to: ['not an address'], cc: [], bcc: [] } }],
  ])('refuses %s without calling the API', async (_name, message) => {
    expect(await deliver(message, senders.gmailTab)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(nonSession()).toEqual([]);
  });

  it('answers UNAUTHENTICATED without calling the API when nobody is signed in', async () => {
    await t.signOut();
    const before = api.requests.length;
    expect(await t.fromGmail({ type: 'crm:tracking-settings' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(api.requests.length).toBe(before);
  });
});

describe('register', () => {
  const message = { to: ['bea@buyer.test'], cc: [], bcc: [], html: '<p>Hi, see <a href="https://seller.test/pricing">pricing</a></p>', subject: 'Pricing', threadId: '18c0ffee' };

  it('answers the decorated body and the pixel, and sends no opt-out line', async () => {
    const answer = await t.fromGmail({ type: 'crm:tracking-register', message });
    expect(answer).toEqual({
      ok: true,
      registration: {
        decision: expect.objectContaining({ track: true }),
        trackedMessageId: tracked(1),
        html: `<p>Hi, see <a href="${fakeTrackingBase}/c/${tracked(1)}-0">pricing</a></p><img src="${fakeTrackingBase}/o/${tracked(1)}.gif" width="1" height="1" alt="">`,
        pixelUrl: `${fakeTrackingBase}/o/${tracked(1)}.gif`,
      },
    });
    expect(JSON.parse(api.requests.at(-1)!.body!)).toEqual({ ...message, optOutLink: false });
  });

  it('an untracked decision comes back with the body unchanged', async () => {
    api.optedOut.add('bea@buyer.test');
    expect(await t.fromGmail({ type: 'crm:tracking-register', message })).toMatchObject({ ok: true, registration: { trackedMessageId: null, html: message.html, pixelUrl: null, decision: { reason: 'opted_out' } } });
  });

  it('gives up after its own timeout (shorter than compose’s second) and says OFFLINE', async () => {
    api.mode = 'hang';
    const started = Date.now();
    expect(await t.fromGmail({ type: 'crm:tracking-register', message })).toMatchObject({ ok: false, code: 'OFFLINE', message: expect.stringContaining('did not answer within 100 ms') });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('API errors come back with their code', async () => {
    api.trackingStatus = 500;
    expect(await t.fromGmail({ type: 'crm:tracking-register', message })).toEqual({ ok: false, code: 'INTERNAL', message: 'Something went wrong' });
  });
});

describe('sent', () => {
  async function registerOne() {
    const answer = await t.fromGmail({ type: 'crm:tracking-register', message: { to: ['bea@buyer.test'], cc: [], bcc: [], html: '<p>Hi</p>', subject: 'Hi', threadId: null } });
    if (!answer.ok || !answer.registration.trackedMessageId) throw new Error('not registered');
    return answer.registration.trackedMessageId;
  }

  it('reports the Gmail ids of the sent message', async () => {
    const id = await registerOne();
    expect(await t.fromGmail({ type: 'crm:tracking-sent', sent: { trackedMessageId: id, messageId: 'gmail:18c0ffee00000002', threadId: '18c0ffee00000002' } })).toEqual({ ok: true, queued: false });
    expect(api.tracked[0]).toMatchObject({ messageId: 'gmail:18c0ffee00000002', threadId: '18c0ffee00000002', sentAt: '2026-11-21T10:00:00.000Z' });
  });

  it('keeps the report when the API is away and sends it on the next minute tick', async () => {
    const id = await registerOne();
    api.mode = 'down';
    expect(await t.fromGmail({ type: 'crm:tracking-sent', sent: { trackedMessageId: id, messageId: 'gmail:18c0ffee00000002', threadId: '18c0ffee00000002', sentAt: '2026-11-21T09:59:58.000Z' } })).toEqual({ ok: true, queued: true });
    await t.crm.onAlarm({ name: minuteAlarm });
    expect(api.tracked[0]!.messageId).toBeNull();
    api.mode = 'up';
    clock = new Date('2026-11-21T10:05:00.000Z');
    await t.crm.onAlarm({ name: minuteAlarm });
    // The time it was really sent, not the time it got through.
    expect(api.tracked[0]).toMatchObject({ messageId: 'gmail:18c0ffee00000002', sentAt: '2026-11-21T09:59:58.000Z' });
    expect((await fakeBrowser.storage.local.get('tracking-pending-sent'))['tracking-pending-sent']).toEqual({ v: 1, value: [] });
  });

  it('drops a queued report the API refuses for good', async () => {
    api.mode = 'down';
    await t.fromGmail({ type: 'crm:tracking-sent', sent: { trackedMessageId: tracked(9), messageId: 'gmail:18c0ffee00000002', threadId: null } });
    api.mode = 'up';
    expect(await t.crm.tracking.flushPendingSent()).toEqual({ sent: 0, kept: 0, dropped: 1 });
  });
});

describe('thread states for the sent list', () => {
  it('are the API’s per-thread states, for threads with tracked messages only', async () => {
    const registered = await t.fromGmail({ type: 'crm:tracking-register', message: { to: ['bea@buyer.test'], cc: [], bcc: [], html: '<p>Hi</p>', subject: 'Hi', threadId: '18c0ffee' } });
    if (!registered.ok) throw new Error('not registered');
    api.tracked[0]!.opens = { count: 2, first: '2026-11-21T09:00:00.000Z', last: '2026-11-21T09:30:00.000Z' };
    expect(await t.fromGmail({ type: 'crm:thread-states', threadIds: ['18c0ffee', '18c0ffef', '18c0ffee'] })).toEqual({
      ok: true,
      states: [{ threadId: '18c0ffee', state: 'opened', opens: 2, lastOpenAt: '2026-11-21T09:30:00.000Z' }],
    });
    expect(api.requests.at(-1)!.url).toBe('http://localhost:8787/api/v1/tracking/threads?threadIds=18c0ffee%2C18c0ffef');
  });
});

describe('the sidebar relay and the options page', () => {
  it('relays the sidebar’s tracking read, and nothing else of tracking', async () => {
    const read = await t.fromSidebar({ type: 'crm:relay', request: { method: 'GET', path: '/api/v1/tracking/messages?threadIds=18c0ffee' } });
    expect(read).toMatchObject({ kind: 'response', ok: true, status: 200 });
    for (const [method, path] of [
      ['GET', '/api/v1/tracking/settings'],
      ['PATCH', '/api/v1/tracking/settings'],
      ['POST', '/api/v1/tracking/sender-views'],
      ['POST', '/api/v1/tracking/messages'],
      ['GET', '/api/v1/tracking/messages/../sender-views'],
      ['GET', '/api/v1/tracking/threads?threadIds=18c0ffee'],
      ['GET', '/api/v1/tracking/consents'],
    ] as const) {
      expect(await t.fromSidebar({ type: 'crm:relay', request: { method, path } })).toMatchObject({ kind: 'response', status: 403 });
    }
    expect(nonSession().length).toBe(1);
  });

  it('the options page changes the default', async () => {
    expect(await t.fromOptions({ type: 'crm:tracking-set-default', trackByDefault: false })).toEqual({ ok: true, settings: { trackByDefault: false, description: 'Opens and clicks are recorded with their time.' } });
    expect(api.trackByDefault).toBe(false);
    expect(await t.fromOptions({ type: 'crm:tracking-set-default', trackByDefault: 'no' as unknown as boolean })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });
});
