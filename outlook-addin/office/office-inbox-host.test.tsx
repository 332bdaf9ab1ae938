// @vitest-environment happy-dom
// The Office.js host adapter against a fake Office written to @types/office-js: the selected
// message read as the sidebar needs it, ItemChanged in a pinned pane, nothing selected, missing
// requirement sets, and Office.js calls that fail or never answer. Then the real sidebar over it: the
// right contact, one log per message, tracking asked for the message whose id came after its people.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboxThread } from '../../ui/sidebar/host.ts';
import { createMemoryStore } from '../../ui/sidebar/cache.ts';
import { Sidebar } from '../../ui/sidebar/sidebar.tsx';
import { FakeCrm, makeCompany, makeContact, makeDeal, makeTracked } from '../../ui/sidebar/test-fakes.ts';
import { FakeOffice, type FakeMessage } from './fake-office.ts';
import { createOfficeInboxHost } from './office-inbox-host.ts';

afterEach(() => cleanup());

const me = { name: 'Robin Rep', email: 'robin@seller.test' };
const ann = { name: 'Ann Lee', email: 'Ann@Acme.test' };
const lee = { name: 'Lee Chen', email: 'lee@acme.test' };

const inbound: FakeMessage = {
  itemId: 'AAMkAD-1',
  internetMessageId: '<CAx1-ann@mail.acme.test>',
  conversationId: 'AAQkAD-conv-1',
  subject: 'Pricing for 200 seats',
  from: ann,
  to: [me],
  cc: [lee],
  date: '2026-11-20T09:30:00.000Z',
  headers: 'Received: from mx\r\nMessage-ID: <CAx1-ann@mail.acme.test>\r\nFrom: Ann Lee <ann@acme.test>\r\n',
  bodyText: 'Hi Robin,\n\n  could you send the revised quote?',
};

const newsletter: FakeMessage = {
  ...inbound,
  itemId: 'AAMkAD-2',
  internetMessageId: '<news-7@lists.acme.test>',
  conversationId: 'AAQkAD-conv-2',
  subject: 'Acme news',
  headers: 'List-Unsubscribe: <mailto:unsub@acme.test>\r\nList-Id: Acme News <news.acme.test>\r\nPrecedence: bulk\r\n',
};

const sentCopy: FakeMessage = {
  itemId: 'AAMkAD-3',
  internetMessageId: '<SN6PR11MB-1@namprd11.prod.outlook.com>',
  conversationId: 'AAQkAD-conv-1',
  subject: 'Re: Pricing for 200 seats',
  from: { name: 'Robin Rep', email: 'Robin@Seller.test' },
  to: [ann],
  date: '2026-11-20T10:00:00.000Z',
  headers: '', // Outlook answers "" for the sender's own copy
  bodyHtml: '<p>Here it is.</p><img src="https://crm.example.com/o/AQFkZXYBAAAAAAAAQACAAAAAAAAAAAEB0123456789abcdefABCDEF_-.gif" width="1" height="1" alt="">',
};

function setup(options: ConstructorParameters<typeof FakeOffice>[0] = { userEmail: me.email }, hostOptions: Parameters<typeof createOfficeInboxHost>[1] = {}) {
  const office = new FakeOffice(options);
  const errors: unknown[] = [];
  const host = createOfficeInboxHost(office, { onError: (e) => errors.push(e), readTimeoutMs: 200, ...hostOptions });
  const seen: (InboxThread | null)[] = [];
  host.onThreadChange((t) => seen.push(t));
  return { office, host, errors, seen };
}

const settled = () => new Promise((r) => setTimeout(r, 30));

