// @vitest-environment happy-dom
// The demo inbox's compose box and tracked mail, against the fake API in the wire format.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore, type KeyValueStore } from '../sidebar/cache.ts';
import { makeCompany, makeContact, makeDeal, rep, uuid } from '../sidebar/test-fakes.ts';
import { DemoInbox, type DemoInboxDeps } from './app.tsx';
import { textToHtml } from './compose-fields.ts';
import { stableHash } from './demo-thread.ts';
import { createFakeApi, memoryStorage, PASSWORD, type FakeApi } from './test-api.ts';

let api: FakeApi;
let deps: DemoInboxDeps;
let clockMs: number;
let opened: string[];

beforeEach(() => {
  api = createFakeApi();
  const acme = makeCompany({ name: 'Acme Robotics', domain: 'acme-robotics.com' });
  const olivia = makeContact({ email: 'olivia@acme-robotics.com', firstName: 'Olivia', lastName: 'Anderson', companyId: acme.id, ownerId: rep.id, owner: rep });
  api.crm.companies.push(acme);
  api.crm.contacts.push(olivia);
  api.crm.deals.push(makeDeal({ name: 'Acme Robotics — Fleet Analytics', companyId: acme.id, contactIds: [olivia.id] }, 'Proposal'));
  const stores = new Map<string, KeyValueStore>();
  clockMs = Date.parse('2026-11-20T12:00:00.000Z');
  opened = [];
  deps = {
    baseUrl: 'http://crm.test',
    fetch: api.fetch,
    storage: memoryStorage(),
    createStore: (email) => stores.get(email) ?? stores.set(email, createMemoryStore()).get(email)!,
    now: () => new Date(clockMs),
    signInAs: { email: rep.email, password: PASSWORD },
    openWindow: (url) => void opened.push(url),
  };
  window.history.replaceState(null, '', '/demo/inbox/');
});

afterEach(async () => {
  cleanup();
  await new Promise((r) => setTimeout(r, 0));
});

const sidebar = () => screen.getByTestId('demo-sidebar');
const compose = () => screen.getByTestId('compose');
const explanation = () => screen.getByTestId('tracking-explanation');
const toggle = () => screen.getByTestId('track-toggle') as HTMLInputElement;
const requests = (method: string, prefix: string) => api.requests.filter((r) => r.method === method && r.path.startsWith(prefix));

async function signIn() {
  render(<DemoInbox deps={deps} />);
  fireEvent.click(screen.getByTestId('sign-in-submit'));
  await waitFor(() => expect(screen.getAllByTestId('thread-row').length).toBeGreaterThan(0));
}

async function replyToOlivia(body: string) {
  fireEvent.click(screen.getAllByTestId('thread-row').find((r) => r.dataset.threadKind === 'known')!);
  fireEvent.click(screen.getByTestId('reply'));
  await waitFor(() => expect(toggle().checked).toBe(api.crm.trackByDefault));
  fireEvent.change(within(compose()).getByLabelText('Message'), { target: { value: body } });
}

const messages = () => within(screen.getByTestId('open-thread')).getAllByTestId('message');
const lastMessage = () => messages().at(-1)!;
/** Sends, and resolves once the sent message is in the open thread. */
async function send(options: { timeout?: number } = {}) {
  const before = messages().length;
  fireEvent.click(screen.getByTestId('compose-send'));
  await waitFor(() => expect(messages()).toHaveLength(before + 1), { timeout: options.timeout ?? 1000 });
  expect(lastMessage().dataset.direction).toBe('outbound');
}

