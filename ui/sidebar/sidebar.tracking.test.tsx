// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { contextCache } from './cache.ts';
import { makeTracked, me, message, person, thread } from './test-fakes.ts';
import { NOW, renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const card = (subject = 'Re: Pricing for 200 seats') => screen.findByRole('article', { name: `Tracking: ${subject}` });

/** Ann's thread with the rep's reply tracked (the fake CRM answers it only if the API's schema allows it). */
function trackedWorld(fields: Parameters<typeof makeTracked>[0] = {}) {
  const s = setup();
  const summary = makeTracked({ messageId: s.world.messages.reply.messageId, threadId: 't-acme', subject: 'Re: Pricing for 200 seats', sentAt: ago(120), ...fields });
  s.crm.tracked.push(summary);
  return { ...s, summary };
}

describe('the Tracking section', () => {
  it('asks the context lookup for the thread’s messages and shows opens, who opened, and clicks per link', async () => {
    const { crm, host, store, world } = trackedWorld({
      opens: { count: 3, first: ago(90), last: ago(5) },
      clicks: [
        { linkIndex: 0, url: 'https://www.acme-pricing.example/plans/enterprise?seats=200', count: 2, first: ago(80), last: ago(30) },
        { linkIndex: 1, url: 'https://docs.example.com/', count: 1, first: ago(10), last: ago(10) },
      ],
    });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });

    const tracked = await card();
    expect(crm.callsOf('getContext')[0]!.args[1]).toEqual(['<m-ann-1@acme.test>', '<m-rep-1@seller.test>', '<m-carl-1@newco.test>']);
    expect(within(tracked).getByText('Opened')).toBeTruthy();
    expect(within(tracked).getByText('Ann Lee opened it 3 times')).toBeTruthy();
    expect(tracked.textContent).toContain('First 2 hours ago, last 5 minutes ago');
    expect(tracked.textContent).toContain('Sent 2 hours ago to 1 recipient');
    const links = within(tracked).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('title')])).toEqual([
      ['acme-pricing.example/plans/enterprise?s…', 'https://www.acme-pricing.example/plans/enterprise?seats=200'],
      ['docs.example.com', 'https://docs.example.com/'],
    ]);
    expect(links[0]!.closest('li')!.textContent).toContain('2 clicks · last 30 minutes ago');
    expect(links[1]!.closest('li')!.textContent).toContain('1 click · last 10 minutes ago');
    // Nothing was set aside: no "Not counted" line.
    expect(within(tracked).queryByText(/^Not counted/)).toBeNull();
  });

  it('keeps machine hits apart, collapsed, each with a reason that shows on focus and hides with Escape', async () => {
    const { crm, host, store, world } = trackedWorld({
      opens: { count: 1, first: ago(30), last: ago(30) },
      machineHits: { image_proxy: 0, apple_mpp: 1, scanner: 3, sender_self: 1, unknown: 0 },
    });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const tracked = await card();
    // The one human open counts; the five machine hits do not.
    expect(within(tracked).getByText('Ann Lee opened it once')).toBeTruthy();
    expect(tracked.textContent).toContain('Opened 30 minutes ago');
    const details = tracked.querySelector('details')!;
    expect(details.open).toBe(false);
    const summary = within(tracked).getByText('Not counted: 1 Apple Mail prefetch, 3 security scanner hits, 1 view by you');
    fireEvent.click(summary);
    expect(details.open).toBe(true);

    const why = within(tracked).getByRole('button', { name: 'Why: 1 Apple Mail prefetch not counted' });
    const tip = document.getElementById(why.getAttribute('aria-describedby')!)!;
    expect(tip.hidden).toBe(true);
    expect(tip.textContent).toContain('Apple Mail Privacy Protection downloads every image when a message arrives');
    fireEvent.focus(why);
    expect(tip.hidden).toBe(false);
    fireEvent.keyDown(why, { key: 'Escape' });
    expect(tip.hidden).toBe(true);
    const own = within(tracked).getByRole('button', { name: 'Why: 1 view by you not counted' });
    expect(document.getElementById(own.getAttribute('aria-describedby')!)!.textContent).toContain('Gmail loads images through its proxy, which hides who is looking');
  });

  it('names nobody when the message went to several recipients', async () => {
    const { crm, host, store, world } = trackedWorld({ recipientCount: 3, attribution: { kind: 'a_recipient' }, opens: { count: 2, first: ago(50), last: ago(20) } });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const tracked = await card();
    expect(within(tracked).getByText('A recipient opened it twice')).toBeTruthy();
    expect(tracked.textContent).toContain('to 3 recipients');
    expect(tracked.textContent).not.toContain('Ann Lee');
  });

  it('in day precision gives days, not times', async () => {
    const { crm, host, store, world } = trackedWorld({
      precision: 'day',
      attribution: { kind: 'a_recipient' },
      opens: { count: 4, first: '2026-11-12T00:00:00.000Z', last: '2026-11-14T00:00:00.000Z' },
      clicks: [{ linkIndex: 0, url: 'https://acme.example/pricing', count: 1, first: '2026-11-13T00:00:00.000Z', last: '2026-11-13T00:00:00.000Z' }],
    });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const tracked = await card();
    expect(tracked.textContent).toContain('First on Nov 12, last on Nov 14');
    expect(tracked.textContent).toContain('1 click · last on Nov 13');
    expect(tracked.textContent).toContain('Your organization records counts by day, without naming who.');
    expect(tracked.textContent).not.toMatch(/First .*ago|\d:\d\d/);
  });

  it('says when it was not opened yet, and which clicks are still being checked', async () => {
    const { crm, host, store, world } = trackedWorld({ sentAt: ago(3), pendingClicks: 1 });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const tracked = await card();
    expect(within(tracked).getByText('Not opened yet')).toBeTruthy();
    expect(within(tracked).getByText('Ann Lee has not opened it yet.')).toBeTruthy();
    expect(within(tracked).getByText('1 click being checked')).toBeTruthy();
    const why = within(tracked).getByRole('button', { name: 'Why: clicks being checked' });
    expect(document.getElementById(why.getAttribute('aria-describedby')!)!.textContent).toContain('counted 15 seconds after it happens');
  });

  it('shows no Tracking section for a thread without tracked messages', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    expect(screen.queryByRole('heading', { name: 'Tracking' })).toBeNull();
  });
});

