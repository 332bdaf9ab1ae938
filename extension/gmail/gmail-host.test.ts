import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxThread } from '../../ui/sidebar/host.ts';
import { FakeInboxSdk, type FakeMessage } from './fake-inboxsdk.ts';
import { createGmailHost, dateFromGmailMessageId, parseGmailDateString, type GmailHost } from './gmail-host.ts';

/** A Gmail message id as Gmail makes them: receive time in ms, shifted left 20 bits, plus a counter. */
const gmailIdAt = (iso: string, seq = 1) => ((BigInt(Date.parse(iso)) << 20n) | BigInt(seq)).toString(16);

const me = { name: 'Robin Rep', emailAddress: 'Robin@Seller.test' };
const buyer = { name: 'Bea Buyer', emailAddress: 'bea@buyer.test' };
const cfo = { name: 'Carl Finance', emailAddress: 'carl@buyer.test' };

const inbound: FakeMessage = {
  id: gmailIdAt('2026-11-20T09:30:00.000Z'),
  from: buyer,
  recipients: [{ name: 'Robin Rep', emailAddress: 'robin@seller.test' }, cfo],
  body: '  Hi Robin,\n  can we talk pricing?  ',
};
const reply: FakeMessage = {
  id: gmailIdAt('2026-11-20T11:00:00.000Z', 2),
  from: me,
  recipients: [buyer, { emailAddress: 'carl@buyer.test' }],
};

let sdk: FakeInboxSdk;
let host: GmailHost;
let seen: (InboxThread | null)[];

beforeEach(() => {
  vi.useFakeTimers();
  sdk = new FakeInboxSdk('robin@seller.test');
  host = createGmailHost(sdk, { settleMs: 10 });
  seen = [];
  host.onThreadChange((t) => seen.push(t));
});
afterEach(() => {
  host.destroy();
  vi.useRealTimers();
});

const settle = () => vi.advanceTimersByTimeAsync(20);

