// @vitest-environment happy-dom
// The task pane as a rep meets it, over the fake Office and the API's routes (the demo inbox's
// in-memory API, answering in the API's wire format): sign in with the token kept in the add-in's
// own storage, the sidebar for the selected message, nothing selected, sign out, a session the API
// refuses, and the self-test with what this Outlook lacks.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../ui/sidebar/cache.ts';
import { makeCompany, makeContact, makeDeal, rep } from '../../ui/sidebar/test-fakes.ts';
import { createFakeApi, PASSWORD } from '../../ui/demo-inbox/test-api.ts';
import { memoryTextStore, readSession, recordNote, saveSession, type TextStore } from '../office/addin-storage.ts';
import { FakeOffice, type FakeMessage } from '../office/fake-office.ts';
import { TaskPane } from './task-pane.tsx';

afterEach(() => cleanup());

const baseUrl = 'https://crm.example.com';
const ann = { name: 'Ann Lee', email: 'ann@acme.test' };
const message: FakeMessage = {
  itemId: 'AAMkAD-1',
  internetMessageId: '<CAx1-ann@mail.acme.test>',
  conversationId: 'AAQkAD-conv-1',
  subject: 'Pricing for 200 seats',
  from: ann,
  to: [{ name: rep.name, email: rep.email }],
  date: '2026-11-20T09:30:00.000Z',
  headers: 'Message-ID: <CAx1-ann@mail.acme.test>\r\n',
  bodyText: 'Could you send the revised quote?',
};

function world(options: { sets?: string[]; store?: TextStore } = {}) {
  const api = createFakeApi();
  const acme = makeCompany({ name: 'Acme Corp', domain: 'acme.test' });
  const contact = makeContact({ email: ann.email, firstName: 'Ann', lastName: 'Lee', companyId: acme.id });
  api.crm.companies.push(acme);
  api.crm.contacts.push(contact);
  api.crm.deals.push(makeDeal({ name: 'Acme renewal', contactIds: [contact.id], companyId: acme.id }));
  const office = new FakeOffice({ userEmail: rep.email, ...(options.sets ? { sets: options.sets } : {}) });
  const store = options.store ?? memoryTextStore();
  const show = () =>
    render(<TaskPane deps={{ office, baseUrl, fetch: api.fetch, store, createCache: () => createMemoryStore(), now: () => new Date('2026-11-20T12:00:00Z') }} />);
  return { api, office, store, show };
}

