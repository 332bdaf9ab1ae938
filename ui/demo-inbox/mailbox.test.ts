import { describe, expect, it } from 'vitest';
import { isFreeMailDomain } from '../../core/email-address.ts';
import { automatedReason, decideLogging, defaultLoggingSettings, isInternalOnly } from '../sidebar/logging.ts';
import { stableHash, toInboxThread } from './demo-thread.ts';
import type { MailboxDirectory } from './directory.ts';
import { buildMailbox, mailboxAnchor } from './mailbox.ts';
import { memoryStorage } from './test-api.ts';

const NOW = new Date('2026-11-20T12:00:00.000Z');

const directory: MailboxDirectory = {
  user: { name: 'Riley Park', email: 'rep1@demo.test' },
  organizationName: 'Northwind Demo',
  colleagues: [
    { name: 'Jordan Blake', email: 'manager@demo.test' },
    { name: 'Alex Morgan', email: 'admin@demo.test' },
  ],
  deals: [
    {
      dealName: 'Acme Robotics — Fleet Analytics',
      companyName: 'Acme Robotics',
      contacts: [
        { name: 'Olivia Anderson', email: 'olivia.anderson@acme-robotics.com' },
        { name: 'Liam Bennett', email: 'liam.bennett@acme-robotics.com' },
      ],
    },
    { dealName: 'Bluefin Logistics — Pilot', companyName: 'Bluefin Logistics', contacts: [{ name: 'Emma Carter', email: 'emma.carter@bluefinlogistics.com' }] },
    { dealName: 'Cedar Health Partners — Support plan', companyName: 'Cedar Health Partners', contacts: [{ name: 'Noah Delgado', email: 'noah.delgado@cedarhealth.com' }] },
  ],
  soloContact: { contact: { name: 'Ava Ellis', email: 'ava.ellis@summitanalytics.io' }, companyName: 'Summit Analytics' },
};
const knownEmails = [...directory.deals.flatMap((d) => d.contacts.map((c) => c.email)), directory.soloContact!.contact.email];
const allIds = (threads: ReturnType<typeof buildMailbox>) => threads.flatMap((t) => [t.threadId, ...t.messages.map((m) => m.messageId)]).sort();