describe('the compose box', () => {
  it('starts with tracking as the rep’s default and says what the consent mode records as recipients change', async () => {
    await signIn();
    fireEvent.click(screen.getByTestId('compose-new'));
    await waitFor(() => expect(toggle().checked).toBe(true));
    expect(screen.getByRole('switch', { name: 'Track opens and clicks' })).toBe(toggle());
    await waitFor(() => expect(explanation().textContent).toContain('Add a recipient'));

    fireEvent.change(within(compose()).getByLabelText('To'), { target: { value: 'Olivia Anderson <olivia@acme-robotics.com>' } });
    await waitFor(() => expect(explanation().dataset.state).toBe('decided'));
    expect(explanation().textContent).toMatch(/opens and clicks will be recorded with their time/i);

    fireEvent.change(within(compose()).getByLabelText('Cc'), { target: { value: 'robin.hale@acme-robotics.com' } });
    await waitFor(() => expect(explanation().textContent).toContain('attributed to “a recipient”'));
    // Asked once per pause in typing, with the recipients as the API takes them.
    expect(requests('POST', '/tracking/decision').map((r) => r.body)).toEqual([
      { to: ['olivia@acme-robotics.com'], cc: [], bcc: [] },
      { to: ['olivia@acme-robotics.com'], cc: ['robin.hale@acme-robotics.com'], bcc: [] },
    ]);

    fireEvent.click(toggle());
    expect(explanation().textContent).toBe('Not tracked: the message goes out as you wrote it, with no pixel and links unchanged.');
    expect((screen.getByTestId('opt-out-link') as HTMLInputElement).disabled).toBe(true);
  });

  it('starts with tracking off when that is the rep’s default, and can make the choice the default', async () => {
    api.crm.trackByDefault = false;
    await signIn();
    fireEvent.click(screen.getByTestId('compose-new'));
    await waitFor(() => expect(requests('GET', '/tracking/settings')).toHaveLength(1));
    expect(toggle().checked).toBe(false);
    fireEvent.click(toggle());
    fireEvent.click(await screen.findByRole('button', { name: 'Track by default' }));
    await waitFor(() => expect(api.crm.trackByDefault).toBe(true));
    expect(requests('PATCH', '/tracking/settings')[0]!.body).toEqual({ trackByDefault: true });
  });

  it('explains what the aggregate mode records', async () => {
    api.crm.trackingPolicy = { mode: 'aggregate', countryOverrides: {} };
    await signIn();
    fireEvent.click(screen.getByTestId('compose-new'));
    fireEvent.change(within(compose()).getByLabelText('To'), { target: { value: 'olivia@acme-robotics.com' } });
    await waitFor(() => expect(explanation().textContent).toContain('without saying who or at what time, beyond the day'));
  });

  it('says which addresses it cannot read, and sends nothing', async () => {
    await signIn();
    fireEvent.click(screen.getByTestId('compose-new'));
    fireEvent.change(within(compose()).getByLabelText('To'), { target: { value: 'olivia@acme-robotics.com, olivia at acme' } });
    fireEvent.click(screen.getByTestId('compose-send'));
    expect((await screen.findByTestId('compose-error')).textContent).toBe('Check this address: olivia at acme');
    expect(requests('POST', '/tracking/messages')).toHaveLength(0);
  });
});

