// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { colleague, makeActivity, makeDeal, makeRisk, me, message, rep, thread } from './test-fakes.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

describe('between threads', () => {
  it('with nothing open: my tasks due today (overdue first), my deals at high risk, and a search over contacts and deals', async () => {
    const { crm, host, store, world } = setup();
    crm.activities.push(
      makeActivity({ type: 'task', subject: 'Call Ann about the DPA', dueAt: '2026-11-20T15:00:00.000Z', contactIds: [world.ann.id] }),
      makeActivity({ type: 'task', subject: 'Chase the PO', dueAt: '2026-11-18T09:00:00.000Z', contactIds: [world.ann.id] }),
      makeActivity({ type: 'task', subject: 'Someone else’s task', dueAt: '2026-11-20T09:00:00.000Z', ownerId: colleague.id, owner: colleague }),
    );
    crm.deals.push(makeDeal({ name: 'Bolt pilot', risk: makeRisk(64, 'medium') }));
    renderSidebar({ host, api: crm, store });

    const tasks = await screen.findByRole('region', { name: 'My tasks today' });
    await waitFor(() => expect(within(tasks).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Chase the POOverdue · Nov 18, 2026Complete',
      'Call Ann about the DPADue todayComplete',
    ]));
    // world.task (Send contract) is due on Nov 25: not today.
    const risky = screen.getByRole('region', { name: 'My deals at risk' });
    await waitFor(() => expect(within(risky).getAllByRole('listitem')).toHaveLength(1));
    expect(within(risky).getByRole('listitem').textContent).toBe('Acme renewal Risk 72 · highFollow up this week.');

    fireEvent.change(screen.getByLabelText('Search contacts and deals'), { target: { value: 'ann' } });
    const results = await screen.findByRole('region', { name: 'Search results' });
    expect(within(results).getByText('Ann Lee')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search contacts and deals'), { target: { value: 'bolt' } });
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Search results' })).getByText('Bolt pilot')).toBeTruthy());
    expect(crm.callsOf('searchDeals').map((c) => c.args[0])).toContain('bolt');
    expect(crm.callsOf('openTasksDue')[0]!.args[0]).toBe(rep.id);
  });

  it('completes a task due today from the list; a refused completion keeps it and says why', async () => {
    const { crm, host, store, world } = setup();
    const chase = makeActivity({ type: 'task', subject: 'Chase the PO', dueAt: '2026-11-18T09:00:00.000Z', contactIds: [world.ann.id] });
    const call = makeActivity({ type: 'task', subject: 'Call Ann about the DPA', dueAt: '2026-11-20T15:00:00.000Z', contactIds: [world.ann.id] });
    crm.activities.push(chase, call);
    renderSidebar({ host, api: crm, store });
    const tasks = await screen.findByRole('region', { name: 'My tasks today' });
    const button = await within(tasks).findByRole('button', { name: 'Complete task: Chase the PO' });
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(within(tasks).queryByText('Chase the PO')).toBeNull());
    expect(crm.callsOf('completeTask').map((c) => c.args[0])).toEqual([chase.id]);
    expect(crm.activities.find((a) => a.id === chase.id)!.completedAt).not.toBeNull();

    crm.failNext('completeTask', new ApiError('NOT_FOUND', 'Task not found', 404));
    fireEvent.click(within(tasks).getByRole('button', { name: 'Complete task: Call Ann about the DPA' }));
    expect(await screen.findByText(/Not saved: Complete the task “Call Ann about the DPA”\. Task not found/)).toBeTruthy();
    expect(within(tasks).getByText('Call Ann about the DPA')).toBeTruthy();
    expect(crm.activities.find((a) => a.id === call.id)!.completedAt).toBeNull();
  });

  it('a contact found opens in place with their company, open deals and tasks; a deal found shows its close date, owner and risk', async () => {
    const { crm, host, store, world } = setup();
    renderSidebar({ host, api: crm, store });
    fireEvent.change(screen.getByLabelText('Search contacts and deals'), { target: { value: 'ann' } });
    const results = await screen.findByRole('region', { name: 'Search results' });
    const ann = within(results).getByRole('button', { name: 'Ann Lee' });
    expect(ann.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(ann);
    const about = await within(results).findByRole('group', { name: 'About Ann Lee' });
    await waitFor(() => expect(about.textContent).toContain('Acme Corp'));
    expect(about.textContent).toContain('Acme renewal');
    expect(about.textContent).toContain('Send contract');
    expect(crm.callsOf('getContext').map((c) => c.args[0])).toEqual([[world.ann.email]]);
    fireEvent.click(ann);
    expect(within(results).queryByRole('group', { name: 'About Ann Lee' })).toBeNull();

    fireEvent.change(screen.getByLabelText('Search contacts and deals'), { target: { value: 'acme' } });
    const deal = await within(screen.getByRole('region', { name: 'Search results' })).findByRole('button', { name: 'Acme renewal' });
    fireEvent.click(deal);
    const dealAbout = screen.getByRole('group', { name: 'About Acme renewal' });
    expect(dealAbout.textContent).toContain('Risk 72 · high: Follow up this week.');
  });

  it('on an internal thread the same, and it says nothing was looked up', async () => {
    const { crm, host, store } = setup();
    host.open(thread('t-internal', [message(me, [{ name: 'Dana Smith', email: colleague.email }])]));
    renderSidebar({ host, api: crm, store });
    expect(await screen.findByText(/No one outside your organization is on this thread/)).toBeTruthy();
    expect(await screen.findByRole('region', { name: 'My deals at risk' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search contacts and deals'), { target: { value: 'zzz' } });
    expect(await screen.findByText('Nothing matches “zzz”.')).toBeTruthy();
    expect(crm.callsOf('getContext')).toHaveLength(0);
  });
});
