// Asks the API which of the signed-in user's records the demo mailbox should be about: up to three
// open deals (each a thread with its contacts) and one contact without an open deal. The choice
// prefers the oldest records, so deals and contacts people create while trying the demo do not
// push the seeded ones out of the mailbox.
import { call, type ApiClient } from '../api-client/api-client.ts';
import type { Contact, Deal } from '../api-client/api-types.ts';
import type { Person } from './demo-thread.ts';

export interface DealThreadSource {
  /** e.g. "Acme Robotics — Fleet Analytics" */
  dealName: string;
  companyName: string;
  /** The deal's contacts, the one the thread is with first. */
  contacts: Person[];
}

export interface SoloContactSource {
  contact: Person;
  companyName: string | null;
}

/** What the mailbox is built from: who owns it and which CRM records its threads are about. */
export interface MailboxDirectory {
  user: Person;
  organizationName: string;
  /** Other members of the user's organization (for the internal thread). */
  colleagues: Person[];
  /** Up to three open deals, each becoming one thread with its contacts. */
  deals: DealThreadSource[];
  /** A contact with no open deal: a thread where the sidebar offers to create one. */
  soloContact: SoloContactSource | null;
}

const byAge = <T extends { createdAt: string; id: string }>(a: T, b: T) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

const personOf = (c: Pick<Contact, 'email' | 'firstName' | 'lastName'>): Person => ({
  name: [c.firstName, c.lastName].filter(Boolean).join(' '),
  email: c.email,
});

/** Open deals with a company and contacts, the user's own first, oldest first, one per company. */
export function pickDeals(deals: Deal[], userId: string, count = 3): Deal[] {
  const usable = deals.filter((d) => !d.outcome && !d.deletedAt && d.companyId && d.contactIds.length > 0);
  const own = usable.filter((d) => d.ownerId === userId);
  const pool = (own.length > 0 ? own : usable).slice().sort(byAge);
  const companies = new Set<string>();
  const picked: Deal[] = [];
  for (const deal of pool) {
    if (picked.length === count) break;
    if (companies.has(deal.companyId!)) continue;
    companies.add(deal.companyId!);
    picked.push(deal);
  }
  return picked;
}

/** The oldest contact at a company with no open deal (so the sidebar offers to create one). */
export function pickSoloContact(contacts: Contact[], openDeals: Deal[]): Contact | null {
  const busyCompanies = new Set(openDeals.flatMap((d) => (d.companyId && !d.outcome ? [d.companyId] : [])));
  const busyContacts = new Set(openDeals.flatMap((d) => (d.outcome ? [] : d.contactIds)));
  const candidates = contacts.filter((c) => !c.deletedAt && !busyContacts.has(c.id) && !(c.companyId && busyCompanies.has(c.companyId))).sort(byAge);
  return candidates.find((c) => c.companyId) ?? candidates[0] ?? null;
}

/** Everything the mailbox needs, in two rounds of parallel requests. */
export async function loadDirectory(client: ApiClient): Promise<MailboxDirectory> {
  const me = await call(client.GET('/me'));
  const [deals, members, ownContacts] = await Promise.all([
    call(client.GET('/deals', { params: { query: { status: 'open', limit: 200 } } })).then((p) => p.data),
    // Only for the internal thread: a mailbox without colleagues still works.
    call(client.GET('/members')).then((p) => p.data, () => []),
    call(client.GET('/contacts', { params: { query: { ownerId: me.user.id, limit: 200 } } })).then((p) => p.data),
  ]);

  const picked = pickDeals(deals, me.user.id);
  const solo = pickSoloContact(ownContacts, deals);
  const contactIds = [...new Set(picked.flatMap((d) => d.contactIds))];
  const companyIds = [...new Set([...picked.flatMap((d) => (d.companyId ? [d.companyId] : [])), ...(solo?.companyId ? [solo.companyId] : [])])];
  const [contacts, companies] = await Promise.all([
    Promise.all(contactIds.map((id) => call(client.GET('/contacts/{id}', { params: { path: { id } } })).catch(() => null))),
    Promise.all(companyIds.map((id) => call(client.GET('/companies/{id}', { params: { path: { id } } })).catch(() => null))),
  ]);
  const contactById = new Map(contacts.flatMap((c) => (c ? [[c.id, c] as const] : [])));
  const companyById = new Map(companies.flatMap((c) => (c ? [[c.id, c] as const] : [])));

  const roleOrder = ['manager', 'admin', 'rep', 'readonly'];
  const colleagues = members
    .filter((m) => m.email.toLowerCase() !== me.user.email.toLowerCase())
    .sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || a.email.localeCompare(b.email))
    .map((m) => ({ name: m.name, email: m.email }));

  return {
    user: { name: me.user.name, email: me.user.email },
    organizationName: me.organization.name,
    colleagues,
    deals: picked.flatMap((deal) => {
      const people = deal.contactIds
        .flatMap((id) => {
          const c = contactById.get(id);
          return c && !c.deletedAt ? [c] : [];
        })
        .sort((a, b) => a.email.localeCompare(b.email))
        .map(personOf);
      const company = deal.companyId ? companyById.get(deal.companyId) : undefined;
      return people.length > 0 ? [{ dealName: deal.name, companyName: company?.name ?? deal.name, contacts: people }] : [];
    }),
    soloContact: solo ? { contact: personOf(solo), companyName: (solo.companyId && companyById.get(solo.companyId)?.name) || null } : null,
  };
}
