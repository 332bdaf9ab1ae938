// Puts the neutral seed data into the Salesforce store: Users, Accounts, Contacts, Leads,
// Opportunities with their stage history and contact roles, Tasks and EmailMessages.
import { generateSeedData, type NeutralStage } from '../shared/generate.ts';
import type { VolumeCounts } from '../shared/options.ts';
import { opportunityStages } from './schema.ts';
import type { SalesforceStore } from './store.ts';

const stageNames: Record<NeutralStage, string> = {
  prospecting: 'Prospecting', qualification: 'Qualification', proposal: 'Proposal/Price Quote', negotiation: 'Negotiation/Review', won: 'Closed Won', lost: 'Closed Lost',
};
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function seedSalesforce(store: SalesforceStore, seed: number, counts: VolumeCounts, now: number): void {
  store.clear();
  const data = generateSeedData(seed, counts, now);
  const trusted = (type: string, fields: Record<string, unknown>, at: number, actor: string | null = null) => store.insert(type, fields, actor, { trusted: true, at });
  const users = data.users.map((u, i) =>
    trusted('User', { Username: u.email, FirstName: u.firstName, LastName: u.lastName, Name: `${u.firstName} ${u.lastName}`, Email: u.email, IsActive: true }, now - (500 - i) * 86_400_000),
  );
  const admin = users[0]!;
  opportunityStages.forEach((s, i) =>
    trusted('OpportunityStage', { MasterLabel: s.name, ApiName: s.name, IsActive: true, IsClosed: s.isClosed, IsWon: s.isWon, DefaultProbability: s.probability, SortOrder: i + 1 }, now - 600 * 86_400_000, admin),
  );
  const accounts = data.companies.map((co) =>
    trusted('Account', { Name: co.name, Website: `https://www.${co.domain}`, Industry: co.industry, BillingCity: co.city, BillingCountry: co.country, NumberOfEmployees: co.employees, OwnerId: users[co.ownerIndex] }, co.createdAt, admin),
  );
  const contacts = data.contacts.map((p) =>
    trusted('Contact', { FirstName: p.firstName, LastName: p.lastName, Name: `${p.firstName} ${p.lastName}`, Email: p.email, Phone: p.phone, Title: p.title, AccountId: accounts[p.companyIndex] ?? null, OwnerId: users[p.ownerIndex] }, p.createdAt, admin),
  );
  for (const p of data.leads) {
    trusted('Lead', { FirstName: p.firstName, LastName: p.lastName, Name: `${p.firstName} ${p.lastName}`, Email: p.email, Phone: p.phone, Title: p.title, Company: p.email.split('@')[1]!.replace(/-prospect\.example$/, ''), Status: 'Open - Not Contacted', IsConverted: false, OwnerId: users[p.ownerIndex] }, p.createdAt, admin);
  }
  const opportunities = data.deals.map((d) => {
    const owner = users[d.ownerIndex]!;
    const first = d.history[0]!;
    const stageOf = (s: NeutralStage) => opportunityStages.find((x) => x.name === stageNames[s])!;
    const id = trusted('Opportunity', {
      Name: d.name, AccountId: accounts[d.companyIndex] ?? null, StageName: stageNames[first.stage], Amount: d.amount, CloseDate: date(d.closeDate),
      Probability: stageOf(first.stage).probability, IsClosed: false, IsWon: false, Type: 'New Business', OwnerId: owner,
    }, d.createdAt, owner);
    // Each later stage goes through update(), which writes OpportunityHistory as Salesforce does.
    for (const step of d.history.slice(1)) store.update('Opportunity', id, { StageName: stageNames[step.stage] }, owner, { at: step.at });
    d.contactIndexes.forEach((ci, n) => trusted('OpportunityContactRole', { OpportunityId: id, ContactId: contacts[ci], Role: 'Decision Maker', IsPrimary: n === 0 }, d.createdAt, owner));
    return id;
  });
  for (const a of data.activities) {
    const who = contacts[a.contactIndex] ?? null;
    const what = a.dealIndex === null ? null : opportunities[a.dealIndex]!;
    const owner = users[a.ownerIndex]!;
    if (a.kind === 'email') {
      const contact = data.contacts[a.contactIndex];
      const ours = data.users[a.ownerIndex]!.email;
      trusted('EmailMessage', {
        Subject: a.subject, TextBody: a.body, FromAddress: a.inbound ? contact?.email ?? null : ours, FromName: null,
        ToAddress: a.inbound ? ours : contact?.email ?? null, MessageDate: a.at, Incoming: a.inbound, Status: '3', RelatedToId: what,
        MessageIdentifier: `<sandbox-${a.at}-${a.contactIndex}@sandbox-sales.test>`,
      }, a.at, owner);
    } else {
      const subtype = a.kind === 'call' ? 'Call' : 'Task';
      const subject = a.kind === 'note' ? `Note: ${a.subject}` : a.kind === 'meeting' ? `Meeting: ${a.subject}` : a.subject;
      trusted('Task', {
        Subject: subject, Description: a.body, ActivityDate: date(a.at), Status: a.completed ? 'Completed' : 'Not Started', Priority: 'Normal', TaskSubtype: subtype,
        CallDurationInSeconds: a.kind === 'call' ? 300 : null, CompletedDateTime: a.completed ? a.at : null, WhoId: who, WhatId: what, OwnerId: owner,
      }, a.at, owner);
    }
  }
}