describe('keeping the counts fresh', () => {
  it('shows the cached counts at once, then the API’s', async () => {
    const { crm, host, store, world, summary } = trackedWorld({ opens: { count: 1, first: ago(60), last: ago(60) } });
    const cached = await crm.getContext(['ann@acme.test', 'carl@newco.test', 'pat.personal@gmail.com'], [summary.messageId!]);
    await contextCache.write(store, world.thread.threadId, { context: cached, emails: [], savedAt: ago(30) });
    summary.opens = { count: 2, first: ago(60), last: ago(1) };
    crm.hold('getContext');
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    expect(within(await card()).getByText('Ann Lee opened it once')).toBeTruthy();
    act(() => crm.release('getContext'));
    expect(await screen.findByText('Ann Lee opened it twice')).toBeTruthy();
  });

  it('asks again while the thread stays open', async () => {
    const { crm, host, store, world, summary } = trackedWorld({ sentAt: new Date(Date.now() - 60_000).toISOString() });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store, now: () => new Date(), trackingRefreshMs: 30 });
    await screen.findByText('Not opened yet');
    summary.opens = { count: 1, first: new Date().toISOString(), last: new Date().toISOString() };
    summary.pendingClicks = 1;
    expect(await screen.findByText('Ann Lee opened it once')).toBeTruthy();
    expect(screen.getByText('1 click being checked')).toBeTruthy();
    expect(crm.callsOf('listTrackedMessages')[0]!.args[0]).toEqual({ messageIds: ['<m-ann-1@acme.test>', '<m-rep-1@seller.test>', '<m-carl-1@newco.test>'] });
  });

  it('finds a message just sent in the open thread', async () => {
    const { crm, host, store, world } = setup();
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await screen.findByRole('heading', { name: 'Acme renewal' });
    const sent = message(me, [person('Ann Lee', world.ann.email)], { subject: 'Re: Pricing for 200 seats', messageId: '<m-rep-2@seller.test>', date: NOW.toISOString() });
    crm.tracked.push(makeTracked({ messageId: sent.messageId, subject: 'Re: Pricing for 200 seats', sentAt: NOW.toISOString() }));
    act(() => host.open(thread('t-acme', [...world.thread.messages, sent])));
    expect(await card()).toBeTruthy();
    expect(crm.callsOf('listTrackedMessages').map((c) => (c.args[0] as { messageIds: string[] }).messageIds.at(-1))).toContain('<m-rep-2@seller.test>');
  });
});

it('asks for a message’s tracking when the host reports it sent after showing it', async () => {
  const { crm, host, store, world } = setup();
  const sent = message(me, [person('Ann Lee', world.ann.email)], { subject: 'Re: Pricing for 200 seats', messageId: '<m-rep-3@seller.test>', date: NOW.toISOString() });
  host.open(thread('t-acme', [...world.thread.messages, sent]));
  renderSidebar({ host, api: crm, store });
  await screen.findByRole('heading', { name: 'Acme renewal' });
  expect(screen.queryByRole('heading', { name: 'Tracking' })).toBeNull();
  // The host's POST …/sent reached the API only now.
  crm.tracked.push(makeTracked({ messageId: sent.messageId, subject: 'Re: Pricing for 200 seats', sentAt: NOW.toISOString() }));
  act(() => host.trackedMessageSent({ threadId: 't-acme', messageId: sent.messageId }));
  expect(await card()).toBeTruthy();
});
