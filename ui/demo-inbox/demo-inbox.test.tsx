// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCredentials } from '../../db/demo-data.ts';
import { createMemoryStore, type KeyValueStore } from '../sidebar/cache.ts';
import { makeCompany, makeContact, makeDeal, rep } from '../sidebar/test-fakes.ts';
import { DemoInbox, type DemoInboxDeps } from './app.tsx';
import { demoSignIn } from './sign-in.tsx';
import { createFakeApi, memoryStorage, PASSWORD, type FakeApi } from './test-api.ts';

let api: FakeApi;
let deps: DemoInboxDeps;
let stores: Map<string, KeyValueStore>;

beforeEach(() => {
  api = createFakeApi();
  const acme = makeCompany({ name: 'Acme Robotics', domain: 'acme-robotics.com' });
  const olivia = makeContact({ email: 'olivia@acme-robotics.com', firstName: 'Olivia', lastName: 'Anderson', companyId: acme.id, ownerId: rep.id, owner: rep });
  api.crm.companies.push(acme);
  api.crm.contacts.push(olivia);
  api.crm.deals.push(makeDeal({ name: 'Acme Robotics — Fleet Analytics', companyId: acme.id, contactIds: [olivia.id] }, 'Proposal'));
  stores = new Map();
  deps = {
    baseUrl: 'http://crm.test',
    fetch: api.fetch,
    storage: memoryStorage(),
    // Like IndexedDB, the sidebar's store outlives a reload of the page.
    createStore: (email) => stores.get(email) ?? stores.set(email, createMemoryStore()).get(email)!,
    now: () => new Date('2026-11-20T12:00:00.000Z'),
    // The fake API's user (the page itself prefills the seeded rep1@demo.test).
    signInAs: { email: rep.email, password: PASSWORD },
  };
  window.history.replaceState(null, '', '/demo/inbox/');
});

afterEach(async () => {
  cleanup();
  await new Promise((r) => setTimeout(r, 0)); // let the deferred sidebar unmounts run
});

const rows = () => screen.getAllByTestId('thread-row');
const row = (kind: string) => rows().find((r) => r.dataset.threadKind === kind)!;
const sidebar = () => screen.getByTestId('demo-sidebar');

async function signInAsRep() {
  render(<DemoInbox deps={deps} />);
  fireEvent.click(screen.getByTestId('sign-in-submit'));
  await waitFor(() => expect(rows().length).toBeGreaterThan(0));
}