describe('sending', () => {
  it('tracked: the reply shows as the rep’s, the API learns its id, the rep’s view is reported before its body shows, and no pixel loads', async () => {
    await signIn();
    await replyToOlivia('Hi Olivia,\n\nThe pricing is at https://acme.example/pricing.');
    // Hold the sender-view report to see that the body waits for it.
    let releaseView!: () => void;
    const viewReported = new Promise<void>((go) => (releaseView = go));
    api.intercept = (method, path) =>
      method === 'POST' && path === '/tracking/sender-views' ? viewReported.then(() => new Response(JSON.stringify({ recorded: 1 }), { status: 200 })) : undefined;
    await send();
    const sent = lastMessage();
    const messageId = sent.dataset.messageId!;
    expect(messageId).toMatch(/^<demo-sent-.+@mail\.seller\.test>$/);
    expect(within(sent).getByTestId('tracked-chip')).toBeTruthy();
    expect(within(sent).getByTestId('message-body').textContent).toBe('Loading…');
    await waitFor(() => expect(requests('POST', '/tracking/sender-views').map((r) => r.body)).toEqual([{ messageIds: [messageId] }]));
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toContain('Sent, with open and click tracking.');

    act(() => releaseView());
    await waitFor(() => expect(within(sent).getByTestId('message-body').textContent).toContain('The pricing is at https://acme.example/pricing.'));
    expect(within(sent).getByRole('link', { name: 'https://acme.example/pricing' }).getAttribute('href')).toBe('https://acme.example/pricing');
    expect(screen.getByTestId('open-thread').querySelector('img')).toBeNull();

    // Registered with the body as written; then told the host's id for it.
    const [register] = requests('POST', '/tracking/messages');
    const threadId = screen.getByTestId('open-thread').dataset.threadId;
    expect(register!.body).toMatchObject({ to: ['olivia@acme-robotics.com'], html: textToHtml('Hi Olivia,\n\nThe pricing is at https://acme.example/pricing.'), threadId, optOutLink: false });
    await waitFor(() => expect(requests('POST', '/tracking/messages/').filter((r) => r.path.endsWith('/sent'))).toHaveLength(1));
    expect(requests('POST', '/tracking/messages/').find((r) => r.path.endsWith('/sent'))!.body).toEqual({ messageId, threadId, sentAt: '2026-11-20T12:00:00.000Z' });

    // The sidebar finds it, and the reply is logged to the CRM like the rest of the thread.
    const card = await within(sidebar()).findByRole('article', { name: /^Tracking: / });
    expect(within(card).getByText('Not opened yet')).toBeTruthy();
    await waitFor(() => expect(api.crm.activities.some((a) => a.messageId === messageId && a.direction === 'outbound')).toBe(true));
  });

  it('sends untracked within about a second when the CRM does not answer, and says so', async () => {
    await signIn();
    await replyToOlivia('See https://acme.example/pricing');
    api.intercept = (method, path, init) =>
      method === 'POST' && path === '/tracking/messages'
        ? new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
        : undefined;
    const started = Date.now();
    await send({ timeout: 2500 });
    expect(Date.now() - started).toBeLessThan(2000); // the 1 s deadline, plus rendering on a busy test machine
    const sent = lastMessage();
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toContain('Sent without tracking: the CRM did not answer within a second.');
    expect(within(sent).getByTestId('untracked-chip')).toBeTruthy();
    expect(within(sent).queryByTestId('open-as-recipient')).toBeNull();
    expect(within(sent).getByRole('link', { name: 'https://acme.example/pricing' }).getAttribute('href')).toBe('https://acme.example/pricing');
    expect(requests('POST', '/tracking/messages/')).toHaveLength(0); // nothing to report sent
    expect(requests('POST', '/tracking/sender-views')).toHaveLength(0);
  });

  it('sends untracked when the CRM answers an error', async () => {
    await signIn();
    await replyToOlivia('Hello');
    api.intercept = (method, path) =>
      method === 'POST' && path === '/tracking/messages'
        ? new Response(JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } }), { status: 500 })
        : undefined;
    await send();
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toContain('Sent without tracking: the CRM could not register it (Something went wrong on our side).');
    expect(within(lastMessage()).getByTestId('message-body').textContent).toContain('Hello');
  });

  it('with tracking off, registers nothing and sends the body as written', async () => {
    await signIn();
    await replyToOlivia('Plain https://acme.example/x');
    fireEvent.click(toggle());
    await send();
    expect(requests('POST', '/tracking/messages')).toHaveLength(0);
    expect(within(lastMessage()).queryByTestId('tracked-chip')).toBeNull();
    expect(within(lastMessage()).queryByTestId('untracked-chip')).toBeNull();
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toContain('Sent.');
  });

  it('a new message starts a thread in the list, and stays after a reload', async () => {
    await signIn();
    fireEvent.click(screen.getByTestId('compose-new'));
    fireEvent.change(within(compose()).getByLabelText('To'), { target: { value: 'olivia@acme-robotics.com' } });
    fireEvent.change(within(compose()).getByLabelText('Subject'), { target: { value: 'A new idea' } });
    fireEvent.change(within(compose()).getByLabelText('Message'), { target: { value: 'Hi' } });
    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(screen.getAllByTestId('thread-row')[0]!.textContent).toContain('A new idea'));
    const row = screen.getAllByTestId('thread-row')[0]!;
    expect(row.dataset.threadKind).toBe('known');
    expect(screen.getByTestId('open-thread').dataset.threadId).toBe(row.dataset.threadId);
    cleanup();
    await act(() => new Promise((r) => setTimeout(r, 0)));
    render(<DemoInbox deps={deps} />);
    expect(await screen.findByRole('heading', { name: 'A new idea', level: 1 })).toBeTruthy();
  });
});

