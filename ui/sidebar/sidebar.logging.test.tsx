// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeActivity, me, message, person, thread } from './test-fakes.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

const loggingRegion = () => screen.getByRole('region', { name: 'Email logging' });
const loggedIds = (calls: { args: unknown[] }[]) => calls.map((c) => (c.args[0] as { messageId: string }).messageId);

function withNewsletter() {
  const ctx = setup();
  const ann = person('Ann Lee', 'ann@acme.test');
  const news = message(ann, [me], { subject: 'Acme product news', messageId: '<news@acme.test>', headers: { 'List-Unsubscribe': '<mailto:u@acme.test>' } });
  const t = thread('t-acme', [ctx.world.messages.first, news, ctx.world.messages.reply, ctx.world.messages.fromCarl]);
  return { ...ctx, t };
}

describe('automatic email logging', () => {
  it('logs the messages that involve a known contact, the rep’s reply included, and says where', async () => {
    const { crm, host, store, t, world } = withNewsletter();
    host.open(t);
    renderSidebar({ host, api: crm, store });

    await waitFor(() => expect(within(loggingRegion()).getAllByText('Logged to Ann Lee, Acme renewal')).toHaveLength(2));
    expect(loggedIds(crm.callsOf('logEmail'))).toEqual(['<m-ann-1@acme.test>', '<m-rep-1@seller.test>']);
    expect(crm.callsOf('logEmail')[1]!.args[0]).toMatchObject({ direction: 'outbound', from: 'robin@seller.test', to: ['ann@acme.test'], threadId: 't-acme' });
    expect(within(loggingRegion()).getByText('Not logged: automated or bulk mail (has a List-Unsubscribe header)')).toBeTruthy();
    expect(within(loggingRegion()).getByText('Not logged: no known contact on it')).toBeTruthy();
    // The logged emails come back in the timeline.
    const timeline = screen.getByRole('region', { name: 'Recent activity' });
    await waitFor(() => expect(within(timeline).getByText('Pricing for 200 seats')).toBeTruthy());
    expect(world.ann.id).toBeTruthy();
  });

  it('logs each message once, however often the thread is opened', async () => {
    const { crm, host, store, t, world } = withNewsletter();
    host.open(t);
    const first = renderSidebar({ host, api: crm, store });
    await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(2));
    // Later activity pushes the logged emails out of the context's latest 20: the sidebar must remember them itself.
    for (let i = 0; i < 25; i++) crm.activities.push(makeActivity({ type: 'note', body: `note ${i}`, occurredAt: '2026-11-21T00:00:00.000Z', contactIds: [world.ann.id] }));
    act(() => host.close());
    act(() => host.open(t));
    await screen.findByRole('heading', { name: 'Acme renewal' });
    first.unmount();
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    await waitFor(() => expect(crm.callsOf('getContext').length).toBeGreaterThanOrEqual(4));
    expect(loggedIds(crm.callsOf('logEmail'))).toEqual(['<m-ann-1@acme.test>', '<m-rep-1@seller.test>']);
    expect(crm.activities.filter((a) => a.type === 'email')).toHaveLength(2);
  });

  it('logs a message from a new contact right after the contact is created, not before', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Add Carl New as a contact' }));
    await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(3));
    const order = crm.calls.map((c) => (c.method === 'logEmail' ? `log ${(c.args[0] as { messageId: string }).messageId}` : c.method)).filter((m) => m !== 'getContext' && m !== 'listPipelines');
    expect(order.slice(-3)).toEqual(['createCompany', 'createContact', 'log <m-carl-1@newco.test>']);
  });

  it('the per-thread switch stops logging, and is remembered', async () => {
    const { crm, host, store, world } = setup();
    await store.set('logging:t-acme', { off: true, logged: {} });
    host.open(world.thread);
    const first = renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    const toggle = within(loggingRegion()).getByRole('switch', { name: 'Log this thread’s emails to the CRM' }) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(within(loggingRegion()).getAllByText('Not logged: logging is off for this thread')).toHaveLength(3);
    expect(crm.callsOf('logEmail')).toHaveLength(0);

    fireEvent.click(toggle);
    await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(2));
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(false));
    first.unmount();

    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    expect((within(loggingRegion()).getByRole('switch') as HTMLInputElement).checked).toBe(false);
    // What was logged stays listed as logged.
    expect(within(loggingRegion()).getAllByText('Logged to Ann Lee, Acme renewal')).toHaveLength(2);
  });

  it('while offline, waits to log and logs once the CRM is back', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    const first = renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    await waitFor(() => expect(crm.activities.filter((a) => a.type === 'email')).toHaveLength(2));
    first.unmount();

    // A new reply arrives while the CRM is unreachable.
    const later = message(person('Ann Lee', 'ann@acme.test'), [me], { subject: 'Re: Pricing', messageId: '<m-ann-2@acme.test>', date: '2026-11-20T11:30:00Z' });
    crm.online = false;
    host.open(thread('t-acme', [...world.thread.messages, later]));
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' }); // from the cache
    expect(await within(loggingRegion()).findByText('Waiting to be logged')).toBeTruthy();
    expect(screen.queryByText(/waiting to be sent/)).toBeNull(); // automatic logs are not the rep's changes

    crm.online = true;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(crm.activities.filter((a) => a.type === 'email')).toHaveLength(3));
    await waitFor(() => expect(within(loggingRegion()).getAllByText('Logged to Ann Lee, Acme renewal')).toHaveLength(3));
  });
});