describe('thread opened', () => {
  it('gives the sidebar the participants and the messages, with direction from the mailbox owner', async () => {
    sdk.openThread('18c0ffee', 'Pricing for 2027', [inbound, reply]);
    await settle();

    expect(seen).toHaveLength(1); // the message views arriving one by one make one update
    const thread = seen[0]!;
    expect(thread.threadId).toBe('18c0ffee');
    expect(thread.subject).toBe('Pricing for 2027');
    expect(thread.userEmail).toBe('robin@seller.test');
    expect(thread.participants).toEqual([
      { name: 'Bea Buyer', email: 'bea@buyer.test' },
      { name: 'Robin Rep', email: 'robin@seller.test' },
      { name: 'Carl Finance', email: 'carl@buyer.test' },
    ]);
    expect(thread.messages).toEqual([
      {
        messageId: `gmail:${inbound.id}`,
        from: { name: 'Bea Buyer', email: 'bea@buyer.test' },
        to: [
          { name: 'Robin Rep', email: 'robin@seller.test' },
          { name: 'Carl Finance', email: 'carl@buyer.test' },
        ],
        cc: [],
        subject: 'Pricing for 2027',
        date: '2026-11-20T09:30:00.000Z',
        direction: 'inbound',
        snippet: 'Hi Robin, can we talk pricing?',
        bodyText: 'Hi Robin,\n  can we talk pricing?',
      },
      expect.objectContaining({ messageId: `gmail:${reply.id}`, direction: 'outbound', date: '2026-11-20T11:00:00.000Z' }),
    ]);
  });

  it('tells a listener that subscribes later about the open thread at once', async () => {
    sdk.openThread('t1', 'Hello', [inbound]);
    await settle();
    const late: (InboxThread | null)[] = [];
    host.onThreadChange((t) => late.push(t));
    expect(late.map((t) => t?.threadId)).toEqual(['t1']);
  });

  it('skips messages Gmail has not loaded, and reads them once they load', async () => {
    const thread = sdk.openThread('t2', 'Long thread', [{ ...inbound, loaded: false }, reply]);
    await settle();
    expect(seen.at(-1)!.messages.map((m) => m.direction)).toEqual(['outbound']);

    thread.load(thread.messages[0]!);
    await settle();
    expect(seen).toHaveLength(2);
    expect(seen.at(-1)!.threadId).toBe('t2'); // the same thread, updated in place
    expect(seen.at(-1)!.messages.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
  });

  it('updates the same threadId when a new message arrives in the open thread', async () => {
    const thread = sdk.openThread('t3', 'Pricing', [inbound]);
    await settle();
    thread.addMessage(reply);
    await settle();
    expect(seen.map((t) => t?.threadId)).toEqual(['t3', 't3']);
    expect(seen.at(-1)!.messages).toHaveLength(2);
  });

  it('falls back to the date Gmail shows when the id carries no date', async () => {
    sdk.openThread('t4', 'Old', [{ ...inbound, id: 'not-a-gmail-id', dateString: 'Fri, Nov 20, 2026, 9:30\u202fAM (2 days ago)' }]);
    await settle();
    expect(new Date(seen[0]!.messages[0]!.date).getFullYear()).toBe(2026);
  });
});

describe('thread closed', () => {
  it('sends null when the open thread goes away', async () => {
    const thread = sdk.openThread('t5', 'Bye', [inbound]);
    await settle();
    thread.destroy();
    expect(seen.map((t) => t?.threadId ?? null)).toEqual(['t5', null]);
  });

  it('ignores the previous thread closing after the next one opened (preview pane order)', async () => {
    const first = sdk.openThread('a', 'First', [inbound]);
    await settle();
    sdk.openThread('b', 'Second', [reply]);
    first.destroy();
    await settle();
    expect(seen.map((t) => t?.threadId ?? null)).toEqual(['a', 'b']);
  });

  it('never reports a thread that closed before it was read', async () => {
    const thread = sdk.openThread('gone', 'Quick', [inbound]);
    thread.destroy();
    await settle();
    expect(seen).toEqual([]);
  });
});

describe('thread rows', () => {
  it('labels rows the labeler chooses, with what it knows about each row', async () => {
    const rows: string[] = [];
    const stop = host.labelThreadRows(async (row) => {
      rows.push(`${row.threadId} ${row.subject} ${row.contacts.map((c) => c.email).join(',')}`);
      return row.threadId === 'opened' ? { title: 'Opened 2×', backgroundColor: '#e6f4ea' } : null;
    });
    const opened = sdk.drawRow('opened', 'Proposal', [buyer]);
    const quiet = sdk.drawRow('quiet', 'Lunch?', [cfo]);
    await settle();
    expect(rows).toEqual(['opened Proposal bea@buyer.test', 'quiet Lunch? carl@buyer.test']);
    expect(opened.labels).toEqual([{ title: 'Opened 2×', backgroundColor: '#e6f4ea' }]);
    expect(quiet.labels).toEqual([]);

    stop();
    const later = sdk.drawRow('opened', 'Proposal', [buyer]);
    await settle();
    expect(later.labels).toEqual([]);
    expect(sdk.rowHandlers.size).toBe(0);
  });

  it('reports a labeler that throws instead of breaking the list', async () => {
    const errors: unknown[] = [];
    const own = createGmailHost(sdk, { onError: (e) => errors.push(e) });
    own.labelThreadRows(() => {
      throw new Error('boom');
    });
    sdk.drawRow('x', 'y', []);
    await settle();
    expect(errors).toEqual([new Error('boom')]);
    own.destroy();
  });
});

it('shows notifications in Gmail’s butter bar', () => {
  host.showNotification!('Contact created');
  expect(sdk.butterBar).toEqual([{ text: 'Contact created', time: 6000 }]);
});

it('destroy unregisters every handler', () => {
  host.labelThreadRows(() => null);
  host.destroy();
  expect([sdk.threadHandlers.size, sdk.messageHandlers.size, sdk.rowHandlers.size]).toEqual([0, 0, 0]);
});

describe('dates', () => {
  it.each([
    ['hex id', gmailIdAt('2026-01-02T03:04:05.678Z'), '2026-01-02T03:04:05.678Z'],
    ['msg-f decimal id', `msg-f:${((BigInt(Date.parse('2025-06-01T00:00:00Z')) << 20n) | 7n).toString(10)}`, '2025-06-01T00:00:00.000Z'],
    ['not an id', 'draft-123', null],
    ['too early to be Gmail', '0000000000001', null],
  ])('reads the receive time from a %s', (_name, id, expected) => {
    expect(dateFromGmailMessageId(id, Date.parse('2026-11-21T00:00:00Z'))?.toISOString() ?? null).toBe(expected);
  });

  it.each([
    ['Thu, Nov 19, 2026, 9:30 AM', 2026, 10, 19],
    ['Nov 19, 2026, 9:30\u202fAM (2 days ago)', 2026, 10, 19],
    ['gestern', null, null, null],
  ])('parses Gmail’s date tooltip %j', (text, year, month, day) => {
    const d = parseGmailDateString(text);
    expect(d ? [d.getFullYear(), d.getMonth(), d.getDate()] : [null, null, null]).toEqual([year, month, day]);
  });
});

describe('with the message\'s own headers ("Show original")', () => {
  it('gives the RFC 822 Message-ID (Gmail\'s id as the host id), To vs Cc as sent, and the bulk headers', async () => {
    host.destroy();
    const asked: string[] = [];
    host = createGmailHost(sdk, {
      settleMs: 10,
      readOriginal: async (gmailId) => {
        asked.push(gmailId);
        return gmailId === inbound.id
          ? { messageId: '<CAx1+pricing@mail.buyer.test>', to: [{ name: '', email: 'robin@seller.test' }], cc: [{ name: 'Carl F.', email: 'Carl@Buyer.test' }], bulk: { 'List-Id': 'Buyers <list.buyer.test>' } }
          : null;
      },
    });
    seen = [];
    host.onThreadChange((t) => seen.push(t));
    sdk.openThread('18c0ffee', 'Pricing for 2027', [inbound, reply]);
    await settle();
    const [first, second] = seen.at(-1)!.messages;
    expect(first).toMatchObject({
      messageId: '<CAx1+pricing@mail.buyer.test>',
      hostMessageId: `gmail:${inbound.id}`,
      to: [{ name: 'Robin Rep', email: 'robin@seller.test' }],
      cc: [{ name: 'Carl Finance', email: 'carl@buyer.test' }],
      headers: { 'List-Id': 'Buyers <list.buyer.test>' },
    });
    // Unreadable: Gmail's own id, every recipient under To, no host id.
    expect(second).toMatchObject({ messageId: `gmail:${reply.id}`, cc: [] });
    expect(second).not.toHaveProperty('hostMessageId');
    expect(asked.sort()).toEqual([inbound.id, reply.id].sort());
  });
});
