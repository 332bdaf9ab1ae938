import { describe, expect, it } from 'vitest';
import type { Deal, SidebarDeal, ThreadContext } from '../api-client/api-types.ts';
import { applyConfirmed, applyPending, findApplied, pendingId, rewriteIds, type Change } from './changes.ts';
import { makeActivity, makeCompany, makeContact, makeDeal, makeRisk, pipeline, stage } from './test-fakes.ts';

const acme = makeCompany({ name: 'Acme', domain: 'acme.test' });
const ann = makeContact({ email: 'ann@acme.test', firstName: 'Ann', companyId: acme.id });
const deal = makeDeal({ name: 'Acme renewal', contactIds: [ann.id], companyId: acme.id, risk: makeRisk(40, 'medium') });
const task = makeActivity({ type: 'task', subject: 'Send contract', dueAt: '2026-11-25T09:00:00.000Z', contactIds: [ann.id] });
const base: ThreadContext = { contacts: [ann], unknownEmails: ['bo@newco.test', 'pat@gmail.com'], companies: [acme], deals: [deal], activities: [], tasks: [task], tracking: [] };
const env = { now: new Date('2026-11-20T12:00:00Z'), pipelines: [pipeline] };

describe('applyPending: what the rep sees before the server confirms', () => {
  it.each<{ name: string; change: Change; check: (c: ThreadContext) => unknown; expected: unknown }>([
    {
      name: 'a new contact leaves the unknown list, with the company to be',
      change: { kind: 'createContact', tempId: pendingId('c'), contact: { email: 'bo@newco.test', firstName: 'Bo', lastName: null }, company: { tempId: 'pending:c:company', name: 'Newco', domain: 'newco.test' }, companyId: null },
      check: (c) => [c.unknownEmails, c.contacts.map((x) => [x.email, x.companyId]), c.companies.map((x) => x.name)],
      expected: [['pat@gmail.com'], [['ann@acme.test', acme.id], ['bo@newco.test', 'pending:c:company']], ['Acme', 'Newco']],
    },
    {
      name: 'a contact for an address that is not on the thread changes nothing',
      change: { kind: 'createContact', tempId: pendingId('c'), contact: { email: 'zed@else.test', firstName: null, lastName: null }, company: null, companyId: null },
      check: (c) => c,
      expected: base,
    },
    {
      name: 'a stage move shows the stage’s name',
      change: { kind: 'updateDeal', dealId: deal.id, patch: { stage: stage('Won').id } },
      check: (c) => c.deals[0]!.stageInfo.name,
      expected: 'Won',
    },
    {
      name: 'a value edit',
      change: { kind: 'updateDeal', dealId: deal.id, patch: { valueCents: 5, expectedCloseDate: null } },
      check: (c) => [c.deals[0]!.valueCents, c.deals[0]!.expectedCloseDate],
      expected: [5, null],
    },
    {
      name: 'a new task is sorted by due date',
      change: { kind: 'addTask', tempId: pendingId('t'), task: { subject: 'Call', dueAt: '2026-11-21T09:00:00.000Z', contactIds: [ann.id], dealIds: [] } },
      check: (c) => c.tasks.map((t) => t.subject),
      expected: ['Call', 'Send contract'],
    },
    {
      name: 'a task for people not on this thread is not shown here',
      change: { kind: 'addTask', tempId: pendingId('t'), task: { subject: 'Elsewhere', dueAt: null, contactIds: ['other'], dealIds: [] } },
      check: (c) => c.tasks.length,
      expected: 1,
    },
    { name: 'a completed task leaves the list', change: { kind: 'completeTask', taskId: task.id }, check: (c) => c.tasks, expected: [] },
    {
      name: 'a note goes on top of the timeline',
      change: { kind: 'addNote', tempId: pendingId('n'), note: { body: 'Hi', contactIds: [ann.id], dealIds: [] } },
      check: (c) => c.activities.map((a) => [a.id, a.body]),
      expected: [[pendingId('n'), 'Hi']],
    },
  ])('$name', ({ change, check, expected }) => {
    expect(check(applyPending(base, change, env))).toEqual(expected);
  });
});

describe('applyConfirmed', () => {
  it('an updated deal replaces the shown one and keeps its risk when the answer has none', () => {
    const { risk: _risk, ...answer } = { ...deal, valueCents: 99 };
    const next = applyConfirmed(base, { kind: 'updateDeal', dealId: deal.id, patch: { valueCents: 99 } }, { kind: 'deal', deal: answer as Deal });
    expect([next.deals[0]!.valueCents, (next.deals[0] as SidebarDeal).risk?.band]).toEqual([99, 'medium']);
  });

  it('an updated deal that is not on this thread is not added to it', () => {
    const other = makeDeal({ name: 'Other' });
    const next = applyConfirmed(base, { kind: 'updateDeal', dealId: other.id, patch: { valueCents: 1 } }, { kind: 'deal', deal: other });
    expect(next.deals.map((d) => d.name)).toEqual(['Acme renewal']);
  });
});

describe('rewriteIds and findApplied', () => {
  it('replaces pending ids everywhere a change points', () => {
    const change: Change = { kind: 'addTask', tempId: pendingId('t'), task: { subject: 'x', dueAt: null, contactIds: [pendingId('c'), ann.id], dealIds: [pendingId('d')] } };
    expect(rewriteIds(change, { [pendingId('c')]: 'real-c', [pendingId('d')]: 'real-d' })).toMatchObject({ task: { contactIds: ['real-c', ann.id], dealIds: ['real-d'] } });
  });

  it.each<[string, Change, boolean]>([
    ['the same task', { kind: 'addTask', tempId: 'x', task: { subject: 'Send contract', dueAt: '2026-11-25T09:00:00Z', contactIds: [ann.id], dealIds: [] } }, true],
    ['same subject, other day', { kind: 'addTask', tempId: 'x', task: { subject: 'Send contract', dueAt: '2026-11-26T09:00:00Z', contactIds: [ann.id], dealIds: [] } }, false],
    ['the same deal', { kind: 'createDeal', tempId: 'x', deal: { name: 'Acme renewal', contactIds: [ann.id], companyId: null } }, true],
    ['a deal with another name', { kind: 'createDeal', tempId: 'x', deal: { name: 'Acme expansion', contactIds: [ann.id], companyId: null } }, false],
  ])('%s → found %s', (_name, change, found) => {
    expect(findApplied(change, base) !== null).toBe(found);
  });
});