describe('the selected message', () => {
  it('is handed over with its people at once, then with the message once headers and snippet are read', async () => {
    const { office, host, seen, errors } = setup();
    office.select(inbound);
    await settled();
    await host.refresh();
    const [first, second] = seen.filter(Boolean) as InboxThread[];
    expect(first).toEqual({
      threadId: 'AAQkAD-conv-1',
      subject: 'Pricing for 200 seats',
      participants: [
        { name: 'Ann Lee', email: 'ann@acme.test' },
        { name: 'Robin Rep', email: 'robin@seller.test' },
        { name: 'Lee Chen', email: 'lee@acme.test' },
      ],
      messages: [],
      userEmail: 'robin@seller.test',
    });
    expect(second!.messages).toEqual([
      {
        messageId: '<CAx1-ann@mail.acme.test>',
        from: { name: 'Ann Lee', email: 'ann@acme.test' },
        to: [{ name: 'Robin Rep', email: 'robin@seller.test' }],
        cc: [{ name: 'Lee Chen', email: 'lee@acme.test' }],
        subject: 'Pricing for 200 seats',
        date: '2026-11-20T09:30:00.000Z',
        direction: 'inbound',
        snippet: 'Hi Robin, could you send the revised quote?',
        bodyText: 'Hi Robin,\n\n  could you send the revised quote?',
        headers: {},
      },
    ]);
    expect(host.selection).toBe('message');
    expect(errors).toEqual([]);
  });

  it('hands over the whole plain-text body, so the sidebar can offer the title from the signature', async () => {
    const { office, host, seen } = setup();
    const signed = 'Hi Robin,\n\nCould we see a demo next week?\n\nBest,\nAnn Lee\nHead of Sales Operations, Acme\n' + 'x '.repeat(400);
    office.select({ ...inbound, bodyText: signed });
    await host.refresh();
    const message = seen.at(-1)!.messages[0]!;
    expect(message.bodyText).toBe(signed);
    expect(message.snippet!.length).toBe(280);
  });

  it('passes the bulk-mail headers on, for the never-log rules', async () => {
    const { office, host, seen } = setup();
    office.select(newsletter);
    await host.refresh();
    expect(seen.at(-1)!.messages[0]!.headers).toEqual({ 'List-Unsubscribe': '<mailto:unsub@acme.test>', 'List-Id': 'Acme News <news.acme.test>', Precedence: 'bulk' });
  });

  it('knows the rep\'s own message by the mailbox profile, and reports it with the pixels in its body', async () => {
    const own = vi.fn(async () => true);
    const { office, host, seen } = setup({ userEmail: 'robin@seller.test' }, { onOwnMessage: own });
    const sent: unknown[] = [];
    host.onTrackedMessageSent!((s) => sent.push(s));
    office.select(sentCopy);
    await host.refresh();
    await settled();
    expect(seen.at(-1)!.messages[0]).toMatchObject({ direction: 'outbound', headers: {} });
    expect(own).toHaveBeenCalledWith({
      messageId: '<SN6PR11MB-1@namprd11.prod.outlook.com>',
      threadId: 'AAQkAD-conv-1',
      sentAt: '2026-11-20T10:00:00.000Z',
      pixelUrls: ['https://crm.example.com/o/AQFkZXYBAAAAAAAAQACAAAAAAAAAAAEB0123456789abcdefABCDEF_-.gif'],
    });
    expect(sent).toEqual([{ threadId: 'AAQkAD-conv-1', messageId: '<SN6PR11MB-1@namprd11.prod.outlook.com>' }]);
  });

  it('shows the people of a message Outlook has no Message-ID for yet, and logs nothing of it', async () => {
    const { office, host, seen } = setup();
    office.select({ ...inbound, internetMessageId: undefined });
    await host.refresh();
    await settled();
    expect(seen.at(-1)).toMatchObject({ threadId: 'AAQkAD-conv-1', messages: [] });
    expect(seen.at(-1)!.participants).toHaveLength(3);
  });
});

