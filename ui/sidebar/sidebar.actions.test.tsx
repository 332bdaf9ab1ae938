// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { me, message, stage, thread } from './test-fakes.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

async function opened() {
  const ctx = setup();
  ctx.host.open(ctx.world.thread);
  renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
  await screen.findByRole('heading', { name: 'Acme renewal' });
  return ctx;
}
const dealCard = (name = 'Acme renewal') => screen.getByRole('article', { name: `Deal ${name}` });
const tasksRegion = () => screen.getByRole('region', { name: 'Open tasks' });

describe('unknown sender → contact', () => {
  it('one click creates the contact with the name from the message and a company from the domain', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Add Carl New as a contact' }));

    const card = await screen.findByRole('article', { name: 'Contact Carl New' });
    await waitFor(() => expect(card.textContent).toContain('Newco'));
    expect(crm.callsOf('createCompany').map((c) => c.args[0])).toEqual([{ name: 'Newco', domain: 'newco.test' }]);
    const newco = crm.companies.find((c) => c.domain === 'newco.test')!;
    expect(crm.callsOf('createContact').map((c) => c.args[0])).toEqual([{ email: 'carl@newco.test', firstName: 'Carl', lastName: 'New', companyId: newco.id }]);
    expect(screen.queryByRole('button', { name: 'Add Carl New as a contact' })).toBeNull();
    // Focus lands on the new contact, not on the page.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Carl New'));
  });

  it('a personal-mail sender gets no company', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Add Pat as a contact' }));
    const card = await screen.findByRole('article', { name: 'Contact Pat' });
    await waitFor(() => expect(crm.callsOf('createContact')).toHaveLength(1));
    expect(crm.callsOf('createCompany')).toHaveLength(0);
    expect(crm.callsOf('createContact')[0]!.args[0]).toEqual({ email: 'pat.personal@gmail.com', firstName: 'Pat', lastName: null });
    expect(card.textContent).not.toContain('Gmail');
  });

  it('reuses the company the CRM already has for the domain', async () => {
    const ctx = setup();
    const bea = { name: 'Bea Acme', email: 'bea@acme.test' };
    ctx.host.open(thread('t-bea', [message(bea, [me], { cc: [{ name: 'Ann Lee', email: 'ann@acme.test' }] })]));
    renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
    fireEvent.click(await screen.findByRole('button', { name: 'Add Bea Acme as a contact' }));
    await waitFor(() => expect(ctx.crm.callsOf('createContact')).toHaveLength(1));
    expect(ctx.crm.callsOf('createCompany')).toHaveLength(0);
    expect(ctx.crm.callsOf('createContact')[0]!.args[0]).toMatchObject({ email: 'bea@acme.test', companyId: ctx.world.acme.id });
  });
});

