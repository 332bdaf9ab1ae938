// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { contextCache } from './cache.ts';
import { colleague, FakeHost, me, message, rep, stage, thread } from './test-fakes.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

describe('opening a thread', () => {
  it('shows the contact, their company and owner, the open deal with risk, the tasks and the timeline', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });

    const card = await screen.findByRole('article', { name: 'Contact Ann Lee' });
    expect(card.textContent).toContain('VP Sales');
    expect(card.textContent).toContain('Acme Corp');
    expect(card.textContent).toContain('Owned by Dana Smith');

    const deal = screen.getByRole('article', { name: 'Deal Acme renewal' });
    expect(deal.textContent).toContain('$12,000');
    await waitFor(() => expect(within(deal).getByRole('button', { pressed: true }).textContent).toBe('Proposal'));
    expect(deal.textContent).toContain('Closes Jan 15, 2027');
    expect(within(deal).getByText('Risk 72 · high')).toBeTruthy();
    expect(within(deal).getByText('No reply from Ann for 21 days.')).toBeTruthy();

    const tasks = screen.getByRole('region', { name: 'Open tasks' });
    expect(within(tasks).getByText('Send contract')).toBeTruthy();
    expect(within(tasks).getByText('Due Nov 25, 2026')).toBeTruthy();
    expect(screen.getByText('Met at the trade fair')).toBeTruthy();
    // Only the people outside the rep's organization are looked up.
    expect(crm.callsOf('getContext')[0]!.args[0]).toEqual(['ann@acme.test', 'carl@newco.test', 'pat.personal@gmail.com']);
  });

  it('says "Owned by you" for the rep’s own contacts and shows no risk badge when the API gives none', async () => {
    const { crm, host, store, world } = setup();
    world.ann.owner = { id: rep.id, name: 'Robin Rep', email: me.email };
    world.deal.risk = null;
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    expect((await screen.findByRole('article', { name: 'Contact Ann Lee' })).textContent).toContain('Owned by you');
    expect(screen.queryByText(/^Risk /)).toBeNull();
  });

  it('lists people the CRM does not know, each with a button to add them', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    expect(await screen.findByRole('button', { name: 'Add Carl New as a contact' })).toBeTruthy();
    expect(screen.getByText('With the company Newco')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add Pat as a contact' })).toBeTruthy();
    expect(screen.getByText('Personal address: no company')).toBeTruthy();
  });

  it('marks a newsletter sender as automated and keeps the add button quiet', async () => {
    const { crm, host, store } = setup();
    const sender = { name: 'Weekly Digest', email: 'digest@news.example' };
    host.open(thread('news', [message(sender, [me], { subject: 'This week', messageId: '<d1@news.example>', headers: { 'List-Unsubscribe': '<mailto:u@news.example>' } })]));
    renderSidebar({ host, api: crm, store });
    const card = await screen.findByRole('article', { name: 'Not in the CRM: Weekly Digest' });
    expect(card.textContent).toContain('Mailing list');
    expect(card.textContent).toContain('Looks automated (has a List-Unsubscribe header)');
    const button = within(card).getByRole('button', { name: 'Add Weekly Digest anyway' });
    expect(button.className).not.toContain('crm-primary');
  });

  it('follows the host to another thread and back to none', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    act(() => host.open(thread('t-carl', [message(world.carl, [me])])));
    expect(await screen.findByRole('button', { name: 'Add Carl New as a contact' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Acme renewal' })).toBeNull();
    act(() => host.close());
    expect(await screen.findByText('Open an email thread to see who is on it.')).toBeTruthy();
  });
});

describe('cache first', () => {
  it('shows the last known context at once, before the API answers, then the fresh one', async () => {
    const { crm, host, store, world } = setup();
    const cached = await crm.getContext([world.ann.email, 'carl@newco.test', 'pat.personal@gmail.com']);
    await contextCache.write(store, world.thread.threadId, { context: cached, emails: [], savedAt: '2026-11-19T08:00:00.000Z' });
    // Since then the deal moved on.
    crm.deals[0]!.stage = stage('Negotiation').id;
    crm.deals[0]!.stageInfo = { ...crm.deals[0]!.stageInfo, id: stage('Negotiation').id, name: 'Negotiation' };
    crm.hold('getContext');
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });

    const current = () => within(screen.getByRole('article', { name: 'Deal Acme renewal' })).getByRole('button', { pressed: true }).textContent;
    await waitFor(() => expect(current()).toBe('Proposal'));
    expect(screen.getByText('Updating…')).toBeTruthy();
    expect(crm.callsOf('getContext').length).toBeGreaterThan(1); // the request is out, unanswered

    act(() => crm.release('getContext'));
    await waitFor(() => expect(current()).toBe('Negotiation'));
    expect(screen.queryByText('Updating…')).toBeNull();
  });

  it('without a cache, says it is loading until the API answers', async () => {
    const { crm, host, store, world } = setup();
    crm.hold('getContext');
    host.open(world.thread);
    const { container } = renderSidebar({ host, api: crm, store });
    expect(await screen.findByText('Loading contacts and deals…')).toBeTruthy();
    expect(container.querySelector('[aria-busy="true"]')).not.toBeNull();
    act(() => crm.release('getContext'));
    expect(await screen.findByRole('heading', { name: 'Acme renewal' })).toBeTruthy();
  });
});