describe('opening a tracked message as its recipient (demo only)', () => {
  it('waits until an open would count, then opens the decorated copy in a new tab', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (created.push(blob as Blob), `blob:http://crm.test/${created.length}`));
    try {
      await signIn();
      await replyToOlivia('See https://acme.example/pricing');
      await send();
      const button = (await within(await waitFor(() => within(screen.getByTestId('open-thread')).getByTestId('recipient-preview'))).findByTestId('open-as-recipient')) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(within(screen.getByTestId('recipient-preview')).getByText(/^Ready in \d+ s: opens within 15 s of sending or 20 s of your own view/)).toBeTruthy();
      clockMs += 25_000;
      await waitFor(() => expect(button.disabled).toBe(false), { timeout: 2500 });
      fireEvent.click(button);
      expect(opened).toEqual(['blob:http://crm.test/1']);
      const page = await created[0]!.text();
      const registration = [...api.crm.registrations.values()][0]!;
      expect(page).toContain(registration.html);
      expect(page).toContain(`<img src="${registration.pixelUrl}"`);
    } finally {
      createObjectURL.mockRestore();
    }
  });
});

describe('the notifications bell', () => {
  it('shows the unread count and the first opens; choosing one opens its thread and marks it read', async () => {
    // The proposal thread's id, as mailbox.ts makes it.
    const threadId = `demo-proposal-${stableHash(`${rep.email.toLowerCase()}|olivia@acme-robotics.com`)}`;
    api.crm.notifications.push({
      id: uuid(), kind: 'email_opened', dealId: null, title: 'Olivia Anderson opened “Pricing”', body: null, currentRisk: null, readAt: null, createdAt: '2026-11-20T11:50:00.000Z',
      data: { trackedMessageId: uuid(), messageId: '<x@y>', threadId, subject: 'Pricing' },
    });
    await signIn();
    expect(screen.getAllByTestId('thread-row').some((r) => r.dataset.threadId === threadId)).toBe(true);
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(screen.getByTestId('notifications-count').textContent).toBe('1');
    fireEvent.click(bell);
    const item = await within(screen.getByTestId('notifications-panel')).findByText('Olivia Anderson opened “Pricing”');
    expect(item.closest('button')!.textContent).toContain('10 min ago');
    fireEvent.click(item);
    await waitFor(() => expect(api.crm.notifications[0]!.readAt).not.toBeNull());
    expect(screen.getByTestId('open-thread').dataset.threadId).toBe(threadId);
    expect(screen.getByRole('button', { name: 'Notifications' })).toBe(bell);
    expect(screen.getByTestId('notifications-panel').hidden).toBe(true);
  });

  it('a high-risk alert says where the deal stands now when a reply since brought it down', async () => {
    api.crm.notifications.push(
      {
        id: uuid(), kind: 'deal_high_risk', dealId: uuid(), title: 'Acme renewal is at high risk (100)', body: 'No reply, call or meeting with the buyer in 53 days. Call Olivia.',
        currentRisk: { score: 31, band: 'low' }, readAt: null, createdAt: '2026-11-20T11:50:00.000Z', data: { score: 100, band: 'high', reasonCodes: ['no_reply'], nextAction: 'call' },
      },
      {
        id: uuid(), kind: 'deal_high_risk', dealId: uuid(), title: 'Bolt pilot is at high risk (88)', body: 'In Proposal for 40 days.',
        currentRisk: { score: 90, band: 'high' }, readAt: null, createdAt: '2026-11-20T11:40:00.000Z', data: { score: 88, band: 'high', reasonCodes: ['stalled_in_stage'], nextAction: 'call' },
      },
    );
    await signIn();
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications, 2 unread' }));
    const panel = screen.getByTestId('notifications-panel');
    const first = (await within(panel).findByText('Acme renewal is at high risk (100)')).closest('button')!;
    expect(within(first).getByTestId('risk-now').textContent).toBe('Now: risk 31 · low');
    const second = within(panel).getByText('Bolt pilot is at high risk (88)').closest('button')!;
    expect(within(second).queryByTestId('risk-now')).toBeNull();
  });

  it('closes with Escape, back on the bell', async () => {
    await signIn();
    const bell = screen.getByTestId('notifications-bell');
    fireEvent.click(bell);
    const panel = screen.getByTestId('notifications-panel');
    expect(panel.hidden).toBe(false);
    expect(await within(panel).findByText(/Nothing yet/)).toBeTruthy();
    fireEvent.keyDown(panel, { key: 'Escape' });
    expect(panel.hidden).toBe(true);
    expect(document.activeElement).toBe(bell);
  });
});
