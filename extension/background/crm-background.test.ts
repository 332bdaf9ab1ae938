import { beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApiError } from '../../ui/api-client/api-error.ts';
import type { AnswerTo, CrmMessage, SendToBackground, TabMessage } from '../messages.ts';
import { sidebarRoutes } from '../../ui/api-client/sidebar-api.ts';
import { createRelayApi, createRelayStore } from '../relay-api.ts';
import { createCrmBackground, type SenderLike } from './crm-background.ts';
import { demoAccount, FakeApi } from './fake-api.ts';

const extensionOrigin = 'chrome-extension://aemccbpimgdcpgajbnomcckikdemnmgc/';
const popup: SenderLike = { url: `${extensionOrigin}popup.html` };
const gmailTab: SenderLike = { url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 } };
/** sidebar.html, framed by the content script in Gmail's panel: an extension page inside a Gmail tab. */
const sidebarPage: SenderLike = { url: `${extensionOrigin}sidebar.html`, tab: { id: 7 } };

let api: FakeApi;
let granted: Set<string>;
let tabMessages: TabMessage[];
let clock: Date;

function setup() {
  const crm = createCrmBackground({
    storage: fakeBrowser.storage.local,
    fetch: api.fetch,
    extensionOrigin,
    hasPermission: async (pattern) => granted.has(pattern),
    openSignIn: async () => 'popup',
    notifyTabs: async (message) => void tabMessages.push(message),
    storageTrustedOnly: () => true,
    alarms: fakeBrowser.alarms,
    notifications: fakeBrowser.notifications,
    openTab: (url) => fakeBrowser.tabs.create({ url }),
    iconUrl: `${extensionOrigin}icon/128.png`,
    now: () => clock,
    timeoutMs: 200,
  });
  // Wired as entrypoints/background.ts wires it.
  fakeBrowser.runtime.onMessage.addListener(crm.onMessage);
  return crm;
}

/** Delivers a message the way Chrome does: to every listener, with the sender; resolves with the answer or 'unanswered'. */
async function deliver(message: unknown, sender: SenderLike): Promise<unknown> {
  let answer: (value: unknown) => void = () => {};
  const answered = new Promise((resolve) => (answer = resolve));
  const results = await fakeBrowser.runtime.onMessage.trigger(message, sender as Browser.runtime.MessageSender, answer);
  return results.some((r: unknown) => r === true) ? answered : 'unanswered';
}

const from =
  (sender: SenderLike): SendToBackground =>
  <M extends CrmMessage>(message: M) =>
    deliver(message, sender) as Promise<AnswerTo<M>>;
const fromPopup = from(popup);
const fromGmail = from(gmailTab);
const fromSidebarPage = from(sidebarPage);

const signIn = () => fromPopup({ type: 'crm:sign-in', email: 'rep1@demo.test', password: 'demo-password' });

beforeEach(() => {
  fakeBrowser.reset();
  api = new FakeApi();
  granted = new Set(['http://localhost:8787/*']);
  tabMessages = [];
  clock = new Date('2026-11-21T10:00:00.000Z');
  setup();
});

describe('sign-in', () => {
  it('keeps the token in extension storage and tells the popup and the Gmail tabs who signed in', async () => {
    const answer = await signIn();
    expect(answer).toEqual({ ok: true, account: demoAccount });
    expect(JSON.stringify(answer)).not.toContain('tok-'); // the token stays in the worker
    const stored = await fakeBrowser.storage.local.get('session');
    expect(stored.session).toMatchObject({ v: 1, value: { token: 'tok-1', account: demoAccount } });
    expect(tabMessages).toEqual([{ type: 'crm:session-changed', signedIn: true }]);
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: true, account: demoAccount, apiUrl: 'http://localhost:8787' });
  });

  it('says why when the API refuses, and stores nothing', async () => {
    expect(await fromPopup({ type: 'crm:sign-in', email: 'rep1@demo.test', password: 'not-the-password' })).toEqual({
      ok: false,
      code: 'UNAUTHENTICATED',
      message: 'Wrong email or password',
    });
    expect(await fakeBrowser.storage.local.get('session')).toEqual({});
  });

  it('says the API cannot be reached, and that permission is missing when it is', async () => {
    api.mode = 'down';
    expect(await signIn()).toMatchObject({ ok: false, code: 'OFFLINE', message: expect.stringContaining('cannot be reached') });
    granted.clear();
    expect(await signIn()).toMatchObject({ ok: false, code: 'OFFLINE', message: expect.stringContaining('not allowed to reach http://localhost:8787') });
  });

  it('is for the extension’s own pages: a content script cannot sign in or read the status', async () => {
    expect(await deliver({ type: 'crm:sign-in', email: 'rep1@demo.test', password: 'demo-password' }, gmailTab)).toBe('unanswered');
    expect(await deliver({ type: 'crm:status' }, gmailTab)).toBe('unanswered');
    expect(await deliver({ type: 'crm:set-api-url', apiUrl: 'https://evil.test' }, gmailTab)).toBe('unanswered');
    expect(api.requests).toEqual([]);
  });
});