describe('ItemChanged in a pinned pane', () => {
  it('re-reads the newly selected message, and drops an answer for one no longer selected', async () => {
    const { office, host, seen } = setup();
    office.select(inbound);
    await host.refresh();
    office.failures.set('getAllInternetHeadersAsync', 'hang'); // the next read is slow…
    office.select(newsletter);
    await settled();
    office.failures.delete('getAllInternetHeadersAsync');
    office.select(sentCopy); // …and another message is selected before it answers
    await new Promise((r) => setTimeout(r, 300));
    const threads = seen.filter((t): t is InboxThread => t !== null);
    expect(threads.map((t) => `${t.threadId}:${t.messages.map((m) => m.messageId).join()}`)).toEqual([
      'AAQkAD-conv-1:',
      'AAQkAD-conv-1:<CAx1-ann@mail.acme.test>',
      'AAQkAD-conv-2:',
      'AAQkAD-conv-1:',
      'AAQkAD-conv-1:<SN6PR11MB-1@namprd11.prod.outlook.com>',
    ]);
    expect(office.calls.filter((c) => c === 'mailbox.addHandlerAsync')).toHaveLength(1);
  });

  it('says when nothing is selected, and when the item is not a message to read', async () => {
    const { office, host, seen } = setup();
    const selections: string[] = [];
    host.onSelectionChange((s) => selections.push(s));
    office.select(inbound);
    await host.refresh();
    office.select(null);
    await settled();
    expect(seen.at(-1)).toBeNull();
    expect(host.selection).toBe('none');
    office.compose({ to: ['ann@acme.test'] });
    await host.refresh();
    expect(host.selection).toBe('compose');
    expect(selections).toEqual(['message', 'none', 'compose']);
  });

  it('stops listening when destroyed', async () => {
    const { office, host, seen } = setup();
    office.select(inbound);
    await host.refresh();
    host.destroy();
    const before = seen.length;
    office.select(newsletter);
    await settled();
    expect(seen).toHaveLength(before);
    expect(office.calls).toContain('mailbox.removeHandlerAsync');
  });
});

describe('clients without a requirement set, and failing calls', () => {
  it('reads no headers below Mailbox 1.8, and still hands the message over', async () => {
    const { office, host, seen, errors } = setup({ userEmail: me.email, sets: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] });
    office.select(newsletter);
    await host.refresh();
    expect(seen.at(-1)!.messages[0]).not.toHaveProperty('headers');
    expect(office.calls).not.toContain('getAllInternetHeadersAsync');
    expect(errors).toEqual([]);
  });

  it('shows the message it was opened for below Mailbox 1.5 (no ItemChanged), and says why it cannot follow', async () => {
    const { office, host, seen, errors } = setup({ userEmail: me.email, sets: ['1.1', '1.2', '1.3', '1.4'] });
    office.select(inbound);
    await host.refresh();
    expect(seen.at(-1)!.messages).toHaveLength(1);
    expect(String(errors[0])).toMatch(/Mailbox 1.5/);
  });

  it.each([
    ['fails', 'fail'],
    ['never answers', 'hang'],
  ] as const)('hands the message over without headers when getAllInternetHeadersAsync %s, and reports it', async (_case, failure) => {
    const { office, host, seen, errors } = setup();
    office.failures.set('getAllInternetHeadersAsync', failure);
    office.failures.set('body.getAsync(text)', failure);
    office.select(newsletter);
    await host.refresh();
    expect(seen.at(-1)!.messages[0]).toMatchObject({ messageId: '<news-7@lists.acme.test>' });
    expect(seen.at(-1)!.messages[0]).not.toHaveProperty('headers');
    expect(seen.at(-1)!.messages[0]).not.toHaveProperty('snippet');
    expect(seen.at(-1)!.messages[0]).not.toHaveProperty('bodyText');
    expect(errors.map(String)).toEqual([expect.stringMatching(/getAllInternetHeadersAsync/), expect.stringMatching(/body\.getAsync\(text\)/)]);
  });

  it('still reports the rep\'s own message when its body cannot be read (as a plain view, no pixels)', async () => {
    const own = vi.fn(async () => false);
    const { office, host } = setup({ userEmail: me.email }, { onOwnMessage: own });
    office.failures.set('body.getAsync(html)', 'fail');
    office.select(sentCopy);
    await host.refresh();
    await settled();
    expect(own).toHaveBeenCalledWith(expect.objectContaining({ pixelUrls: [] }));
  });
});