async function signIn(password = PASSWORD) {
  fireEvent.change(await screen.findByLabelText('Email'), { target: { value: rep.email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the Outlook task pane', () => {
  it('signs in, keeps the token in the add-in\'s storage (no cookie), and shows the selected message\'s contact and deal', async () => {
    const { api, office, store, show } = world();
    office.select(message);
    show();
    await signIn('wrong');
    expect((await screen.findByRole('alert')).textContent).toContain('That email and password do not match an account.');
    await signIn();
    expect((await screen.findAllByText('Ann Lee')).length).toBeGreaterThan(0);
    expect((await screen.findAllByText('Acme renewal')).length).toBeGreaterThan(0);
    expect(readSession(store)?.user.email).toBe(rep.email);
    expect(document.cookie).toBe('');
    const contextCall = api.requests.find((r) => r.path.startsWith('/context'));
    expect(contextCall?.path).toContain('ann%40acme.test');
  });

  it('says so when no message is selected, and follows the selection (ItemChanged)', async () => {
    const { api, office, store, show } = world();
    const session = await (await api.fetch(`${baseUrl}/api/v1/session`, { method: 'POST', body: JSON.stringify({ email: rep.email, password: PASSWORD }), headers: { 'content-type': 'application/json' } })).json();
    saveSession(store, session);
    show();
    expect(await screen.findByText('No message selected')).toBeTruthy();
    office.select(message);
    expect((await screen.findAllByText('Ann Lee')).length).toBeGreaterThan(0);
    await waitFor(() => expect(screen.queryByText('No message selected')).toBeNull());
    office.select(null);
    expect(await screen.findByText('No message selected')).toBeTruthy();
  });

  it('signs out: the token is forgotten here and ended on the server', async () => {
    const { api, office, store, show } = world();
    office.select(message);
    show();
    await signIn();
    await screen.findAllByText('Ann Lee');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Inbox CRM' })).toBeTruthy();
    expect(readSession(store)).toBeNull();
    await waitFor(() => expect(api.requests.some((r) => r.method === 'DELETE' && r.path === '/session')).toBe(true));
  });

  it('asks to sign in again, saying why, when the API no longer accepts the stored session', async () => {
    const { api, office, store, show } = world();
    const session = await (await api.fetch(`${baseUrl}/api/v1/session`, { method: 'POST', body: JSON.stringify({ email: rep.email, password: PASSWORD }), headers: { 'content-type': 'application/json' } })).json();
    saveSession(store, session);
    api.expireSessions();
    office.select(message);
    show();
    expect(await screen.findByText('Your session has ended. Sign in again.')).toBeTruthy();
    expect(readSession(store)).toBeNull();
    await signIn();
    expect((await screen.findAllByText('Ann Lee')).length).toBeGreaterThan(0);
  });

  it('shows the self-test: signed in, CRM reachable, this Outlook and what it lacks', async () => {
    // An Outlook without 1.11 and 1.12 (e.g. an older classic Outlook on Windows).
    const { office, show } = world({ sets: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'] });
    office.select(message);
    show();
    await signIn();
    await screen.findAllByText('Ann Lee');
    fireEvent.click(screen.getByRole('button', { name: 'Self-test' }));
    const panel = await screen.findByTestId('self-test');
    const line = (label: string) => within(panel).getByText(label).closest('li')!;
    await waitFor(() => expect(line('CRM reachable').dataset.state).toBe('ok'));
    expect(line('Signed in').textContent).toContain(`as ${rep.email}`);
    expect(line('Outlook ready').textContent).toContain('Outlook on the web 16.0.18324.20000');
    expect(line('Tracked sending (Smart Alerts OnMessageSend)').dataset.state).toBe('bad');
    expect(line('Tracked sending (Smart Alerts OnMessageSend)').textContent).toContain('needs Mailbox 1.12, which this Outlook lacks: mail is sent untracked');
    expect(line('Bulk-mail headers (List-Unsubscribe, List-Id, Precedence, Auto-Submitted)').dataset.state).toBe('ok');
    expect(line('Last error').dataset.state).toBe('ok');
  });

  it('tells the rep, until dismissed, that an email went out without tracking', async () => {
    const { office, store, show } = world();
    office.select(message);
    // What the send check (launchevent.js) keeps when it lets a send go untracked.
    await recordNote('send', { text: 'Sent without tracking: the CRM did not answer in time.', source: 'send', at: '2026-11-20T11:58:00.000Z', subject: 'Pricing for 200 seats' }, store, office);
    const first = show();
    const banner = await screen.findByTestId('untracked-send');
    expect(banner.textContent).toContain('“Pricing for 200 seats”');
    expect(banner.textContent).toContain('Sent without tracking: the CRM did not answer in time.');
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('untracked-send')).toBeNull();
    // Dismissed stays dismissed when the pane opens again…
    first.unmount();
    show();
    await screen.findByTestId('sign-in');
    expect(screen.queryByTestId('untracked-send')).toBeNull();
    // …and a later untracked send, written by the send page while the pane is open, shows at once.
    await recordNote('send', { text: 'Sent without tracking: sign in to Inbox CRM in its Outlook pane.', source: 'send', at: '2026-11-20T12:05:00.000Z' }, store, office);
    window.dispatchEvent(new StorageEvent('storage', { key: 'inbox-crm::last-send-note' }));
    expect((await screen.findByTestId('untracked-send')).textContent).toContain('sign in to Inbox CRM in its Outlook pane');
  });

  it('reports an unreachable CRM in the self-test', async () => {
    const { api, office, show } = world();
    office.select(message);
    show();
    await signIn();
    await screen.findAllByText('Ann Lee');
    api.online = false;
    fireEvent.click(screen.getByRole('button', { name: 'Self-test' }));
    const panel = await screen.findByTestId('self-test');
    await waitFor(() => expect(within(panel).getByText('CRM reachable').closest('li')!.dataset.state).toBe('bad'));
    expect(within(panel).getByText('CRM reachable').closest('li')!.textContent).toContain('did not answer');
  });
});
