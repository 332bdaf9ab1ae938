// Everything the sidebar shows for a thread, in one call: who these people are, their companies,
// their open deals, the latest activities and the open tasks.
import { normalizeEmail } from '../../core/email-address.ts';
import type { Actor } from '../../core/roles.ts';
import type { ThreadContext } from '../../core/schemas/context.ts';
import type { Tx } from '../../db/client.ts';
import { activitiesLinkedTo } from './activities.service.ts';
import { companiesByIds } from './companies.service.ts';
import { contactsByEmails, presentContact } from './contacts.service.ts';
import { openDealsFor, presentDeals } from './deals.service.ts';

export async function threadContext(tx: Tx, actor: Actor, rawEmails: string[]): Promise<ThreadContext> {
  const emails = [...new Set(rawEmails.map(normalizeEmail).filter((e): e is string => e !== null))];
  const contactRows = await contactsByEmails(tx, actor.orgId, emails);
  const contacts = contactRows.map(presentContact);
  const known = new Set(contacts.map((c) => c.email.toLowerCase()));
  const contactIds = contacts.map((c) => c.id);
  const companyIds = [...new Set(contacts.flatMap((c) => (c.companyId ? [c.companyId] : [])))];

  const companies = await companiesByIds(tx, companyIds);
  const deals = await presentDeals(tx, await openDealsFor(tx, actor.orgId, actor, contactIds, companyIds));
  const links = { contactIds, companyIds, dealIds: deals.map((d) => d.id) };
  const activities = await activitiesLinkedTo(tx, actor, links, { openTasks: false, limit: 20 });
  const tasks = await activitiesLinkedTo(tx, actor, links, { openTasks: true, limit: 20 });
  return { contacts, unknownEmails: emails.filter((e) => !known.has(e)), companies, deals, activities, tasks };
}