describe('buildMailbox', () => {
  const threads = buildMailbox(directory, NOW);
  const byTemplate = (template: string) => threads.find((t) => t.template === template)!;

  it('has a thread per deal and for the contact without a deal, plus the fixed ones', () => {
    expect(threads.map((t) => t.template).sort()).toEqual(['case-studies', 'follow-up', 'internal', 'new-company', 'newsletter', 'personal', 'proposal', 'question']);
    expect(byTemplate('proposal').contactEmail).toBe('olivia.anderson@acme-robotics.com');
    expect(byTemplate('question').contactEmail).toBe('emma.carter@bluefinlogistics.com');
    expect(byTemplate('follow-up').contactEmail).toBe('noah.delgado@cedarhealth.com');
    expect(byTemplate('case-studies').subject).toBe('Case studies for Summit Analytics');
  });

  it('gives the same thread and Message-IDs on every build for the same user and contacts, whatever the time', () => {
    const later = buildMailbox(directory, new Date(NOW.getTime() + 3 * 86_400_000));
    expect(allIds(later)).toEqual(allIds(threads));
    // Reordering the deals changes which template a contact gets, never the ids of a contact's template.
    const swapped = buildMailbox({ ...directory, deals: [directory.deals[0]!, directory.deals[2]!, directory.deals[1]!] }, NOW);
    expect(swapped.find((t) => t.template === 'proposal')!.messages.map((m) => m.messageId)).toEqual(byTemplate('proposal').messages.map((m) => m.messageId));
  });

  it('shows the same message times after a reload: the times count back from a moment kept for the session', () => {
    const storage = memoryStorage();
    const first = buildMailbox(directory, mailboxAnchor(storage, 'rep1@demo.test', NOW));
    const reloaded = buildMailbox(directory, mailboxAnchor(storage, 'rep1@demo.test', new Date(NOW.getTime() + 40 * 60_000)));
    const times = (ts: typeof threads) => ts.flatMap((t) => t.messages.map((m) => m.date));
    expect(times(reloaded)).toEqual(times(first));
    // Another day (12 hours on), the mailbox starts over from then.
    const tomorrow = new Date(NOW.getTime() + 13 * 3_600_000);
    expect(mailboxAnchor(storage, 'rep1@demo.test', tomorrow)).toEqual(tomorrow);
  });

  it('gives another user other ids, and never the same id twice', () => {
    const other = buildMailbox({ ...directory, user: { name: 'Sam Torres', email: 'rep2@demo.test' } }, NOW);
    const mine = new Set(allIds(threads));
    expect(allIds(other).some((id) => mine.has(id))).toBe(false);
    expect(new Set(allIds(threads)).size).toBe(allIds(threads).length);
  });

  it('writes RFC 822 Message-IDs at the sender’s domain', () => {
    for (const m of threads.flatMap((t) => t.messages)) {
      expect(m.messageId).toMatch(/^<demo-[a-z-]+-[0-9a-z]+-msg-\d+@mail\.[a-z0-9.-]+>$/);
      expect(m.messageId.endsWith(`@mail.${m.from.email.split('@')[1]}>`)).toBe(true);
    }
  });

  it('marks messages from the mailbox owner outbound and everything else inbound', () => {
    for (const m of threads.flatMap((t) => t.messages)) {
      expect(m.direction).toBe(m.from.email === 'rep1@demo.test' ? 'outbound' : 'inbound');
    }
    expect(byTemplate('proposal').messages.map((m) => m.direction)).toEqual(['outbound', 'inbound', 'outbound']);
    expect(byTemplate('question').messages.map((m) => m.direction)).toEqual(['inbound']);
  });

  it('dates messages in the past, oldest first in a thread, newest thread first', () => {
    for (const t of threads) {
      const dates = t.messages.map((m) => m.date);
      expect(dates).toEqual([...dates].sort());
      for (const d of dates) {
        expect(d).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
        expect(Date.parse(d)).toBeLessThan(NOW.getTime());
      }
    }
    const latest = threads.map((t) => t.messages.at(-1)!.date);
    expect(latest).toEqual([...latest].sort().reverse());
  });

  it('has an unknown sender on a personal address and unknown people at a company the CRM does not have', () => {
    const personal = threads.find((t) => t.kind === 'unknown-personal')!;
    expect(isFreeMailDomain(personal.messages[0]!.from.email.split('@')[1]!)).toBe(true);
    const company = threads.find((t) => t.kind === 'unknown-company')!;
    const domains = new Set(company.messages.flatMap((m) => [m.from, ...m.to, ...m.cc]).map((p) => p.email.split('@')[1]).filter((d) => d !== 'demo.test'));
    expect([...domains]).toEqual(['lumenforge.io']);
    expect(knownEmails.some((e) => e.endsWith('@lumenforge.io'))).toBe(false);
  });

  it('has a newsletter the sidebar sees as bulk mail and an internal thread it sees as internal', () => {
    const bulk = threads.find((t) => t.kind === 'bulk')!;
    expect(bulk.messages[0]!.headers?.['List-Unsubscribe']).toContain('unsubscribe');
    expect(automatedReason(bulk.messages[0]!)).toBe('has a List-Unsubscribe header');
    const internal = threads.find((t) => t.kind === 'internal')!;
    expect(internal.messages[0]!.from.email).toBe('manager@demo.test');
    for (const t of threads) expect(isInternalOnly(toInboxThread(t, directory.user.email))).toBe(t.kind === 'internal');
  });

  it('falls back to a team address for the internal thread when the user has no colleagues', () => {
    const alone = buildMailbox({ ...directory, colleagues: [] }, NOW).find((t) => t.kind === 'internal')!;
    expect(alone.messages[0]!.from.email).toBe('sales-team@demo.test');
    expect(isInternalOnly(toInboxThread(alone, directory.user.email))).toBe(true);
  });

  it('logs every message of the known threads and none of the others, by the sidebar’s own rules', () => {
    for (const t of threads) {
      const decisions = decideLogging({ thread: toInboxThread(t, directory.user.email), knownEmails, settings: defaultLoggingSettings(directory.user.email), threadOff: false });
      expect(decisions.every((d) => d.verdict.log)).toBe(t.kind === 'known');
    }
  });

  it('still has the fixed threads for a user with no deals or contacts', () => {
    const empty = buildMailbox({ ...directory, deals: [], soloContact: null }, NOW);
    expect(empty.map((t) => t.kind).sort()).toEqual(['bulk', 'internal', 'unknown-company', 'unknown-personal']);
  });
});

describe('toInboxThread', () => {
  it('hands the sidebar participants, messages without the body, and the mailbox owner', () => {
    const proposal = buildMailbox(directory, NOW).find((t) => t.template === 'proposal')!;
    const thread = toInboxThread(proposal, 'rep1@demo.test');
    expect(thread.threadId).toBe(proposal.threadId);
    expect(thread.userEmail).toBe('rep1@demo.test');
    expect(thread.participants.map((p) => p.email)).toEqual(['rep1@demo.test', 'olivia.anderson@acme-robotics.com', 'liam.bennett@acme-robotics.com']);
    expect(thread.messages[0]).not.toHaveProperty('body');
    expect(thread.messages[0]).toMatchObject({ subject: proposal.subject, snippet: expect.stringContaining('Hi Olivia'), cc: [{ email: 'liam.bennett@acme-robotics.com' }] });
    expect(thread.messages[1]!.subject).toBe(`Re: ${proposal.subject}`);
  });
});

describe('stableHash', () => {
  it('is deterministic and spreads close inputs apart', () => {
    expect(stableHash('rep1@demo.test|a@b.com')).toBe(stableHash('rep1@demo.test|a@b.com'));
    expect(stableHash('rep1@demo.test|a@b.com')).not.toBe(stableHash('rep1@demo.test|a@b.co'));
  });
});