describe('the relay the sidebar uses from Gmail', () => {
  const sidebarApi = () => createRelayApi({ send: fromSidebarPage, timeoutMs: 1000 });

  it('adds the bearer token (and the idempotency key) and never sends cookies', async () => {
    await signIn();
    const context = await sidebarApi().getContext(['bea@buyer.test']);
    expect(context.unknownEmails).toEqual(['bea@buyer.test']);
    await sidebarApi().updateDeal('d1', { stage: 'x' }, { idempotencyKey: 'change-1' }).catch(() => undefined);
    const [, get, patch] = api.requests;
    expect(get).toMatchObject({ method: 'GET', url: 'http://localhost:8787/api/v1/context?emails=bea%40buyer.test', credentials: 'omit' });
    expect(get!.headers.authorization).toBe('Bearer tok-1');
    expect(patch).toMatchObject({ method: 'PATCH', url: 'http://localhost:8787/api/v1/deals/d1', body: '{"stage":"x"}' });
    expect(patch!.headers).toMatchObject({ authorization: 'Bearer tok-1', 'idempotency-key': 'change-1', 'content-type': 'application/json' });
  });

  it('answers the sidebar page framed in Gmail’s panel (an extension page in a Gmail tab) the same way', async () => {
    await signIn();
    const context = await createRelayApi({ send: fromSidebarPage, timeoutMs: 1000 }).getContext(['bea@buyer.test']);
    expect(context.unknownEmails).toEqual(['bea@buyer.test']);
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer tok-1');
    const store = createRelayStore(fromSidebarPage);
    await store.set('outbox', []);
    expect(await createRelayStore(fromSidebarPage).get('outbox')).toEqual([]);
  });

  it('maps the API’s refusals to real ApiErrors', async () => {
    await signIn();
    const error = await sidebarApi().updateDeal('missing', { stage: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'Deal not found' });
  });

  it('signed out → UNAUTHENTICATED without calling the API', async () => {
    const error = await sidebarApi().getContext(['bea@buyer.test']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(api.requests).toEqual([]);
  });

  it('API down → OFFLINE, and the popup’s self-test shows the last error', async () => {
    await signIn();
    api.mode = 'down';
    const error = await sidebarApi().getContext(['bea@buyer.test']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'OFFLINE', status: 0 });
    const status = await fromPopup({ type: 'crm:status', checkApi: true });
    expect(status.api).toMatchObject({ reachable: false, message: expect.stringContaining('cannot be reached') });
    expect(status.lastError).toMatchObject({ source: 'api', message: expect.stringContaining('cannot be reached') });
    expect(status.signedIn).toBe(true); // down is not signed out
  });

  it('an API that hangs → OFFLINE after the timeout', async () => {
    await signIn();
    api.mode = 'hang';
    const error = await sidebarApi().getContext(['bea@buyer.test']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OFFLINE' });
  });

  it('a token the API no longer accepts ends the session: the sidebar asks to sign in, the popup says it expired', async () => {
    await signIn();
    api.tokens.clear(); // e.g. the session was revoked on the server
    const error = await sidebarApi().getContext(['bea@buyer.test']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: false, sessionExpired: true, account: demoAccount });
  });

  // The list is the sidebar client's own (ui/api-client/sidebar-api.ts): what it may call is what is relayed.
  it.each(sidebarRoutes.map(([method, template]) => [method.toUpperCase(), `/api/v1${template.replace('{id}', '00000000-0000-4000-8000-000000000001')}`]))(
    'relays the sidebar’s %s %s',
    async (method, path) => {
      await signIn();
      const answer = await fromSidebarPage({ type: 'crm:relay', request: { method: method as 'GET', path, ...(method === 'GET' ? {} : { body: '{}' }) } });
      expect(answer).not.toMatchObject({ status: 403 });
      expect(api.requests.at(-1)).toMatchObject({ method, url: `http://localhost:8787${path}` });
    },
  );

  it.each([
    ['GET', '/api/v1/members'],
    ['GET', '/api/v1/deals/00000000-0000-4000-8000-000000000001'],
    ['DELETE', '/api/v1/companies/00000000-0000-4000-8000-000000000001'],
    ['DELETE', '/api/v1/tasks/00000000-0000-4000-8000-000000000001'],
    ['PATCH', '/api/v1/contacts/00000000-0000-4000-8000-000000000001'],
    ['POST', '/api/v1/pipelines'],
    ['POST', '/api/v1/session'],
    ['GET', '/api/v1/api-keys'],
    ['GET', '/api/v1/contacts/../api-keys'],
    ['GET', '/api/v1/contacts/%2e%2e/members'],
    ['GET', '//evil.test/api/v1/contacts'],
    ['TRACE', '/api/v1/contacts'],
  ] as const)('does not relay %s %s', async (method, path) => {
    await signIn();
    const answer = await fromSidebarPage({ type: 'crm:relay', request: { method: method as 'GET', path } });
    expect(answer).toMatchObject({ kind: 'response', ok: false, status: 403 });
    expect(api.requests.filter((r) => r.method !== 'POST' || !r.url.endsWith('/session'))).toEqual([]);
  });
});

