// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import { colleague, FakeHost, makeActivity, makeDeal, me, message, stage, thread } from './test-fakes.ts';
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

  it('offers the title from the sender’s signature, and leaves it out when the rep unticks it', async () => {
    for (const keep of [true, false]) {
      const ctx = setup();
      const dana = { name: 'Dana Whitfield', email: 'dana@brightpath.test' };
      const body = 'Hi Robin,\n\nCould we see a demo next week?\n\nBest,\nDana Whitfield\nHead of Sales Operations, Brightpath';
      ctx.host.open(thread(`t-dana-${keep}`, [message(dana, [me], { bodyText: body })]));
      renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
      const offer = (await screen.findByLabelText(/Title: Head of Sales Operations/)) as HTMLInputElement;
      expect(offer.checked).toBe(true);
      if (!keep) fireEvent.click(offer);
      fireEvent.click(screen.getByRole('button', { name: 'Add Dana Whitfield as a contact' }));
      await waitFor(() => expect(ctx.crm.callsOf('createContact')).toHaveLength(1));
      const sent = ctx.crm.callsOf('createContact')[0]!.args[0] as { title?: string };
      expect(sent.title).toBe(keep ? 'Head of Sales Operations' : undefined);
      cleanup();
    }
  });

  it('a newsletter sender added anyway gets no company named after the list’s domain', async () => {
    const ctx = setup();
    const letter = { name: 'The Pipeline Letter', email: 'news@pipelineletter.test' };
    ctx.host.open(thread('t-letter', [message(letter, [me], { headers: { 'List-Unsubscribe': '<mailto:u@pipelineletter.test>' } })]));
    renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
    expect(await screen.findByText('Sent by a list or a machine: no company')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add The Pipeline Letter anyway' }));
    await waitFor(() => expect(ctx.crm.callsOf('createContact')).toHaveLength(1));
    expect(ctx.crm.callsOf('createCompany')).toHaveLength(0);
    expect(screen.queryByText(/Pipelineletter/)).toBeNull();
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

/** The stage the deal card marks as current. */
const currentStage = (name = 'Acme renewal') => within(dealCard(name)).getByRole('button', { pressed: true }).textContent;
const stageButton = (stageName: string, name = 'Acme renewal') => within(dealCard(name)).getByRole('button', { name: stageName });

describe('deals', () => {
  it('one click on the stage strip moves the deal at once, saves it, and confirms with Undo', async () => {
    const { crm, world } = await opened();
    crm.hold('updateDeal');
    fireEvent.click(stageButton('Negotiation'));

    await waitFor(() => expect(currentStage()).toBe('Negotiation'));
    expect(within(dealCard()).getByText('Pending')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Moved “Acme renewal” to Negotiation.');
    act(() => crm.release('updateDeal'));
    await waitFor(() => expect(within(dealCard()).queryByText('Pending')).toBeNull());
    expect(currentStage()).toBe('Negotiation');
    expect(crm.callsOf('updateDeal').map((c) => c.args.slice(0, 2))).toEqual([[world.deal.id, { stage: stage('Negotiation').id }]]);
    expect(crm.deals[0]!.stageInfo.name).toBe('Negotiation');

    // Undo after it was saved: the deal goes back where it was.
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(crm.deals[0]!.stageInfo.name).toBe('Proposal'));
    expect(currentStage()).toBe('Proposal');
    expect(within(screen.getByRole('status')).queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('with the strip focused, one arrow key moves the deal one stage on or back', async () => {
    const { crm } = await opened();
    const strip = within(dealCard()).getByRole('group', { name: 'Stage of Acme renewal' });
    fireEvent.keyDown(stageButton('Proposal'), { key: 'ArrowRight' });
    await waitFor(() => expect(currentStage()).toBe('Negotiation'));
    fireEvent.keyDown(stageButton('Negotiation'), { key: 'ArrowLeft' });
    expect(strip.isConnected).toBe(true);
    await waitFor(() => expect(currentStage()).toBe('Proposal'));
    await waitFor(() => expect(crm.callsOf('updateDeal')).toHaveLength(2));
    expect(crm.deals[0]!.stageInfo.name).toBe('Proposal');
  });

  it('moving to a lost stage asks why first, and sends the reason with the move', async () => {
    const { crm, world } = await opened();
    fireEvent.click(stageButton('Lost'));
    expect(crm.callsOf('updateDeal')).toHaveLength(0);
    const form = within(dealCard()).getByRole('form', { name: 'Why was Acme renewal lost?' });
    expect((within(form).getByRole('button', { name: 'Mark lost' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Why was it lost?'), { target: { value: 'Went with a competitor' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Mark lost' }));
    await waitFor(() => expect(crm.callsOf('updateDeal')).toHaveLength(1));
    expect(crm.callsOf('updateDeal')[0]!.args.slice(0, 2)).toEqual([world.deal.id, { stage: stage('Lost').id, lostReason: 'Went with a competitor' }]);
  });

  it('a refused move rolls back and says why', async () => {
    const { crm } = await opened();
    crm.hold('updateDeal');
    crm.failNext('updateDeal', new ApiError('FORBIDDEN', 'Only the deal’s owner, a manager or an admin can change it', 403));
    fireEvent.click(stageButton('Won'));
    await waitFor(() => expect(currentStage()).toBe('Won'));

    act(() => crm.release('updateDeal'));
    const alert = await screen.findByText(/Not saved: Move “Acme renewal” to Won\. You are not allowed to do this: Only the deal’s owner, a manager or an admin can change it/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(currentStage()).toBe('Proposal');
    expect(crm.deals[0]!.stageInfo.name).toBe('Proposal');
  });

  it('shows the owner on the card and a close date in the past as overdue', async () => {
    const { world, crm, host, store } = setup();
    world.deal.expectedCloseDate = '2026-11-02';
    world.deal.owner = colleague;
    world.deal.ownerId = colleague.id;
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const card = await screen.findByRole('article', { name: 'Deal Acme renewal' });
    expect(card.textContent).toContain('Owner: Dana Smith');
    const overdue = within(card).getByText('Overdue: was to close Nov 2, 2026');
    expect(overdue.className).toContain('crm-overdue');
  });

  it('edits value and close date as typed ("52k", "Feb 1"); focus goes to the form and back', async () => {
    const { crm, world } = await opened();
    const edit = within(dealCard()).getByRole('button', { name: 'Edit value and close date of Acme renewal' });
    fireEvent.click(edit);
    const value = within(dealCard()).getByLabelText('Value (USD)');
    expect(document.activeElement).toBe(value);
    expect((value as HTMLInputElement).value).toBe('12,000');
    fireEvent.change(value, { target: { value: '52k' } });
    expect(within(dealCard()).getByText('= $52,000')).toBeTruthy();
    fireEvent.change(within(dealCard()).getByLabelText('Close date'), { target: { value: 'Feb 1' } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Save' }));

    expect(await within(dealCard()).findByText('$52,000')).toBeTruthy();
    expect(within(dealCard()).getByText('Closes Feb 1, 2027')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Edit');
    await waitFor(() => expect(crm.callsOf('updateDeal')).toHaveLength(1));
    expect(crm.callsOf('updateDeal')[0]!.args.slice(0, 2)).toEqual([world.deal.id, { valueCents: 5_200_000, expectedCloseDate: '2027-02-01' }]);
  });

  it('reads a value the way the rep’s locale writes it', async () => {
    const ctx = setup();
    ctx.host.open(ctx.world.thread);
    renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store, locale: 'de-DE' });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    fireEvent.click(within(dealCard()).getByRole('button', { name: /^Edit value/ }));
    fireEvent.change(within(dealCard()).getByLabelText('Value (USD)'), { target: { value: '52.000,00 €' } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(ctx.crm.callsOf('updateDeal')).toHaveLength(1));
    expect(ctx.crm.callsOf('updateDeal')[0]!.args[1]).toEqual({ valueCents: 5_200_000 });
  });

  it('refuses a value that is not an amount, without calling the API', async () => {
    const { crm } = await opened();
    fireEvent.click(within(dealCard()).getByRole('button', { name: /^Edit value/ }));
    fireEvent.change(within(dealCard()).getByLabelText('Value (USD)'), { target: { value: 'lots' } });
    fireEvent.click(within(dealCard()).getByRole('button', { name: 'Save' }));
    expect(within(dealCard()).getByRole('alert').textContent).toContain('Enter an amount');
    expect(crm.callsOf('updateDeal')).toHaveLength(0);
  });

  it('creates a deal from a small form: name from company and subject, value, close date, stage; once however often pressed', async () => {
    const { crm, world } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Create a deal with Ann Lee' }));
    const form = screen.getByRole('form', { name: 'New deal with Acme Corp' });
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Acme Corp — Pricing for 200 seats');
    fireEvent.change(within(form).getByLabelText('Value'), { target: { value: '$52,000' } });
    fireEvent.change(within(form).getByLabelText('Close date'), { target: { value: '12/15/2026' } });
    fireEvent.change(within(form).getByLabelText('Stage'), { target: { value: stage('Proposal').id } });
    const create = within(form).getByRole('button', { name: 'Create deal' });
    fireEvent.click(create);
    fireEvent.click(create);

    expect(await screen.findByRole('heading', { name: 'Acme Corp — Pricing for 200 seats' })).toBeTruthy();
    await waitFor(() => expect(crm.callsOf('createDeal')).toHaveLength(1));
    expect(crm.callsOf('createDeal')[0]!.args[0]).toEqual({
      name: 'Acme Corp — Pricing for 200 seats', valueCents: 5_200_000, expectedCloseDate: '2026-12-15', stage: stage('Proposal').id,
      contactIds: [world.ann.id], companyId: world.acme.id,
    });
    await waitFor(() => expect(currentStage('Acme Corp — Pricing for 200 seats')).toBe('Proposal'));
    expect(crm.deals).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toContain('Deal “Acme Corp — Pricing for 200 seats” created.');
  });

  it('Undo right after creating a deal deletes it again', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Create a deal with Ann Lee' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create deal' }));
    await waitFor(() => expect(crm.deals).toHaveLength(2));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(crm.deals).toHaveLength(1));
    expect(crm.callsOf('deleteDeal')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Acme Corp — Pricing for 200 seats' })).toBeNull());
  });
});

describe('tasks and notes', () => {
  it('the forms stay folded until asked for', async () => {
    await opened();
    expect(screen.queryByLabelText('Follow-up task')).toBeNull();
    expect(screen.queryByLabelText('Note')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '+ Task' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Follow-up task'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Follow-up task')).toBeNull();
  });

  it('adds a follow-up task with a typed due date, linked to the contact and the one open deal', async () => {
    const { crm, world } = await opened();
    fireEvent.click(screen.getByRole('button', { name: '+ Task' }));
    fireEvent.change(screen.getByLabelText('Follow-up task'), { target: { value: 'Call Ann back' } });
    fireEvent.change(screen.getByLabelText('Due'), { target: { value: 'Nov 27' } });
    expect((screen.getByLabelText('Deal') as HTMLSelectElement).value).toBe(world.deal.id);
    fireEvent.click(screen.getByRole('button', { name: 'Add task' }));

    expect(await within(tasksRegion()).findByText('Call Ann back')).toBeTruthy();
    expect(screen.queryByLabelText('Follow-up task')).toBeNull();
    await waitFor(() => expect(crm.callsOf('addTask')).toHaveLength(1));
    expect(crm.callsOf('addTask')[0]!.args[0]).toEqual({
      subject: 'Call Ann back', dueAt: new Date('2026-11-27T09:00:00').toISOString(), contactIds: [world.ann.id], dealIds: [world.deal.id],
    });
    await waitFor(() => expect(within(tasksRegion()).queryByText('Pending')).toBeNull());
    expect(within(tasksRegion()).getByText('Call Ann back')).toBeTruthy();
  });

  it('with several open deals the rep picks one, and the pick is the default next time on this thread', async () => {
    const ctx = setup();
    const second = makeDeal({ name: 'Acme expansion', contactIds: [ctx.world.ann.id], companyId: ctx.world.acme.id });
    ctx.crm.deals.push(second);
    ctx.host.open(ctx.world.thread);
    renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
    await screen.findByRole('heading', { name: 'Acme expansion' });
    fireEvent.click(screen.getByRole('button', { name: '+ Note' }));
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Budget approved' } });
    // No guess among several deals: Add waits for a choice.
    expect((screen.getByLabelText('Deal') as HTMLSelectElement).value).toBe('');
    expect((screen.getByRole('button', { name: 'Add note' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Deal'), { target: { value: second.id } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(ctx.crm.callsOf('addNote')).toHaveLength(1));
    expect(ctx.crm.callsOf('addNote')[0]!.args[0]).toMatchObject({ dealIds: [second.id] });

    // Away and back (a new sidebar, same store): the task form starts on the deal used last here.
    cleanup();
    const host = new FakeHost();
    host.open(ctx.world.thread);
    renderSidebar({ host, api: ctx.crm, store: ctx.store });
    await screen.findByRole('heading', { name: 'Acme expansion' });
    fireEvent.click(screen.getByRole('button', { name: '+ Task' }));
    expect((screen.getByLabelText('Deal') as HTMLSelectElement).value).toBe(second.id);
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
    fireEvent.click(screen.getByRole('button', { name: '+ Note' }));
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Wants a 3-year term' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    const timeline = screen.getByRole('region', { name: 'Recent activity' });
    expect(await within(timeline).findByText('Wants a 3-year term')).toBeTruthy();
    await waitFor(() => expect(crm.callsOf('addNote')).toHaveLength(1));
    expect(crm.callsOf('addNote')[0]!.args[0]).toEqual({ body: 'Wants a 3-year term', contactIds: [world.ann.id], dealIds: [world.deal.id] });
  });
});

describe('Undo for what was just added', () => {
  const undo = () => fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));

  it('Undo right after adding a note deletes it again and takes it out of the timeline', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: '+ Note' }));
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Wants a 3-year term' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(crm.activities.some((a) => a.body === 'Wants a 3-year term')).toBe(true));
    const note = crm.activities.find((a) => a.body === 'Wants a 3-year term')!;
    expect(screen.getByRole('status').textContent).toContain('Note added.');
    undo();
    await waitFor(() => expect(crm.callsOf('deleteActivity').map((c) => c.args[0])).toEqual([note.id]));
    const timeline = screen.getByRole('region', { name: 'Recent activity' });
    await waitFor(() => expect(within(timeline).queryByText('Wants a 3-year term')).toBeNull());
    expect(crm.activities.some((a) => a.id === note.id)).toBe(false);
  });

  it('Undo right after adding a task deletes it again and takes it off the open tasks', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: '+ Task' }));
    fireEvent.change(screen.getByLabelText('Follow-up task'), { target: { value: 'Call Ann back' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add task' }));
    await waitFor(() => expect(crm.activities.some((a) => a.subject === 'Call Ann back')).toBe(true));
    const task = crm.activities.find((a) => a.subject === 'Call Ann back')!;
    expect(screen.getByRole('status').textContent).toContain('Task “Call Ann back” added.');
    undo();
    await waitFor(() => expect(crm.callsOf('deleteActivity').map((c) => c.args[0])).toEqual([task.id]));
    await waitFor(() => expect(within(tasksRegion()).queryByText('Call Ann back')).toBeNull());
    expect(within(tasksRegion()).getByText('Send contract')).toBeTruthy();
  });

  it('Undo right after adding a contact deletes it again and offers the sender as unknown once more', async () => {
    const { crm } = await opened();
    fireEvent.click(screen.getByRole('button', { name: 'Add Carl New as a contact' }));
    await screen.findByRole('article', { name: 'Contact Carl New' });
    await waitFor(() => expect(crm.contacts.some((c) => c.email === 'carl@newco.test')).toBe(true));
    const carl = crm.contacts.find((c) => c.email === 'carl@newco.test')!;
    expect(screen.getByRole('status').textContent).toContain('Added Carl New as a contact.');
    undo();
    await waitFor(() => expect(crm.callsOf('deleteContact').map((c) => c.args[0])).toEqual([carl.id]));
    expect(await screen.findByRole('button', { name: 'Add Carl New as a contact' })).toBeTruthy();
    expect(screen.queryByRole('article', { name: 'Contact Carl New' })).toBeNull();
    expect(crm.contacts.some((c) => c.id === carl.id)).toBe(false);
  });

  it('Undo while the note is still queued (offline) drops it without calling the API', async () => {
    const { crm } = await opened();
    crm.failNext('addNote', new ApiError('OFFLINE', 'offline', 0));
    fireEvent.click(screen.getByRole('button', { name: '+ Note' }));
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Queued note' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(crm.callsOf('addNote')).toHaveLength(1));
    undo();
    const timeline = screen.getByRole('region', { name: 'Recent activity' });
    await waitFor(() => expect(within(timeline).queryByText('Queued note')).toBeNull());
    expect(crm.callsOf('deleteActivity')).toHaveLength(0);
    expect(crm.activities.some((a) => a.body === 'Queued note')).toBe(false);
  });
});

describe('timeline', () => {
  it('shows a note’s body, who sent a received email, who wrote a note, and completed tasks as completed', async () => {
    const ctx = setup();
    const { ann } = ctx.world;
    ctx.crm.activities.push(
      makeActivity({ type: 'note', subject: 'Note', body: 'Legal wants a DPA first', occurredAt: '2026-11-18T10:00:00.000Z', contactIds: [ann.id], owner: colleague, ownerId: colleague.id }),
      makeActivity({ type: 'email', direction: 'inbound', subject: 'Re: Pricing', from: ann.email, occurredAt: '2026-11-17T10:00:00.000Z', contactIds: [ann.id] }),
      makeActivity({ type: 'task', subject: 'Book the demo', completedAt: '2026-11-16T12:00:00.000Z', occurredAt: '2026-11-16T10:00:00.000Z', contactIds: [ann.id] }),
    );
    ctx.host.open(ctx.world.thread);
    renderSidebar({ host: ctx.host, api: ctx.crm, store: ctx.store });
    const timeline = await screen.findByRole('region', { name: 'Recent activity' });
    const items = () => within(timeline).getAllByRole('listitem').map((li) => li.textContent);
    await waitFor(() => expect(items().length).toBeGreaterThanOrEqual(4));
    expect(items()).toEqual(expect.arrayContaining([
      'NoteLegal wants a DPA firstNov 18, 2026 · Dana Smith',
      'Email receivedRe: PricingNov 17, 2026 · Ann Lee',
      'Task completed ✓Book the demoNov 16, 2026 · you',
    ]));
    expect(items().join()).not.toContain('NoteNote');
  });
});
