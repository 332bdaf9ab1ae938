// The sync itself, driven through jsforce and @hubspot/api-client against the stand-ins: the
// initial import of companies, contacts and deals (with their contacts and stages), incremental
// pulls of what changed, deletions, local edits that must not be overwritten (ownership rules and
// the conflict journal), a dry run that writes nothing, the run log and "sync now", and faults.
// Two organizations: one's sync never reads or writes the other's data.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, crmConnections, crmExternalLinks, crmFieldMappings, crmSyncCheckpoints, crmSyncRuns, dealContacts, deals, notifications } from '../../../db/schema/index.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../sandbox/hubspot/index.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../sandbox/salesforce/index.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { crmTestDeps } from '../../../test-support/crm.ts';
import type { CrmDeps } from '../../integrations/crm-deps.ts';
import { crmSyncJob } from './crm-sync.job.ts';
import { runConnectionSync, type SyncRunOptions } from './sync-run.ts';

let sf: SalesforceSandbox;
let hs: HubSpotSandbox;
let t: TestApp;
let crm: CrmDeps;
let a: { admin: Caller; rep: Caller; orgId: string; salesforce: string; hubspot: string };
let b: { admin: Caller; orgId: string; hubspot: string; salesforce: string };

const fast: SyncRunOptions['guard'] = { timeoutMs: 2_000, retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 } };

