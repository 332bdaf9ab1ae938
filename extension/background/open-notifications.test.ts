import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { FakeApi, FakeNotification } from './fake-api.ts';
import { gmailThreadUrl, minuteAlarm, openNotificationsIn, summaryNotificationId } from './open-notifications.ts';
import { startTestBackground } from './test-background.ts';

let t: ReturnType<typeof startTestBackground>;
let api: FakeApi;
let clock: Date;

const opened = (n: number, over: Partial<FakeNotification> = {}): FakeNotification => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kind: 'email_opened',
  title: `Bea opened “Pricing ${n}”`,
  body: 'First opened 10:00 (probably a person)',
  data: { threadId: '18c0ffee0000000a', messageId: 'gmail:18c0ffee0000000a' },
  createdAt: '2026-11-21T09:59:00.000Z',
  ...over,
});
const shown = () => fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string; message: string; iconUrl: string }>;
const tick = () => t.crm.onAlarm({ name: minuteAlarm });

beforeEach(() => {
  clock = new Date('2026-11-21T10:00:00.000Z');
  t = startTestBackground({ clock: () => clock });
  api = t.api;
});

describe('the minute alarm', () => {
  it('runs while someone is signed in, and only then', async () => {
    expect(await fakeBrowser.alarms.get(minuteAlarm)).toBeUndefined();
    await t.signIn();
    expect(await fakeBrowser.alarms.get(minuteAlarm)).toMatchObject({ name: minuteAlarm, periodInMinutes: 1 });
    await t.signOut();
    expect(await fakeBrowser.alarms.get(minuteAlarm)).toBeUndefined();
  });

  it('a tick after the session ended (e.g. revoked) stops the alarm without calling the API', async () => {
    await t.signIn();
    await fakeBrowser.storage.local.remove('session');
    const before = api.requests.length;
    await tick();
    expect(api.requests.length).toBe(before);
    expect(await fakeBrowser.alarms.get(minuteAlarm)).toBeUndefined();
  });

  it('is put back when the worker starts signed in and the alarm is gone (browser restart)', async () => {
    await t.signIn();
    await fakeBrowser.alarms.clearAll();
    await t.crm.resume();
    expect(await fakeBrowser.alarms.get(minuteAlarm)).toBeDefined();
  });
});

describe('first-open notifications', () => {
  beforeEach(async () => {
    await t.signIn();
  });

  it('shows each new email_opened once, and nothing for other kinds', async () => {
    api.notifications.push(opened(1), { ...opened(2), kind: 'deal_high_risk', title: 'Deal at risk' });
    await tick();
    expect(shown()).toEqual({
      [`crm-open:${opened(1).id}`]: expect.objectContaining({ type: 'basic', title: 'Bea opened “Pricing 1”', message: 'First opened 10:00 (probably a person)', iconUrl: expect.stringMatching(/icon\/128\.png$/) }),
    });
    await fakeBrowser.notifications.clear(`crm-open:${opened(1).id}`);
    await tick(); // still unread in the CRM, but already shown
    expect(shown()).toEqual({});
    expect(api.requests.filter((r) => r.url.includes('/notifications')).map((r) => r.url.replace('http://localhost:8787', ''))).toEqual([
      '/api/v1/notifications?unread=true&limit=50',
      '/api/v1/notifications?unread=true&limit=50',
    ]);
  });

  it('a click opens the Gmail thread and marks the notification read', async () => {
    api.notifications.push(opened(1));
    await tick();
    expect(await t.crm.onNotificationClicked(`crm-open:${opened(1).id}`)).toBe(true);
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.at(-1)!.url).toBe('https://mail.google.com/mail/u/0/#inbox/18c0ffee0000000a');
    expect(api.notifications[0]!.readAt).toBeTruthy();
    expect(shown()).toEqual({});
  });

  it('folds a backlog into three notifications and a summary, and never shows ones older than a day', async () => {
    api.notifications.push(opened(1, { createdAt: '2026-11-19T09:00:00.000Z' }));
    for (let n = 2; n <= 7; n++) api.notifications.push(opened(n, { createdAt: `2026-11-21T09:5${n}:00.000Z` }));
    await tick();
    expect(Object.keys(shown()).sort()).toEqual([`crm-open:${opened(5).id}`, `crm-open:${opened(6).id}`, `crm-open:${opened(7).id}`, summaryNotificationId].sort());
    expect(shown()[summaryNotificationId]!.title).toBe('3 more emails were opened');
    await fakeBrowser.notifications.clear(summaryNotificationId);
    await tick();
    expect(Object.keys(shown())).toHaveLength(3); // nothing new
  });

  it('remembers per CRM user: another account signing in sees its own', async () => {
    api.notifications.push(opened(1));
    await tick();
    const saved = (await fakeBrowser.storage.local.get('open-notifications'))['open-notifications'] as { value: { userId: string; seen: string[] } };
    expect(saved.value.seen).toEqual([opened(1).id]);
    await fakeBrowser.storage.local.set({ 'open-notifications': { v: 1, value: { ...saved.value, userId: 'someone-else' } } });
    await fakeBrowser.notifications.clear(`crm-open:${opened(1).id}`);
    await tick();
    expect(Object.keys(shown())).toEqual([`crm-open:${opened(1).id}`]);
  });

  it('an API that is down shows nothing and tries again next minute', async () => {
    api.notifications.push(opened(1));
    api.mode = 'down';
    await tick();
    expect(shown()).toEqual({});
    api.mode = 'up';
    await tick();
    expect(Object.keys(shown())).toHaveLength(1);
  });
});

describe('reading', () => {
  it.each([
    ['18c0ffee0000000a', 'https://mail.google.com/mail/u/0/#inbox/18c0ffee0000000a'],
    ['gmail:18C0FFEE0000000A', 'https://mail.google.com/mail/u/0/#inbox/18c0ffee0000000a'],
    ['demo-thread-1', null],
    ['18c0ffee/../../x', null],
    [null, null],
  ])('thread %s → %s', (threadId, url) => {
    expect(gmailThreadUrl(threadId)).toBe(url);
  });

  it('skips items it cannot read', () => {
    expect(openNotificationsIn({ data: [{ kind: 'email_opened', id: 1 }, null, opened(1)] })).toEqual([
      { id: opened(1).id, title: opened(1).title, body: opened(1).body, threadId: '18c0ffee0000000a', createdAt: opened(1).createdAt },
    ]);
    expect(openNotificationsIn('nonsense')).toEqual([]);
    // Browser notifications turned off in the member's preferences: not shown.
    expect(openNotificationsIn({ data: [opened(2, { data: { threadId: 't', browser: false } })] })).toEqual([]);
  });
});
