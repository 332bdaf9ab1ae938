// Puts the neutral seed data into the HubSpot store: owners, companies, contacts, deals in the
// default pipeline with their dealstage history, and engagements, all associated.
import { generateSeedData, industries as neutralIndustries, type NeutralStage, type SeedActivity } from '../shared/generate.ts';
import type { VolumeCounts } from '../shared/options.ts';
import { industries } from './schema.ts';
import { iso, type HubSpotStore, type HsRecord } from './store.ts';

const stageIds: Record<NeutralStage, string> = {
  prospecting: 'appointmentscheduled', qualification: 'qualifiedtobuy', proposal: 'presentationscheduled', negotiation: 'decisionmakerboughtin', won: 'closedwon', lost: 'closedlost',
};

export function seedHubSpot(store: HubSpotStore, seed: number, counts: VolumeCounts, now: number): void {
  store.clear();
  const data = generateSeedData(seed, counts, now);
  store.owners = data.users.map((u, i) => ({ id: String(70_000_001 + i), email: u.email, firstName: u.firstName, lastName: u.lastName, userId: 7_000_001 + i, createdAt: now - 500 * 86_400_000 }));
  const ownerId = (i: number) => store.owners[i]!.id;
  const add = (type: Parameters<HubSpotStore['create']>[0], properties: Record<string, string | null>, at: number) => store.create(type, properties, 'CRM_UI', { trusted: true, at });
  const companies = data.companies.map((co) =>
    add('companies', {
      name: co.name, domain: co.domain, industry: industries[neutralIndustries.indexOf(co.industry as (typeof neutralIndustries)[number])] ?? null,
      city: co.city, country: co.country, numberofemployees: String(co.employees), hubspot_owner_id: ownerId(co.ownerIndex),
    }, co.createdAt),
  );
  const contacts = data.contacts.map((p) => {
    const contact = add('contacts', {
      email: p.email, firstname: p.firstName, lastname: p.lastName, phone: p.phone, jobtitle: p.title, company: data.companies[p.companyIndex]?.name ?? null,
      lifecyclestage: 'lead', hubspot_owner_id: ownerId(p.ownerIndex),
    }, p.createdAt);
    if (companies[p.companyIndex]) store.associate('contacts', contact.id, 'companies', companies[p.companyIndex]!.id);
    return contact;
  });
  const deals = data.deals.map((d) => {
    const last = d.history[d.history.length - 1]!;
    const deal = add('deals', {
      dealname: d.name, amount: String(d.amount), closedate: iso(d.closeDate), pipeline: 'default', dealstage: stageIds[last.stage],
      dealtype: 'newbusiness', hubspot_owner_id: ownerId(d.ownerIndex),
    }, d.createdAt);
    setStageHistory(deal, d.history.map((h) => ({ value: stageIds[h.stage], timestamp: h.at })), last.at);
    if (companies[d.companyIndex]) store.associate('deals', deal.id, 'companies', companies[d.companyIndex]!.id);
    for (const ci of d.contactIndexes) store.associate('deals', deal.id, 'contacts', contacts[ci]!.id);
    return deal;
  });
  for (const a of data.activities) {
    const engagement = add(engagementType(a), engagementProperties(a, ownerId(a.ownerIndex)), a.at);
    if (contacts[a.contactIndex]) store.associate(engagement.type, engagement.id, 'contacts', contacts[a.contactIndex]!.id);
    if (a.dealIndex !== null) store.associate(engagement.type, engagement.id, 'deals', deals[a.dealIndex]!.id);
  }
}

/** The deal moved through these stages over time: newest first, as HubSpot lists property history. */
function setStageHistory(deal: HsRecord, steps: Array<{ value: string; timestamp: number }>, lastChange: number): void {
  deal.history.dealstage = steps.map((s) => ({ ...s, sourceType: 'CRM_UI' })).reverse();
  deal.updatedAt = Math.max(deal.updatedAt, lastChange);
  deal.properties.hs_lastmodifieddate = iso(deal.updatedAt);
  deal.properties.hs_is_closed_won = String(deal.properties.dealstage === 'closedwon');
}

const engagementType = (a: SeedActivity) => ({ email: 'emails', note: 'notes', call: 'calls', meeting: 'meetings', task: 'tasks' } as const)[a.kind];

function engagementProperties(a: SeedActivity, owner: string): Record<string, string | null> {
  const common = { hs_timestamp: iso(a.at), hubspot_owner_id: owner };
  switch (a.kind) {
    case 'email': return { ...common, hs_email_subject: a.subject, hs_email_text: a.body, hs_email_direction: a.inbound ? 'INCOMING_EMAIL' : 'EMAIL', hs_email_status: 'SENT' };
    case 'note': return { ...common, hs_note_body: a.body };
    case 'call': return { ...common, hs_call_title: a.subject, hs_call_body: a.body, hs_call_duration: '300000', hs_call_direction: a.inbound ? 'INBOUND' : 'OUTBOUND' };
    case 'meeting': return { ...common, hs_meeting_title: a.subject, hs_meeting_body: a.body, hs_meeting_start_time: iso(a.at), hs_meeting_end_time: iso(a.at + 1_800_000) };
    case 'task': return { ...common, hs_task_subject: a.subject, hs_task_body: a.body, hs_task_status: a.completed ? 'COMPLETED' : 'NOT_STARTED', hs_task_priority: 'MEDIUM', hs_task_type: 'TODO' };
  }
}