describe('the demo inbox page', () => {
  it('offers the seeded demo user, prefilled', () => {
    expect(demoSignIn).toEqual({ email: demoCredentials.rep, password: demoCredentials.password });
    render(<DemoInbox deps={{ ...deps, signInAs: undefined }} />);
    const form = screen.getByTestId('sign-in-form');
    expect(within(form).getByLabelText('Email')).toHaveProperty('value', 'rep1@demo.test');
    expect(within(form).getByLabelText('Password')).toHaveProperty('value', 'demo-password');
  });

  it('says why signing in failed', async () => {
    render(<DemoInbox deps={deps} />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: rep.email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect((await screen.findByTestId('sign-in-error')).textContent).toBe('Wrong email or password');
  });

  it('after sign-in lists the threads and shows the signed-in mailbox owner', async () => {
    await signInAsRep();
    expect(rows().map((r) => r.dataset.threadKind).sort()).toEqual(['bulk', 'internal', 'known', 'unknown-company', 'unknown-personal']);
    expect(row('known').dataset.contactEmail).toBe('olivia@acme-robotics.com');
    expect(screen.getByTestId('signed-in-user').textContent).toContain(rep.email);
    expect(screen.getByTestId('no-thread')).toBeTruthy();
  });

  it('opening a known contact’s thread shows its messages, feeds the sidebar and logs each message once', async () => {
    await signInAsRep();
    fireEvent.click(row('known'));
    const thread = screen.getByTestId('open-thread');
    expect(thread.dataset.threadId).toBe(row('known').dataset.threadId);
    expect(row('known').getAttribute('aria-current')).toBe('true');
    const messageIds = within(thread).getAllByTestId('message').map((m) => m.dataset.messageId);
    expect(messageIds).toHaveLength(3);
    expect(window.location.hash).toBe(`#thread=${thread.dataset.threadId}`);

    await waitFor(() => expect(within(sidebar()).getByRole('article', { name: 'Contact Olivia Anderson' })).toBeTruthy());
    expect(within(sidebar()).getAllByText('Acme Robotics — Fleet Analytics').length).toBeGreaterThan(0);
    await waitFor(() => expect(api.crm.activities.filter((a) => a.type === 'email').map((a) => a.messageId).sort()).toEqual([...messageIds].sort()));

    // Close with Escape: the sidebar goes back to idle and the row gets the focus.
    fireEvent.keyDown(thread, { key: 'Escape' });
    expect(screen.queryByTestId('open-thread')).toBeNull();
    expect(document.activeElement).toBe(row('known'));
    await waitFor(() => expect(within(sidebar()).getByText('Open an email thread to see who is on it.')).toBeTruthy());
  });

  it('after a reload is still signed in, reopens the same thread and logs nothing twice', async () => {
    await signInAsRep();
    fireEvent.click(row('known'));
    const before = within(screen.getByTestId('open-thread')).getAllByTestId('message').map((m) => m.dataset.messageId);
    await waitFor(() => expect(api.crm.activities.filter((a) => a.type === 'email')).toHaveLength(3));

    cleanup();
    await act(() => new Promise((r) => setTimeout(r, 0)));
    render(<DemoInbox deps={deps} />);
    const thread = await screen.findByTestId('open-thread'); // from the #thread= link
    expect(within(thread).getAllByTestId('message').map((m) => m.dataset.messageId)).toEqual(before);
    await waitFor(() => expect(within(sidebar()).getByRole('article', { name: 'Contact Olivia Anderson' })).toBeTruthy());
    await new Promise((r) => setTimeout(r, 50));
    expect(api.crm.activities.filter((a) => a.type === 'email')).toHaveLength(3);
  });

  it('moves between threads with the arrow keys', async () => {
    await signInAsRep();
    const [first, second] = rows();
    first!.focus();
    fireEvent.keyDown(first!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(second);
    fireEvent.keyDown(second!, { key: 'End' });
    expect(document.activeElement).toBe(rows().at(-1));
    fireEvent.keyDown(rows().at(-1)!, { key: 'Home' });
    expect(document.activeElement).toBe(first);
  });

  it('asks to sign in again when the session ended, and carries on after', async () => {
    await signInAsRep();
    api.expireSessions();
    fireEvent.click(row('unknown-company'));
    const prompt = await within(sidebar()).findByRole('button', { name: 'Sign in' });
    fireEvent.click(prompt);
    const dialog = await screen.findByTestId('sign-in-dialog');
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: PASSWORD } });
    fireEvent.click(within(dialog).getByTestId('sign-in-submit'));
    await waitFor(() => expect(screen.queryByTestId('sign-in-dialog')).toBeNull());
    await waitFor(() => expect(within(sidebar()).getByText('Dana Whitfield')).toBeTruthy());
  });

  it('signs out: ends the session on the server and shows the sign-in form', async () => {
    await signInAsRep();
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(screen.getByTestId('sign-in-form')).toBeTruthy();
    await waitFor(() => expect(api.requests.some((r) => r.method === 'DELETE' && r.path === '/session')).toBe(true));
    expect(deps.storage.length).toBe(0);
  });

  it('starts signed out, with a reason, when the stored session has ended', async () => {
    await signInAsRep();
    cleanup();
    api.expireSessions();
    render(<DemoInbox deps={deps} />);
    expect(await screen.findByText('Your session has ended. Sign in again.')).toBeTruthy();
    expect(screen.getByTestId('sign-in-form')).toBeTruthy();
  });
});

