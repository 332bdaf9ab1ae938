// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from './cache.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

const dealCard = () => screen.getByRole('article', { name: 'Deal Acme renewal' });
const tasksRegion = () => screen.getByRole('region', { name: 'Open tasks' });
const writes = (calls: { method: string }[]) => calls.map((c) => c.method).filter((m) => !['getContext', 'listPipelines', 'logEmail', 'me', 'openTasksDue', 'myDealsAtRisk'].includes(m));

function moveTo(name: string) {
  fireEvent.click(within(dealCard()).getByRole('button', { name }));
}
const currentStage = () => within(dealCard()).getByRole('button', { pressed: true }).textContent;

function addTask(subject: string) {
  fireEvent.click(screen.getByRole('button', { name: '+ Task' }));
  fireEvent.change(screen.getByLabelText('Follow-up task'), { target: { value: subject } });
  fireEvent.click(screen.getByRole('button', { name: 'Add task' }));
}

describe('offline', () => {
  it('queues changes, shows them as pending, and sends them in order once the CRM is back', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });

    crm.online = false;
    moveTo('Negotiation');
    expect(await screen.findByText(/1 change waiting to be sent/)).toBeTruthy();
    expect(screen.getByText('Offline.')).toBeTruthy();
    addTask('Call Ann back');
    expect(await screen.findByText(/2 changes waiting to be sent/)).toBeTruthy();
    expect(currentStage()).toBe('Negotiation');
    expect(within(dealCard()).getByText('Pending')).toBeTruthy();
    expect(within(tasksRegion()).getByText('Call Ann back')).toBeTruthy();
    expect(within(tasksRegion()).getByText('Pending')).toBeTruthy();
    expect(crm.deals[0]!.stageInfo.name).toBe('Proposal'); // nothing reached the server

    crm.online = true;
    const before = crm.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(await screen.findByText('2 changes made offline were saved to the CRM.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Offline.')).toBeNull());
    expect(writes(crm.calls.slice(before))).toEqual(['updateDeal', 'addTask']);
    expect(crm.deals[0]!.stageInfo.name).toBe('Negotiation');
    expect(crm.activities.filter((a) => a.subject === 'Call Ann back')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByText('Pending')).toBeNull());
    expect(host.notifications).toContain('2 changes made offline were saved to the CRM.');
  });

  it('shows the cached context with the time it was saved when the CRM cannot be reached', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    const first = renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    first.unmount();

    crm.online = false;
    renderSidebar({ host, api: crm, store });
    expect(await screen.findByText(/Showing what was saved at/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Acme renewal' })).toBeTruthy();
    expect(screen.getByText('Offline.')).toBeTruthy();
  });

  it('keeps queued changes across a reload and applies each exactly once', async () => {
    const { crm, host, world } = setup();
    const store = createMemoryStore();
    host.open(world.thread);
    const first = renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    crm.online = false;
    addTask('Send the proposal');
    await screen.findByText(/1 change waiting to be sent/);
    first.unmount(); // the tab is closed while offline

    crm.online = true;
    const online = crm.calls.length;
    const second = renderSidebar({ host, api: crm, store });
    await waitFor(() => expect(crm.activities.filter((a) => a.subject === 'Send the proposal')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('Pending')).toBeNull());
    second.unmount();

    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    await waitFor(() => expect(within(tasksRegion()).getByText('Send the proposal')).toBeTruthy());
    expect(writes(crm.calls.slice(online))).toEqual(['addTask']);
    expect(crm.activities.filter((a) => a.subject === 'Send the proposal')).toHaveLength(1);
  });

  it('a contact created offline is created first, and a deal made for it then gets its real id', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });

    crm.online = false;
    fireEvent.click(screen.getByRole('button', { name: 'Add Carl New as a contact' }));
    const card = await screen.findByRole('article', { name: 'Contact Carl New' });
    expect(within(card).getByText('Pending')).toBeTruthy();
    expect(card.textContent).toContain('Newco'); // the company to be, shown already
    // Carl sent the latest message, so the one-click deal is for him.
    fireEvent.click(screen.getByRole('button', { name: 'Create a deal with Carl New' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create deal' }));
    expect(await screen.findByRole('heading', { name: 'Newco — Pricing for 200 seats' })).toBeTruthy();
    expect(await screen.findByText(/2 changes waiting to be sent/)).toBeTruthy();

    crm.online = true;
    const online = crm.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(crm.deals.some((d) => d.name === 'Newco — Pricing for 200 seats')).toBe(true));
    const carl = crm.contacts.find((c) => c.email === 'carl@newco.test')!;
    const newco = crm.companies.find((c) => c.domain === 'newco.test')!;
    expect(carl.companyId).toBe(newco.id);
    expect(crm.deals.find((d) => d.name === 'Newco — Pricing for 200 seats')).toMatchObject({ contactIds: [carl.id], companyId: newco.id });
    expect(writes(crm.calls.slice(online))).toEqual(['createCompany', 'createContact', 'createDeal']);
    await waitFor(() => expect(within(screen.getByRole('article', { name: 'Contact Carl New' })).queryByText('Pending')).toBeNull());
  });
});