describe('the sidebar over Outlook', () => {
  function world() {
    const crm = new FakeCrm();
    const acme = makeCompany({ name: 'Acme Corp', domain: 'acme.test' });
    const annContact = makeContact({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', companyId: acme.id });
    const deal = makeDeal({ name: 'Acme renewal', valueCents: 1_200_000, contactIds: [annContact.id], companyId: acme.id });
    crm.companies.push(acme);
    crm.contacts.push(annContact);
    crm.deals.push(deal);
    return { crm, deal };
  }

  it('shows the contact and deal, logs each message once across switches, and leaves the newsletter alone', async () => {
    const { crm } = world();
    const office = new FakeOffice({ userEmail: me.email });
    const host = createOfficeInboxHost(office, { readTimeoutMs: 200 });
    office.select(inbound);
    render(<Sidebar host={host} api={crm} store={createMemoryStore()} now={new Date('2026-11-20T12:00:00Z')} retryIntervalMs={60_000} />);
    await host.refresh();
    await screen.findAllByText('Ann Lee');
    expect((await screen.findAllByText('Acme renewal')).length).toBeGreaterThan(0);
    await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(1));
    office.select(newsletter);
    await waitFor(() => expect(crm.callsOf('getContext').length).toBeGreaterThanOrEqual(2));
    office.select(inbound);
    await settled();
    await waitFor(() => expect(crm.callsOf('getContext').length).toBeGreaterThanOrEqual(3));
    await settled();
    expect(crm.callsOf('logEmail').map((c) => (c.args[0] as { messageId: string }).messageId)).toEqual(['<CAx1-ann@mail.acme.test>']);
  });

  it('offers an unknown sender\'s title from the signature in the Outlook message body', async () => {
    const { crm } = world();
    const office = new FakeOffice({ userEmail: me.email });
    const host = createOfficeInboxHost(office, { readTimeoutMs: 200 });
    const dana = { name: 'Dana Whitfield', email: 'dana@brightpath.test' };
    office.select({
      ...inbound, itemId: 'AAMkAD-9', internetMessageId: '<dana-1@brightpath.test>', conversationId: 'AAQkAD-conv-9', from: dana, cc: [], headers: '',
      bodyText: 'Hi Robin,\n\nCould we see a demo next week?\n\nBest,\nDana Whitfield\nHead of Sales Operations, Brightpath',
    });
    render(<Sidebar host={host} api={crm} store={createMemoryStore()} now={new Date('2026-11-20T12:00:00Z')} retryIntervalMs={60_000} />);
    await host.refresh();
    const offer = (await screen.findByLabelText(/Title: Head of Sales Operations/)) as HTMLInputElement;
    expect(offer.checked).toBe(true);
  });

  it('asks for the tracking of a message whose id came after its people', async () => {
    const { crm } = world();
    crm.tracked.push(makeTracked({ messageId: sentCopy.internetMessageId!, threadId: 'AAQkAD-conv-1', subject: 'Re: Pricing for 200 seats' }));
    const office = new FakeOffice({ userEmail: me.email });
    const host = createOfficeInboxHost(office, { readTimeoutMs: 200 });
    office.select(sentCopy);
    crm.hold('getContext');
    render(<Sidebar host={host} api={crm} store={createMemoryStore()} now={new Date('2026-11-20T12:00:00Z')} retryIntervalMs={60_000} />);
    await host.refresh(); // the message (and its id) arrive while the context is being asked for
    crm.release('getContext');
    await waitFor(() => expect(crm.callsOf('listTrackedMessages').map((c) => c.args[0])).toContainEqual({ messageIds: [sentCopy.internetMessageId] }));
  });
});