describe('sign-out', () => {
  it('ends the session on the API, forgets the token and tells the Gmail tabs', async () => {
    await signIn();
    expect(await fromPopup({ type: 'crm:sign-out' })).toEqual({ ok: true });
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', url: 'http://localhost:8787/api/v1/session', headers: { authorization: 'Bearer tok-1' } });
    expect(api.tokens.size).toBe(0);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('tok-1');
    expect(tabMessages.at(-1)).toEqual({ type: 'crm:session-changed', signedIn: false });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: false, sessionExpired: false });
  });

  it('forgets the token even when the API cannot be told', async () => {
    await signIn();
    api.mode = 'down';
    await fromPopup({ type: 'crm:sign-out' });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: false });
  });
});

describe('health self-test', () => {
  it('checks the API with GET /me and shows what the Gmail tab last reported, with times', async () => {
    await signIn();
    await fromGmail({ type: 'crm:report', report: { hookAttached: true, mailbox: 'Rep1@Demo.test' } });
    clock = new Date('2026-11-21T10:00:05.000Z');
    await fromGmail({ type: 'crm:report', report: { sidebarMounted: true } });
    const status = await fromPopup({ type: 'crm:status', checkApi: true });
    expect(status).toMatchObject({
      signedIn: true,
      apiPermission: true,
      storageTrustedOnly: true,
      api: { reachable: true, status: 200 },
      gmail: { hookAttachedAt: '2026-11-21T10:00:00.000Z', sidebarMountedAt: '2026-11-21T10:00:05.000Z', mailboxes: ['rep1@demo.test'] },
      lastError: null,
    });
    expect(api.requests.at(-1)).toMatchObject({ method: 'GET', url: 'http://localhost:8787/api/v1/me' });
  });

  it('keeps both when the content script and the sidebar page report at the same moment', async () => {
    await Promise.all([
      fromGmail({ type: 'crm:report', report: { hookAttached: true, mailbox: 'rep1@demo.test' } }),
      fromSidebarPage({ type: 'crm:report', report: { sidebarMounted: true } }),
      fromGmail({ type: 'crm:report', report: { error: 'Reading Gmail failed: boom' } }),
    ]);
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({
      gmail: { hookAttachedAt: '2026-11-21T10:00:00.000Z', sidebarMountedAt: '2026-11-21T10:00:00.000Z', mailboxes: ['rep1@demo.test'] },
      lastError: { source: 'gmail', message: 'Reading Gmail failed: boom' },
    });
  });

  it('counts a 401 from /me while signed out as reachable', async () => {
    expect(await fromPopup({ type: 'crm:status', checkApi: true })).toMatchObject({ signedIn: false, api: { reachable: true, status: 401 } });
  });

  it('keeps the error a Gmail tab reported', async () => {
    await fromGmail({ type: 'crm:report', report: { hookAttached: false, error: 'InboxSDK failed to load: timeout' } });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({
      gmail: { hookAttachedAt: null },
      lastError: { source: 'gmail', message: 'InboxSDK failed to load: timeout', at: '2026-11-21T10:00:00.000Z' },
    });
  });
});

