// Renders the Sidebar against the fakes, with a small CRM world most tests share.
import { render } from '@testing-library/react';
import { createMemoryStore, type KeyValueStore } from './cache.ts';
import { Sidebar, type SidebarProps } from './sidebar.tsx';
import { colleague, FakeCrm, FakeHost, makeActivity, makeCompany, makeContact, makeDeal, makeRisk, me, message, person, thread } from './test-fakes.ts';

export const NOW = new Date('2026-11-20T12:00:00.000Z');

function acmeWorld(crm: FakeCrm) {
  const acme = makeCompany({ name: 'Acme Corp', domain: 'acme.test' });
  const ann = makeContact({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', title: 'VP Sales', companyId: acme.id, ownerId: colleague.id, owner: colleague });
  const deal = makeDeal(
    {
      name: 'Acme renewal', valueCents: 1_200_000, contactIds: [ann.id], companyId: acme.id, expectedCloseDate: '2027-01-15',
      risk: makeRisk(72, 'high', [{ code: 'no_reply', sentence: 'No reply from Ann for 21 days.' }]),
    },
    'Proposal',
  );
  const task = makeActivity({ type: 'task', subject: 'Send contract', dueAt: '2026-11-25T09:00:00.000Z', contactIds: [ann.id], dealIds: [deal.id] });
  const note = makeActivity({ type: 'note', body: 'Met at the trade fair', occurredAt: '2026-11-10T10:00:00.000Z', contactIds: [ann.id] });
  crm.companies.push(acme);
  crm.contacts.push(ann);
  crm.deals.push(deal);
  crm.activities.push(task, note);
  const annP = person('Ann Lee', ann.email);
  const carl = person('Carl New', 'carl@newco.test');
  const pat = person('Pat', 'pat.personal@gmail.com');
  const first = message(annP, [me], { subject: 'Pricing for 200 seats', messageId: '<m-ann-1@acme.test>' });
  const reply = message(me, [annP], { subject: 'Re: Pricing for 200 seats', messageId: '<m-rep-1@seller.test>', date: '2026-11-20T10:00:00Z' });
  const fromCarl = message(carl, [me], { subject: 'Re: Pricing for 200 seats', messageId: '<m-carl-1@newco.test>', cc: [pat], date: '2026-11-20T11:00:00Z' });
  return { acme, ann, deal, task, note, carl, pat, messages: { first, reply, fromCarl }, thread: thread('t-acme', [first, reply, fromCarl]) };
}

export function setup(options: { store?: KeyValueStore } = {}) {
  const crm = new FakeCrm();
  const host = new FakeHost();
  const store = options.store ?? createMemoryStore();
  const world = acmeWorld(crm);
  return { crm, host, store, world };
}

export function renderSidebar(props: Pick<SidebarProps, 'host' | 'api' | 'store'> & Partial<SidebarProps>) {
  return render(<Sidebar now={NOW} locale="en-US" retryIntervalMs={60_000} {...props} />);
}
