// A small, realistic set of records in one organization, made through the API.
import type { Caller, TestApp } from './app.ts';

export interface OrgFixture {
  admin: Caller;
  rep: Caller;
  otherRep: Caller;
  manager: Caller;
  readonly: Caller;
  companyId: string;
  contactId: string;
  contactEmail: string;
  dealId: string;
  otherRepDealId: string;
  activityId: string;
  taskId: string;
  pipelineId: string;
  stageIds: string[];
  teamId: string;
  invitationId: string;
  apiKeyId: string;
}

export async function createOrgFixture(t: TestApp, name: string): Promise<OrgFixture> {
  const org = await t.newOrg(name);
  const [rep, otherRep, manager, readonly] = [await org.member('rep'), await org.member('rep'), await org.member('manager'), await org.member('readonly')];
  const ok = async (method: string, path: string, as: Caller, body?: unknown) => {
    const res = await t.request(method, path, { as, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const slug = name.toLowerCase().replace(/\W+/g, '');
  const company = await ok('POST', '/api/v1/companies', rep, { name: `${name} Industries`, domain: `${slug}-industries.com` });
  const contactEmail = `pat.quinn@${slug}-industries.com`;
  const contact = await ok('POST', '/api/v1/contacts', rep, { email: contactEmail, firstName: 'Pat', lastName: `Quinn${slug}` });
  const pipelines = await ok('GET', '/api/v1/pipelines', rep);
  const pipeline = pipelines.data[0];
  const deal = await ok('POST', '/api/v1/deals', rep, { name: `${name} expansion`, valueCents: 1_250_000, companyId: company.id, contactIds: [contact.id] });
  const otherDeal = await ok('POST', '/api/v1/deals', otherRep, { name: `${name} renewal`, valueCents: 300_000, contactIds: [contact.id] });
  const activity = await ok('POST', '/api/v1/activities', rep, { type: 'call', subject: 'Intro call', contactIds: [contact.id], dealIds: [deal.id] });
  const task = await ok('POST', '/api/v1/tasks', rep, { subject: 'Send proposal', dueAt: '2030-01-01T09:00:00Z', contactIds: [contact.id], dealIds: [deal.id] });
  const team = await ok('POST', '/api/v1/teams', org.admin, { name: 'East' });
  const invitation = await ok('POST', '/api/v1/invitations', org.admin, { email: `later@${slug}.test`, role: 'rep' });
  const key = await ok('POST', '/api/v1/api-keys', org.admin, { name: 'fixture' });
  return {
    admin: org.admin,
    rep,
    otherRep,
    manager,
    readonly,
    companyId: company.id,
    contactId: contact.id,
    contactEmail,
    dealId: deal.id,
    otherRepDealId: otherDeal.id,
    activityId: activity.id,
    taskId: task.id,
    pipelineId: pipeline.id,
    stageIds: pipeline.stages.map((s: { id: string }) => s.id),
    teamId: team.id,
    invitationId: invitation.id,
    apiKeyId: key.id,
  };
}