describe('API URL', () => {
  it('accepts https anywhere and http on this computer only', async () => {
    expect(await fromPopup({ type: 'crm:set-api-url', apiUrl: 'http://crm.example.com' })).toMatchObject({ ok: false });
    expect(await fromPopup({ type: 'crm:set-api-url', apiUrl: 'https://crm.example.com/api/v1/' })).toEqual({ ok: true, apiUrl: 'https://crm.example.com' });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ apiUrl: 'https://crm.example.com', apiPermission: false });
  });

  it('ends the session when it points at another API (the token was that API’s)', async () => {
    await signIn();
    await fromPopup({ type: 'crm:set-api-url', apiUrl: 'http://localhost:8787/' });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: true });
    await fromPopup({ type: 'crm:set-api-url', apiUrl: 'https://crm.example.com' });
    expect(await fromPopup({ type: 'crm:status' })).toMatchObject({ signedIn: false });
  });
});

describe('the sidebar’s store', () => {
  it('is kept per CRM account, and the options page reads the same keys', async () => {
    await signIn();
    const gmailStore = createRelayStore(fromSidebarPage);
    await gmailStore.set('logging-settings:rep1@demo.test', { neverLog: ['demo.test'], excludePersonalMail: true });
    expect(await createRelayStore(fromPopup).get('logging-settings:rep1@demo.test')).toEqual({ neverLog: ['demo.test'], excludePersonalMail: true });
    const keys = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(keys).toContain(`sidebar:${demoAccount.organization.id}:${demoAccount.user.id}:logging-settings:rep1@demo.test`);

    // Another account on this browser starts empty; the first one's data waits for it.
    await fakeBrowser.storage.local.set({ session: { v: 1, value: { token: 't', account: { ...demoAccount, user: { ...demoAccount.user, id: 'other' } }, signedInAt: '' } } });
    expect(await gmailStore.get('logging-settings:rep1@demo.test')).toBeUndefined();
    await gmailStore.delete('anything');
  });

  it('frees room by forgetting the oldest cached threads when storage is full', async () => {
    await signIn();
    const store = createRelayStore(fromSidebarPage);
    await store.set('context:old', { savedAt: '2026-01-01' });
    await store.set('context:new', { savedAt: '2026-11-01' });
    await store.set('outbox', [{ key: 'keep-me' }]);
    const realSet = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    let full = true;
    fakeBrowser.storage.local.set = (async (items: Record<string, unknown>) => {
      if (full && Object.keys(items).some((k) => k.endsWith('context:newest'))) {
        full = false;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      return realSet(items);
    }) as typeof fakeBrowser.storage.local.set;
    await store.set('context:newest', { savedAt: '2026-11-21' });
    expect(await store.get('context:old')).toBeUndefined();
    expect(await store.get('context:new')).toEqual({ savedAt: '2026-11-01' });
    expect(await store.get('context:newest')).toEqual({ savedAt: '2026-11-21' });
    expect(await store.get('outbox')).toEqual([{ key: 'keep-me' }]);
  });
});

describe('messages that are not ours', () => {
  it('leaves InboxSDK’s pageWorld request to InboxSDK’s listener', async () => {
    expect(await deliver({ type: 'inboxsdk__injectPageWorld' }, gmailTab)).toBe('unanswered');
  });

  it('gives Gmail\'s page (the content script) no CRM calls and no store, only health reports', async () => {
    await signIn();
    const before = api.requests.length;
    expect(await deliver({ type: 'crm:relay', request: { method: 'GET', path: '/api/v1/pipelines' } }, gmailTab)).toBe('unanswered');
    expect(await deliver({ type: 'crm:store-get', key: 'outbox' }, gmailTab)).toBe('unanswered');
    expect(api.requests.length).toBe(before);
    // The same request from the sidebar page goes through.
    await fromSidebarPage({ type: 'crm:relay', request: { method: 'GET', path: '/api/v1/pipelines' } });
    expect(api.requests.length).toBe(before + 1);
  });

  it('ignores senders that are neither its pages nor Gmail', async () => {
    expect(await deliver({ type: 'crm:relay', request: { method: 'GET', path: '/api/v1/pipelines' } }, { url: 'https://evil.test/', tab: { id: 1 } })).toBe('unanswered');
  });
});