beforeAll(async () => {
  sf = await startSalesforceSandbox({ volume: 'small' });
  hs = await startHubSpotSandbox({ volume: 'small' });
  crm = crmTestDeps({ salesforceUrl: sf.url, hubspotUrl: hs.url });
  t = await createTestApp({ crm });
  const alpha = await t.newOrg('Alpha');
  const bravo = await t.newOrg('Bravo');
  const connect = async (as: Caller, body: unknown) => {
    const res = await t.request('POST', '/api/v1/crm/connections', { as, body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const salesforce = (as: Caller) => {
    const token = sf.control.issueToken();
    return connect(as, { provider: 'salesforce', sandbox: true, instanceUrl: token.instanceUrl, accessToken: token.accessToken });
  };
  const hubspot = (as: Caller) => connect(as, { provider: 'hubspot', sandbox: true, accessToken: hs.control.privateAppToken() });
  a = { admin: alpha.admin, rep: await alpha.member('rep'), orgId: alpha.orgId, salesforce: await salesforce(alpha.admin), hubspot: await hubspot(alpha.admin) };
  b = { admin: bravo.admin, orgId: bravo.orgId, salesforce: await salesforce(bravo.admin), hubspot: await hubspot(bravo.admin) };
}, 120_000);
afterAll(async () => {
  await t?.close();
  await sf?.close();
  await hs?.close();
});

const sync = (orgId: string, connectionId: string, options: SyncRunOptions = {}) =>
  runConnectionSync({ db: t.database.db, clock: () => new Date(), crm }, orgId, connectionId, { guard: fast, ...options });

type LiveTable = typeof companies | typeof contacts | typeof deals;
type LiveRow<T extends LiveTable> = T['$inferSelect'];
const live = async <T extends LiveTable>(orgId: string, table: T): Promise<LiveRow<T>[]> =>
  t.inOrg(orgId, (s) => s.db.select().from(table as typeof companies).where(isNull((table as typeof companies).deletedAt))) as Promise<LiveRow<T>[]>;
const linkOf = async (orgId: string, externalId: string) =>
  (await t.inOrg(orgId, (s) => s.db.select().from(crmExternalLinks).where(eq(crmExternalLinks.externalId, externalId))))[0];
const snapshot = async (orgId: string) => ({
  companies: (await live(orgId, companies)).map((r) => [r.id, r.name, r.updatedAt.toISOString()]).sort(),
  contacts: (await live(orgId, contacts)).map((r) => [r.id, r.email, r.title, r.updatedAt.toISOString()]).sort(),
  deals: (await live(orgId, deals)).map((r) => [r.id, r.name, r.valueCents, r.stageId, r.updatedAt.toISOString()]).sort(),
  links: (await t.inOrg(orgId, (s) => s.db.select().from(crmExternalLinks))).length,
  checkpoints: await t.inOrg(orgId, (s) => s.db.select().from(crmSyncCheckpoints)),
});
const sfEmails = () => new Set(sf.control.records('Contact').flatMap((c) => (c.Email ? [String(c.Email).toLowerCase()] : [])));
const hsEmails = () => new Set(hs.control.records('contacts').flatMap((c) => { const e = (c as { properties: Record<string, string | null> }).properties.email; return e ? [e.toLowerCase()] : []; }));

describe('initial import from Salesforce', () => {
  it('imports accounts, contacts and opportunities with their links, stages and contact roles', async () => {
    const result = await sync(a.orgId, a.salesforce);
    expect(result).toMatchObject({ kind: 'initial', status: 'succeeded', error: null });
    const sfAccounts = sf.control.records('Account').length;
    const sfContacts = sfEmails().size;
    const sfOpps = sf.control.records('Opportunity').length;
    expect(result!.objectCounts).toMatchObject({ Account: { created: sfAccounts }, Contact: { created: sfContacts }, Opportunity: { created: sfOpps } });
    expect((await live(a.orgId, companies)).length).toBe(sfAccounts);
    expect((await live(a.orgId, contacts)).length).toBe(sfContacts);
    expect((await live(a.orgId, deals)).length).toBe(sfOpps);
    const roles = sf.control.records('OpportunityContactRole').length;
    expect((await t.inOrg(a.orgId, (s) => s.db.select().from(dealContacts))).length).toBe(roles);
    // The CRM's won flag decides: a closed-won opportunity is a won deal.
    for (const opp of sf.control.records('Opportunity').filter((o) => o.IsClosed)) {
      const [deal] = await t.inOrg(a.orgId, (s) => s.db.select().from(deals).where(eq(deals.externalId, opp.Id as string)));
      expect(deal!.outcome).toBe(opp.IsWon ? 'won' : 'lost');
    }
    const [run] = await t.inOrg(a.orgId, (s) => s.db.select().from(crmSyncRuns).where(eq(crmSyncRuns.id, result!.runId)));
    expect(run).toMatchObject({ status: 'succeeded', kind: 'initial', apiCalls: result!.apiCalls });
    expect(run!.apiCalls).toBeGreaterThan(3);
    expect(run!.finishedAt).not.toBeNull();
    // Nothing reached the other organization.
    expect((await live(b.orgId, contacts)).length).toBe(0);
  }, 60_000);

  it('a second run is incremental and changes nothing', async () => {
    const before = await snapshot(a.orgId);
    const result = await sync(a.orgId, a.salesforce);
    expect(result).toMatchObject({ kind: 'incremental', status: 'succeeded' });
    expect(result!.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, conflicts: 0 });
    const after = await snapshot(a.orgId);
    expect(after.companies).toEqual(before.companies);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.deals).toEqual(before.deals);
  }, 60_000);
});

describe('HubSpot next to Salesforce', () => {
  it('imports HubSpot into the same organization; a person in both CRMs is one contact with both ids', async () => {
    const result = await sync(a.orgId, a.hubspot);
    expect(result!.error).toBeNull();
    expect(result).toMatchObject({ kind: 'initial', status: 'succeeded' });
    const union = new Set([...sfEmails(), ...hsEmails()]);
    expect((await live(a.orgId, contacts)).length).toBe(union.size);
    const both = [...sfEmails()].find((e) => hsEmails().has(e));
    if (both) {
      const [contact] = await t.inOrg(a.orgId, (s) => s.db.select().from(contacts).where(eq(contacts.emailNormalized, both)));
      const links = await t.inOrg(a.orgId, (s) => s.db.select().from(crmExternalLinks).where(eq(crmExternalLinks.localId, contact!.id)));
      expect(new Set(links.map((l) => l.externalObject))).toEqual(new Set(['Contact', 'contacts']));
    }
    expect((await live(a.orgId, deals)).length).toBe(sf.control.records('Opportunity').length + hs.control.records('deals').length);
  }, 60_000);
});

describe('incremental pulls', () => {
  it('brings a CRM change in, and a deletion as a restorable delete', async () => {
    const account = sf.control.records('Account')[0]!;
    sf.control.update('Account', account.Id as string, { Name: 'Renamed in Salesforce' });
    const gone = sf.control.records('Contact').find((c) => c.Email)!;
    sf.control.remove('Contact', gone.Id as string);
    const result = await sync(a.orgId, a.salesforce);
    expect(result).toMatchObject({ kind: 'incremental', status: 'succeeded' });
    expect(result!.objectCounts.Account!.updated).toBe(1);
    expect(result!.objectCounts.Contact!.deleted).toBe(1);
    const link = await linkOf(a.orgId, account.Id as string);
    const [company] = await t.inOrg(a.orgId, (s) => s.db.select().from(companies).where(eq(companies.id, link!.localId)));
    expect(company!.name).toBe('Renamed in Salesforce');
    const contactLink = await linkOf(a.orgId, gone.Id as string);
    expect(contactLink!.deletedInCrmAt).not.toBeNull();
    const [contact] = await t.inOrg(a.orgId, (s) => s.db.select().from(contacts).where(eq(contacts.id, contactLink!.localId)));
    expect(contact!.deletedAt).not.toBeNull();
  }, 60_000);

  it('reflects a HubSpot archived record as a restorable delete', async () => {
    const company = hs.control.records('companies')[0] as { id: string };
    hs.control.remove('companies', company.id);
    const result = await sync(a.orgId, a.hubspot);
    expect(result).toMatchObject({ kind: 'incremental', status: 'succeeded' });
    expect(result!.objectCounts.companies!.deleted).toBe(1);
    const link = await linkOf(a.orgId, company.id);
    expect(link!.deletedInCrmAt).not.toBeNull();
    const [local] = await t.inOrg(a.orgId, (s) => s.db.select().from(companies).where(eq(companies.id, link!.localId)));
    expect(local!.deletedAt).not.toBeNull();
    // Seen once: the next pull does not count it again.
    expect((await sync(a.orgId, a.hubspot))!.counts.deleted).toBe(0);
  }, 60_000);

  it('never overwrites a local edit made after the CRM\'s: the CRM\'s other fields still come in', async () => {
    const opp = sf.control.records('Opportunity').find((o) => !o.IsClosed)!;
    sf.control.update('Opportunity', opp.Id as string, { Name: 'CRM name', Amount: 4321 });
    await new Promise((r) => setTimeout(r, 20));
    const link = await linkOf(a.orgId, opp.Id as string);
    const edit = await t.request('PATCH', `/api/v1/deals/${link!.localId}`, { as: a.admin, body: { name: 'Name typed in the inbox' } });
    expect(edit.status).toBe(200);
    const result = await sync(a.orgId, a.salesforce);
    expect(result!.status).toBe('succeeded');
    const [deal] = await t.inOrg(a.orgId, (s) => s.db.select().from(deals).where(eq(deals.id, link!.localId)));
    expect(deal!.name).toBe('Name typed in the inbox');
    expect(deal!.valueCents).toBe(432_100);
    // The local name is still the inbox's change (kept for the push); the amount is agreed.
    const after = await linkOf(a.orgId, opp.Id as string);
    expect(after!.baseline.valueCents).toBe(432_100);
    expect(after!.baseline.name).not.toBe('Name typed in the inbox');
  }, 60_000);
});

describe('the conflict journal', () => {
  it('journals a read-only field changed in the inbox, lists it to admins only, and resolves it', async () => {
    await t.inOrg(a.orgId, (s) => s.db.insert(crmFieldMappings).values({ orgId: a.orgId, connectionId: a.salesforce, recordType: 'contact', localField: 'title', crmField: 'Title', ownership: 'read_only', crmFieldSnapshot: {} }));
    const person = sf.control.records('Contact').find((c) => c.Email && !c.IsDeleted && sf.control.get('Contact', c.Id as string))!;
    const link = await linkOf(a.orgId, person.Id as string);
    const edit = await t.request('PATCH', `/api/v1/contacts/${link!.localId}`, { as: a.admin, body: { title: 'Chief Inbox Officer' } });
    expect(edit.status).toBe(200);
    sf.control.update('Contact', person.Id as string, { Phone: '+1 555 0100' });
    const result = await sync(a.orgId, a.salesforce);
    expect(result!.objectCounts.Contact!.conflicts).toBe(1);
    const [contact] = await t.inOrg(a.orgId, (s) => s.db.select().from(contacts).where(eq(contacts.id, link!.localId)));
    expect(contact).toMatchObject({ title: 'Chief Inbox Officer', phone: '+1 555 0100' });

    const listed = await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/conflicts`, { as: a.admin });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ field: 'title', inboxValue: 'Chief Inbox Officer', crmValue: person.Title ?? null, reason: 'read_only_changed_in_inbox', status: 'open', localId: link!.localId })]);
    const conflictId = listed.body.data[0].id;
    // Others: a rep is refused, another organization does not find it.
    expect((await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/conflicts`, { as: a.rep })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/conflicts`, { as: b.admin })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/conflicts/${conflictId}/resolve`, { as: b.admin, body: { resolution: 'keep_crm' } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/conflicts/${conflictId}/resolve`, { as: a.admin, body: { resolution: 'overwrite' } })).status).toBe(400);

    const resolved = await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/conflicts/${conflictId}/resolve`, { as: a.admin, body: { resolution: 'keep_crm' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'keep_crm', resolvedBy: a.admin.userId });
    const [after] = await t.inOrg(a.orgId, (s) => s.db.select().from(contacts).where(eq(contacts.id, link!.localId)));
    expect(after!.title).toBe(person.Title ?? null);
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/conflicts/${conflictId}/resolve`, { as: a.admin, body: { resolution: 'keep_crm' } })).status).toBe(409);
    // Resolved: the next pull of that contact journals nothing again.
    sf.control.update('Contact', person.Id as string, { Phone: '+1 555 0101' });
    expect((await sync(a.orgId, a.salesforce))!.counts.conflicts).toBe(0);
  }, 60_000);
});

describe('dry run, sync now and the run log', () => {
  it('a dry run answers what would change and writes nothing', async () => {
    const account = sf.control.records('Account')[1]!;
    sf.control.update('Account', account.Id as string, { Name: 'Dry-run name' });
    const addedId = String(sf.control.insert('Account', { Name: 'Brand new account', Website: 'https://brand-new.example' }));
    const before = await snapshot(a.orgId);
    const res = await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: a.admin, body: { dryRun: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'dry_run', status: 'succeeded' });
    expect(res.body.plan).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'update', externalId: account.Id, changes: { name: 'Dry-run name' } }),
      expect.objectContaining({ action: 'create', externalId: addedId, changes: expect.objectContaining({ name: 'Brand new account', domain: 'brand-new.example' }) }),
    ]));
    expect(await snapshot(a.orgId)).toEqual(before);
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: a.rep, body: { dryRun: true } })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: b.admin, body: { dryRun: true } })).status).toBe(404);
  }, 60_000);

  it('sync now queues one run at a time, the job runs it, and the run log shows it', async () => {
    const queued = await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: a.admin, body: {} });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued' });
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: a.admin, body: {} })).status).toBe(409);
    const outcome = await t.runJob(crmSyncJob(crm), { orgId: a.orgId });
    expect(outcome).toMatchObject({ [a.salesforce]: expect.stringContaining('incremental succeeded') });
    const runs = await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/runs`, { as: a.admin });
    expect(runs.status).toBe(200);
    expect(runs.body.data[0]).toMatchObject({ id: queued.body.id, status: 'succeeded', kind: 'incremental', counts: { created: 1 }, objectCounts: { Account: { created: 1, updated: 1 } } });
    expect(runs.body.data[0].apiCalls).toBeGreaterThan(0);
    expect(runs.body.data[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(runs.body.data.map((r: { kind: string }) => r.kind)).toContain('dry_run');
    expect((await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/runs`, { as: a.rep })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/crm/connections/${a.salesforce}/runs`, { as: b.admin })).status).toBe(404);
  }, 60_000);
});

describe('faults', () => {
  it('429 bursts, 503s and a connection cut mid-body end as a clean import would', async () => {
    hs.control.clearCalls();
    hs.control.fault({ kind: 'status', status: 429, times: 3, match: { path: '/companies/search' } });
    hs.control.fault({ kind: 'status', status: 503, times: 2, match: { path: '/contacts/search' } });
    hs.control.fault({ kind: 'resetMidBody', times: 1, match: { path: '/deals/search' } });
    // The waits the policy asks for are recorded, and shortened so the test does not sleep them.
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20)));
    };
    const result = await sync(b.orgId, b.hubspot, { guard: { ...fast, retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 50 }, sleep } });
    expect(result!.error).toBeNull();
    expect(result).toMatchObject({ status: 'succeeded', kind: 'initial' });
    expect(result!.failedCalls).toBe(6);
    const statuses = hs.control.calls().map((c) => c.status);
    expect(statuses.filter((st) => st === 429).length).toBe(3);
    expect(statuses.filter((st) => st === 503).length).toBe(2);
    // HubSpot's 429 names its ten-second window: the back-off waits that long, never less.
    expect(waits.filter((ms) => ms >= 10_000).length).toBeGreaterThanOrEqual(3);
    expect((await live(b.orgId, contacts)).map((c) => c.email.toLowerCase()).sort()).toEqual([...hsEmails()].sort());
    expect((await live(b.orgId, deals)).length).toBe(hs.control.records('deals').length);
    expect((await live(b.orgId, companies)).length).toBe(hs.control.records('companies').length);
  }, 60_000);

  it('a run that fails part-way resumes from its checkpoints, without duplicates', async () => {
    // Opportunities keep failing: accounts and contacts are in, the run fails and says so.
    sf.control.fault({ kind: 'status', status: 500, times: 100, match: { path: 'FROM%20Opportunity%20' } });
    const failed = await sync(b.orgId, b.salesforce);
    sf.control.clearFaults();
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'temporarily_unavailable' } });
    expect((await live(b.orgId, deals)).filter((d) => d.source === 'salesforce').length).toBe(0);
    const checkpoints = await t.inOrg(b.orgId, (s) => s.db.select().from(crmSyncCheckpoints).where(eq(crmSyncCheckpoints.connectionId, b.salesforce)));
    expect(new Set(checkpoints.map((c) => c.externalObject))).toEqual(new Set(['Account', 'Contact']));
    const resumed = await sync(b.orgId, b.salesforce);
    expect(resumed).toMatchObject({ status: 'succeeded' });
    expect(resumed!.objectCounts.Account!.created).toBe(0);
    expect(resumed!.objectCounts.Opportunity!.created).toBe(sf.control.records('Opportunity').length);
    expect((await live(b.orgId, deals)).filter((d) => d.source === 'salesforce').length).toBe(sf.control.records('Opportunity').length);
    expect((await t.inOrg(b.orgId, (s) => s.db.select().from(crmExternalLinks).where(and(eq(crmExternalLinks.connectionId, b.salesforce), eq(crmExternalLinks.externalObject, 'Account'))))).length).toBe(sf.control.records('Account').length);
  }, 60_000);

  it('a revoked grant pauses the connection, notifies the admins and loops nowhere', async () => {
    sf.control.expireAccessTokens();
    const calls = sf.control.calls().length;
    const result = await sync(a.orgId, a.salesforce);
    expect(result).toMatchObject({ status: 'paused', error: { code: 'auth_revoked' } });
    expect(sf.control.calls().length - calls).toBeLessThanOrEqual(2);
    const [connection] = await t.inOrg(a.orgId, (s) => s.db.select().from(crmConnections).where(eq(crmConnections.id, a.salesforce)));
    expect(connection!.status).toBe('needs_reconnecting');
    await t.deliverEvents();
    const notes = await t.inOrg(a.orgId, (s) => s.db.select().from(notifications).where(eq(notifications.kind, 'crm_needs_reconnecting')));
    expect(notes.length).toBeGreaterThan(0);
    // Paused: the next run does not start, and sync now is refused.
    expect(await sync(a.orgId, a.salesforce)).toBeNull();
    expect((await t.request('POST', `/api/v1/crm/connections/${a.salesforce}/sync`, { as: a.admin, body: {} })).status).toBe(409);
  }, 60_000);
});
