import { describe, expect, it } from 'vitest';
import type { MailboxDirectory } from './directory.ts';
import { buildMailbox } from './mailbox.ts';
import { newThreadId, readSent, saveSent, sentMessage, threadKindFor, withSentMail, type SentRecord } from './sent-mail.ts';

const now = new Date('2026-11-20T12:00:00.000Z');
const me = { name: 'Robin Rep', email: 'robin@seller.test' };
const olivia = { name: 'Olivia Anderson', email: 'olivia@acme-robotics.com' };
const directory: MailboxDirectory = {
  user: me,
  organizationName: 'Seller',
  colleagues: [{ name: 'Dana Smith', email: 'dana@seller.test' }],
  deals: [{ dealName: 'Acme Robotics — Fleet Analytics', companyName: 'Acme Robotics', contacts: [olivia] }],
  soloContact: null,
};

const send = (fields: Partial<Parameters<typeof sentMessage>[0]> = {}) =>
  sentMessage({ from: me, to: [olivia], cc: [], subject: 'Pricing', text: 'Hi Olivia', html: '<p>Hi Olivia</p>', date: new Date(now.getTime() + 60_000), tracking: null, trackingNotice: null, ...fields });

describe('sent mail in the demo mailbox', () => {
  it('a reply joins its thread, which moves to the top', () => {
    const threads = buildMailbox(directory, now);
    const proposal = threads.find((t) => t.template === 'proposal')!;
    const reply = send({ subject: `Re: ${proposal.subject}` });
    const merged = withSentMail(threads, [{ threadId: proposal.threadId, newThread: null, message: reply }]);
    expect(merged[0]!.threadId).toBe(proposal.threadId);
    expect(merged[0]!.messages.at(-1)).toMatchObject({ messageId: reply.messageId, direction: 'outbound', snippet: 'Hi Olivia' });
    expect(merged[0]!.messages).toHaveLength(proposal.messages.length + 1);
    expect(threads.find((t) => t.template === 'proposal')!.messages).toHaveLength(proposal.messages.length); // not mutated
  });

  it('a new message starts a thread about the contact it went to', () => {
    const message = send();
    const threadId = newThreadId(me.email, message.messageId);
    const record: SentRecord = { threadId, newThread: { subject: 'Pricing', ...threadKindFor([olivia], directory) }, message };
    const merged = withSentMail(buildMailbox(directory, now), [record]);
    expect(merged[0]).toMatchObject({ threadId, kind: 'known', contactEmail: olivia.email, subject: 'Pricing', template: 'sent' });
    expect(threadId).toMatch(/^demo-sent-/);
    expect(message.messageId).toMatch(/^<demo-sent-[0-9a-f]{20}@mail\.seller\.test>$/);
  });

  it.each([
    [[olivia], 'known'],
    [[{ name: '', email: 'dana@seller.test' }], 'internal'],
    [[{ name: '', email: 'someone@gmail.com' }], 'unknown-personal'],
    [[{ name: '', email: 'buyer@newco.example' }], 'unknown-company'],
  ] as const)('%j is a %s thread', (people, kind) => expect(threadKindFor([...people], directory).kind).toBe(kind));

  it('is kept for the tab’s session, per user', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) } as Storage;
    const record: SentRecord = { threadId: 't', newThread: null, message: send() };
    saveSent(storage, 'Robin@Seller.test', [record]);
    expect(readSent(storage, 'robin@seller.test')).toEqual([record]);
    expect(readSent(storage, 'other@seller.test')).toEqual([]);
  });
});
