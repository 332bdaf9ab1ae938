import { describe, expect, it } from 'vitest';
import type { InboxMessage, InboxThread, Participant } from './host.ts';
import { automatedReason, decideLogging, defaultLoggingSettings, emailLogOf, isExcluded, isInternalOnly, type LoggingSettings, type LogVerdict } from './logging.ts';

const p = (email: string, name = ''): Participant => ({ name, email });
const rep = p('robin@seller.test', 'Robin Rep');
const colleague = p('dana@seller.test', 'Dana');
const ann = p('ann@acme.test', 'Ann Lee');
const bob = p('bob@other.test', 'Bob');
const annPrivate = p('ann.lee@gmail.com', 'Ann Lee');

function msg(from: Participant, to: Participant[], extra: Partial<InboxMessage> = {}): InboxMessage {
  return { messageId: '<1@x>', from, to, cc: [], subject: 'Hello', date: '2026-11-20T09:30:00Z', direction: from === rep ? 'outbound' : 'inbound', ...extra };
}
const threadOf = (messages: InboxMessage[], userEmail = rep.email): InboxThread => ({
  threadId: 't1', subject: 'Hello', userEmail, messages,
  participants: [...new Set(messages.flatMap((m) => [m.from, ...m.to, ...m.cc]))],
});

const defaults = defaultLoggingSettings(rep.email);
const known = [ann.email, colleague.email, annPrivate.email, 'alerts@acme.test'];

describe('decideLogging', () => {
  const cases: { name: string; message: InboxMessage; settings?: LoggingSettings; threadOff?: boolean; knownEmails?: string[]; expected: LogVerdict }[] = [
    { name: 'inbound from a known contact', message: msg(ann, [rep]), expected: { log: true, contacts: [ann.email] } },
    { name: 'the rep’s own reply to a known contact', message: msg(rep, [ann]), expected: { log: true, contacts: [ann.email] } },
    { name: 'known contact only in cc', message: msg(bob, [rep], { cc: [ann] }), expected: { log: true, contacts: [ann.email] } },
    { name: 'address case and display form do not matter', message: msg(p('Ann Lee <ANN@Acme.test>'), [rep]), expected: { log: true, contacts: [ann.email] } },
    { name: 'nobody known', message: msg(bob, [rep]), expected: { log: false, reason: 'no-known-contact' } },
    { name: 'known contact at a personal-mail domain', message: msg(annPrivate, [rep]), expected: { log: false, reason: 'excluded', detail: annPrivate.email } },
    {
      name: 'personal mail allowed when the rep turned that off',
      message: msg(annPrivate, [rep]),
      settings: { ...defaults, excludePersonalMail: false },
      expected: { log: true, contacts: [annPrivate.email] },
    },
    { name: 'excluded domain', message: msg(ann, [rep]), settings: { ...defaults, neverLog: [...defaults.neverLog, 'acme.test'] }, expected: { log: false, reason: 'excluded', detail: ann.email } },
    { name: 'excluded address', message: msg(ann, [rep]), settings: { ...defaults, neverLog: ['ann@acme.test'] }, expected: { log: false, reason: 'excluded', detail: ann.email } },
    { name: 'excluded domain covers subdomains', message: msg(p('ann@eu.acme.test'), [rep]), knownEmails: ['ann@eu.acme.test'], settings: { ...defaults, neverLog: ['acme.test'] }, expected: { log: false, reason: 'excluded', detail: 'ann@eu.acme.test' } },
    { name: 'other known contacts still count when one is excluded', message: msg(ann, [rep], { cc: [annPrivate] }), expected: { log: true, contacts: [ann.email] } },
    { name: 'no-reply sender', message: msg(p('no-reply@acme.test'), [rep]), knownEmails: ['no-reply@acme.test'], expected: { log: false, reason: 'automated', detail: 'sent from no-reply@acme.test' } },
    { name: 'noreply sender', message: msg(p('noreply@acme.test'), [rep], { cc: [ann] }), expected: { log: false, reason: 'automated', detail: 'sent from noreply@acme.test' } },
    { name: 'notifications sender', message: msg(p('notifications@acme.test'), [ann]), expected: { log: false, reason: 'automated', detail: 'sent from notifications@acme.test' } },
    { name: 'mailer-daemon bounce', message: msg(p('MAILER-DAEMON@acme.test'), [rep], { cc: [ann] }), expected: { log: false, reason: 'automated', detail: 'sent from mailer-daemon@acme.test' } },
    { name: 'List-Unsubscribe header', message: msg(ann, [rep], { headers: { 'list-unsubscribe': '<mailto:u@acme.test>' } }), expected: { log: false, reason: 'automated', detail: 'has a List-Unsubscribe header' } },
    { name: 'List-Id header', message: msg(ann, [rep], { headers: { 'List-Id': 'news.acme.test' } }), expected: { log: false, reason: 'automated', detail: 'has a List-Id header' } },
    { name: 'Precedence: bulk', message: msg(ann, [rep], { headers: { Precedence: 'Bulk' } }), expected: { log: false, reason: 'automated', detail: 'Precedence: bulk' } },
    { name: 'Precedence: junk', message: msg(ann, [rep], { headers: { Precedence: 'junk' } }), expected: { log: false, reason: 'automated', detail: 'Precedence: junk' } },
    { name: 'Auto-Submitted: auto-replied', message: msg(ann, [rep], { headers: { 'Auto-Submitted': 'auto-replied' } }), expected: { log: false, reason: 'automated', detail: 'Auto-Submitted: auto-replied' } },
    { name: 'Auto-Submitted: no is a person', message: msg(ann, [rep], { headers: { 'Auto-Submitted': 'no' } }), expected: { log: true, contacts: [ann.email] } },
    { name: 'Precedence: first-class is a person', message: msg(ann, [rep], { headers: { Precedence: 'first-class' } }), expected: { log: true, contacts: [ann.email] } },
    { name: 'a sender called alerts is not a no-reply address', message: msg(p('alerts@acme.test'), [rep]), expected: { log: true, contacts: ['alerts@acme.test'] } },
    { name: 'thread switched off', message: msg(ann, [rep]), threadOff: true, expected: { log: false, reason: 'thread-off' } },
    { name: 'no message id', message: msg(ann, [rep], { messageId: '  ' }), expected: { log: false, reason: 'unreadable' } },
  ];

  it.each(cases)('$name', ({ message, settings = defaults, threadOff = false, knownEmails = known, expected }) => {
    const [decision] = decideLogging({ thread: threadOf([message]), knownEmails, settings, threadOff });
    expect(decision?.verdict).toEqual(expected);
  });

  it.each([
    { name: 'only colleagues', messages: [msg(rep, [colleague])], userEmail: rep.email, expected: true },
    { name: 'a colleague who is also a known contact', messages: [msg(colleague, [rep])], userEmail: rep.email, expected: true },
    { name: 'one outsider in cc', messages: [msg(rep, [colleague], { cc: [ann] })], userEmail: rep.email, expected: false },
    { name: 'outsider in a later message', messages: [msg(rep, [colleague]), msg(ann, [rep])], userEmail: rep.email, expected: false },
    { name: 'personal mailbox: another gmail user is not a colleague', messages: [msg(p('me@gmail.com'), [p('friend@gmail.com')])], userEmail: 'me@gmail.com', expected: false },
  ])('internal-only thread: $name → $expected', ({ messages, userEmail, expected }) => {
    const thread = threadOf(messages, userEmail);
    expect(isInternalOnly(thread)).toBe(expected);
    if (expected) {
      const decisions = decideLogging({ thread, knownEmails: [...known, colleague.email], settings: defaults, threadOff: false });
      expect(decisions.map((d) => d.verdict)).toEqual(messages.map(() => ({ log: false, reason: 'internal-only' })));
    }
  });

  it('decides per message: the newsletter in a thread is skipped, the replies are logged', () => {
    const thread = threadOf([
      msg(ann, [rep], { messageId: '<a>' }),
      msg(p('newsletter@acme.test'), [rep], { messageId: '<b>', headers: { 'List-Id': 'x' } }),
      msg(rep, [ann], { messageId: '<c>' }),
    ]);
    const logged = decideLogging({ thread, knownEmails: known, settings: defaults, threadOff: false }).filter((d) => d.verdict.log).map((d) => d.message.messageId);
    expect(logged).toEqual(['<a>', '<c>']);
  });
});