describe('states', () => {
  it('an internal-only thread looks nobody up', async () => {
    const { crm, host, store } = setup();
    host.open(thread('t-internal', [message(me, [{ name: 'Dana Smith', email: colleague.email }])]));
    renderSidebar({ host, api: crm, store });
    expect(await screen.findByText(/No one outside your organization is on this thread/)).toBeTruthy();
    expect(crm.callsOf('getContext')).toHaveLength(0);
  });

  it('signed out: a sign-in prompt instead of a broken panel, and the thread loads after signing in', async () => {
    const { crm, host, store, world } = setup();
    crm.signedIn = false;
    let asked = 0;
    const onSignIn = async () => {
      asked++;
      crm.signedIn = true; // what the host's sign-in flow achieves
    };
    host.open(world.thread);
    renderSidebar({ host, api: crm, store, onSignIn });
    expect(await screen.findByRole('heading', { name: 'Sign in to your CRM' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Acme renewal' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Acme renewal' })).toBeTruthy();
    expect(asked).toBe(1);
  });

  it('an API error is explained in words, with a way to try again', async () => {
    const { crm, host, store, world } = setup();
    crm.failNext('getContext', new ApiError('INTERNAL', 'Something went wrong on our side', 500));
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const alert = await screen.findByText(/Could not load this thread’s contacts\. The CRM had a problem on its side/);
    expect(alert).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Acme renewal' })).toBeTruthy();
  });

  it('offline with nothing cached: says so, and loads when the CRM is back', async () => {
    const { crm, host, store, world } = setup();
    crm.online = false;
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    expect(await screen.findByText(/has not been loaded on this computer before/)).toBeTruthy();
    expect(screen.getByText('Offline.')).toBeTruthy();
    crm.online = true;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(await screen.findByRole('heading', { name: 'Acme renewal' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Offline.')).toBeNull());
  });
});

it('works when the local store fails: loads from the API and saves changes', async () => {
  const { crm, host, world } = setup();
  const broken = { get: () => Promise.reject(new Error('QuotaExceededError')), set: () => Promise.reject(new Error('QuotaExceededError')), delete: () => Promise.reject(new Error('QuotaExceededError')) };
  host.open(world.thread);
  renderSidebar({ host, api: crm, store: broken });
  await screen.findByRole('heading', { name: 'Acme renewal' });
  fireEvent.click(screen.getByRole('button', { name: 'Complete task: Send contract' }));
  await waitFor(() => expect(crm.activities.find((a) => a.id === world.task.id)!.completedAt).not.toBeNull());
  expect(screen.queryByRole('alert')?.textContent ?? '').toBe('');
});

describe('density', () => {
  it('keeps the person and the deal in a header, and a folded section stays folded on the next thread and the next start', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const header = await screen.findByLabelText('This thread');
    expect(header.textContent).toBe('Ann Lee · Acme CorpAcme renewal · Proposal');

    const activity = screen.getByRole('button', { name: 'Recent activity' });
    expect(activity.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('Met at the trade fair')).toBeTruthy();
    fireEvent.click(activity);
    expect(screen.getByRole('button', { name: 'Recent activity' }).getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('Met at the trade fair')).toBeNull();

    // Another sidebar on the same store (a reload): still folded; opened again with one click.
    cleanup();
    const again = new FakeHost();
    again.open(world.thread);
    renderSidebar({ host: again, api: crm, store });
    await screen.findByLabelText('This thread');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Recent activity' }).getAttribute('aria-expanded')).toBe('false'));
    fireEvent.click(screen.getByRole('button', { name: 'Recent activity' }));
    expect(screen.getByText('Met at the trade fair')).toBeTruthy();
  });
});