describe('deals', () => {
  it('moving a stage shows the new stage at once and saves it', async () => {
    const { crm, world } = await opened();
    crm.hold('updateDeal');
    fireEvent.change(within(dealCard()).getByLabelText('Stage'), { target: { value: stage('Negotiation').id } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Move to Negotiation' }));

    expect(await within(dealCard()).findByText('Stage: Negotiation')).toBeTruthy();
    expect(within(dealCard()).getByText('Pending')).toBeTruthy();
    act(() => crm.release('updateDeal'));
    await waitFor(() => expect(within(dealCard()).queryByText('Pending')).toBeNull());
    expect(within(dealCard()).getByText('Stage: Negotiation')).toBeTruthy();
    expect(crm.callsOf('updateDeal').map((c) => c.args.slice(0, 2))).toEqual([[world.deal.id, { stage: stage('Negotiation').id }]]);
    expect(crm.deals[0]!.stageInfo.name).toBe('Negotiation');
  });

  it('a refused move rolls back and says why', async () => {
    const { crm } = await opened();
    crm.hold('updateDeal');
    crm.failNext('updateDeal', new ApiError('FORBIDDEN', 'Only the deal’s owner, a manager or an admin can change it', 403));
    fireEvent.change(within(dealCard()).getByLabelText('Stage'), { target: { value: stage('Won').id } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Move to Won' }));
    expect(await within(dealCard()).findByText('Stage: Won')).toBeTruthy();

    act(() => crm.release('updateDeal'));
    const alert = await screen.findByText(/Not saved: Move “Acme renewal” to Won\. You are not allowed to do this: Only the deal’s owner, a manager or an admin can change it/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(within(dealCard()).getByText('Stage: Proposal')).toBeTruthy();
    expect((within(dealCard()).getByLabelText('Stage') as HTMLSelectElement).value).toBe(stage('Proposal').id);
    expect(crm.deals[0]!.stageInfo.name).toBe('Proposal');
  });

  it('edits value and close date; focus goes to the form and back', async () => {
    const { crm, world } = await opened();
    const edit = within(dealCard()).getByRole('button', { name: 'Edit value and close date of Acme renewal' });
    fireEvent.click(edit);
    const value = within(dealCard()).getByLabelText('Value (USD)');
    expect(document.activeElement).toBe(value);
    fireEvent.change(value, { target: { value: '15,000' } });
    fireEvent.change(within(dealCard()).getByLabelText('Close date'), { target: { value: '2027-02-01' } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Save' }));

    expect(await within(dealCard()).findByText('$15,000')).toBeTruthy();
    expect(within(dealCard()).getByText('Closes Feb 1, 2027')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Edit');
    await waitFor(() => expect(crm.callsOf('updateDeal')).toHaveLength(1));
    expect(crm.callsOf('updateDeal')[0]!.args.slice(0, 2)).toEqual([world.deal.id, { valueCents: 1_500_000, expectedCloseDate: '2027-02-01' }]);
  });

  it('refuses a value that is not a number, without calling the API', async () => {
    const { crm } = await opened();
    fireEvent.click(within(dealCard()).getByRole('button', { name: /^Edit value/ }));
    fireEvent.change(within(dealCard()).getByLabelText('Value (USD)'), { target: { value: 'lots' } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Save' }));
    expect(within(dealCard()).getByRole('alert').textContent).toContain('Enter the value as a number');
    expect(crm.callsOf('updateDeal')).toHaveLength(0);
  });

  it('one click creates a deal with the contact attached', async () => {
    const { crm, world } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Create a deal with Ann Lee' }));
    expect(await screen.findByRole('heading', { name: 'Acme Corp deal' })).toBeTruthy();
    await waitFor(() => expect(crm.callsOf('createDeal')).toHaveLength(1));
    expect(crm.callsOf('createDeal')[0]!.args[0]).toEqual({ name: 'Acme Corp deal', contactIds: [world.ann.id], companyId: world.acme.id });
    await waitFor(() => expect(within(dealCard('Acme Corp deal')).getByText('Stage: Qualified')).toBeTruthy());
  });
});

describe('tasks and notes', () => {
  it('adds a follow-up task with a due date, linked to the contact and the one open deal', async () => {
    const { crm, world } = await opened();
    fireEvent.change(screen.getByLabelText('Follow-up task'), { target: { value: 'Call Ann back' } });
    fireEvent.change(screen.getByLabelText('Due'), { target: { value: '2026-11-27' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add task' }));

    expect(await within(tasksRegion()).findByText('Call Ann back')).toBeTruthy();
    expect((screen.getByLabelText('Follow-up task') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(crm.callsOf('addTask')).toHaveLength(1));
    expect(crm.callsOf('addTask')[0]!.args[0]).toEqual({
      subject: 'Call Ann back', dueAt: new Date('2026-11-27T09:00:00').toISOString(), contactIds: [world.ann.id], dealIds: [world.deal.id],
    });
    await waitFor(() => expect(within(tasksRegion()).queryByText('Pending')).toBeNull());
    expect(within(tasksRegion()).getByText('Call Ann back')).toBeTruthy();
  });

  it('completes a task', async () => {
    const { crm, world } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Complete task: Send contract' }));
    await waitFor(() => expect(within(tasksRegion()).queryByText('Send contract')).toBeNull());
    expect(within(tasksRegion()).getByText('No open tasks.')).toBeTruthy();
    await waitFor(() => expect(crm.callsOf('completeTask').map((c) => c.args[0])).toEqual([world.task.id]));
    expect(crm.activities.find((a) => a.id === world.task.id)!.completedAt).not.toBeNull();
    expect(document.activeElement?.textContent).toBe('Open tasks');
  });

  it('a refused completion puts the task back and says why', async () => {
    const { crm } = await opened();
    crm.failNext('completeTask', new ApiError('NOT_FOUND', 'Task not found', 404));
    fireEvent.click(screen.getByRole('button', { name: 'Complete task: Send contract' }));
    expect(await screen.findByText(/Not saved: Complete the task “Send contract”\. Task not found/)).toBeTruthy();
    expect(within(tasksRegion()).getByText('Send contract')).toBeTruthy();
  });

  it('adds a note that shows in the timeline', async () => {
    const { crm, world } = await opened();
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Wants a 3-year term' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    const timeline = screen.getByRole('region', { name: 'Recent activity' });
    expect(await within(timeline).findByText('Wants a 3-year term')).toBeTruthy();
    await waitFor(() => expect(crm.callsOf('addNote')).toHaveLength(1));
    expect(crm.callsOf('addNote')[0]!.args[0]).toEqual({ body: 'Wants a 3-year term', contactIds: [world.ann.id], dealIds: [world.deal.id] });
  });
});