describe('exclusions', () => {
  it.each([
    { userEmail: 'robin@seller.test', expected: ['seller.test'] },
    { userEmail: 'Robin <Robin@Gmail.com>', expected: ['robin@gmail.com'] },
  ])('defaults for $userEmail: own domain (or own address on personal mail), personal mail excluded', ({ userEmail, expected }) => {
    expect(defaultLoggingSettings(userEmail)).toEqual({ neverLog: expected, excludePersonalMail: true });
  });

  it.each([
    ['ann@acme.test', ['acme.test'], true],
    ['ann@acme.test', ['@acme.test'], true],
    ['ann@notacme.test', ['acme.test'], false],
    ['ann@acme.test', ['bob@acme.test'], false],
    ['someone@outlook.com', [], true],
    ['not an address', [], true],
  ] as const)('%s with %j → excluded %s', (email, neverLog, expected) => {
    expect(isExcluded(email, { neverLog: [...neverLog], excludePersonalMail: true })).toBe(expected);
  });
});

describe('automatedReason', () => {
  it.each([
    ['do-not-reply@x.test', 'sent from do-not-reply@x.test'],
    ['donotreply@x.test', 'sent from donotreply@x.test'],
    ['no_reply+abc@x.test', 'sent from no_reply+abc@x.test'],
    ['postmaster@x.test', 'sent from postmaster@x.test'],
    ['replies@x.test', null],
    ['noreplyanne@x.test', null],
  ])('%s → %s', (from, expected) => {
    expect(automatedReason(msg(p(from), [rep]))).toBe(expected);
  });
});

describe('emailLogOf', () => {
  it('sends bare addresses, the thread id and the direction', () => {
    const body = emailLogOf(msg(rep, [p('Ann Lee <ann@acme.test>')], { cc: [p('bad address')], snippet: 'x'.repeat(3000) }), 't9');
    expect(body).toEqual({
      messageId: '<1@x>', threadId: 't9', subject: 'Hello', from: 'robin@seller.test', to: ['ann@acme.test'], cc: [],
      sentAt: '2026-11-20T09:30:00Z', snippet: 'x'.repeat(2000), direction: 'outbound',
    });
  });
});
