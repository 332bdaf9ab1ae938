// Export → import into a fresh organization → the same records: the files this module writes are
// read by the CSV importer (api/modules/imports) with the mapping it detects by itself, companies
// first, then contacts, then deals. Owners are matched by member email, and the exporting
// organization's members are not the fresh one's, so the owner column is unmapped (what a person
// importing would do) and owners are not compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { importRunJob } from '../imports/import-run.job.ts';

let t: TestApp;
let from: { admin: Caller; orgId: string };
let to: { admin: Caller; orgId: string };

beforeAll(async () => {
  t = await createTestApp();
  from = await t.newOrg('Exporting Co');
  to = await t.newOrg('Importing Co');
});
afterAll(() => t.close());

const ok = async (method: string, path: string, as: Caller, body?: unknown) => {
  const res = await t.request(method, path, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

async function exportCsv(kind: string, as: Caller): Promise<string> {
  const res = await t.app.request(`/api/v1/exports/${kind}.csv`, { headers: { authorization: `Bearer ${as.token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function importCsv(object: string, csv: string, as: Caller) {
  const res = await t.app.request(`/api/v1/imports?object=${object}&fileName=${object}.csv`, { method: 'POST', headers: { authorization: `Bearer ${as.token}`, 'content-type': 'text/csv' }, body: csv });
  const uploaded = (await res.json()) as { import: { id: string; mapping: Record<string, string> } };
  expect(res.status, JSON.stringify(uploaded)).toBe(201);
  const id = uploaded.import.id;
  // The detected mapping is used as it is, but for the owner: the exporting organization's members
  // are not this one's, so (as a person importing would) the owner column is left out.
  const mapping = Object.fromEntries(Object.entries(uploaded.import.mapping).filter(([, field]) => field !== 'owner'));
  expect((await t.request('PATCH', `/api/v1/imports/${id}`, { as, body: { mapping } })).status).toBe(200);
  const started = await t.request('POST', `/api/v1/imports/${id}/start`, { as, body: { dryRun: false } });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await t.runJob(importRunJob, { orgId: as.orgId });
  return (await t.request('GET', `/api/v1/imports/${id}`, { as })).body.import;
}

type Row = Record<string, unknown>;
const byKey = (rows: Row[], key: string): Row[] => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

describe('CSV export → import round trip', () => {
  it('gives a fresh organization the same companies, contacts and deals', async () => {
    const acme = await ok('POST', '/api/v1/companies', from.admin, { name: 'Acme Robotics', domain: 'acme-robotics.test', industry: 'Manufacturing' });
    const zeta = await ok('POST', '/api/v1/companies', from.admin, { name: 'Zeta, "The" Labs', domain: 'zeta-labs.test', industry: 'Biotech' });
    const ada = await ok('POST', '/api/v1/contacts', from.admin, { email: 'ada@acme-robotics.test', firstName: 'Ada', lastName: 'Lovelace', title: 'CTO', phone: '+1 415 555 0100', companyId: acme.id });
    await ok('POST', '/api/v1/contacts', from.admin, { email: 'grace@zeta-labs.test', firstName: 'Grace', lastName: 'Hopper', title: '=Head of R&D', companyId: zeta.id });
    await ok('POST', '/api/v1/contacts', from.admin, { email: 'solo@freelance.test', firstName: 'Solo', lastName: null });
    const pipelines = await ok('GET', '/api/v1/pipelines', from.admin);
    const stages = pipelines.data[0].stages as { id: string; name: string }[];
    await ok('POST', '/api/v1/deals', from.admin, { name: 'Acme arms, phase 2', valueCents: 1_250_050, companyId: acme.id, contactIds: [ada.id], stage: stages[2]!.id, expectedCloseDate: '2027-03-31' });
    await ok('POST', '/api/v1/deals', from.admin, { name: 'Zeta pilot', valueCents: 300_000, companyId: zeta.id, stage: stages[0]!.id, expectedCloseDate: null });

    for (const object of ['companies', 'contacts', 'deals']) {
      const done = await importCsv(object, await exportCsv(object, from.admin), to.admin);
      expect(done.status, `${object}: ${JSON.stringify(done)}`).toBe('done');
      expect(done.counts.rejected, `${object}: ${JSON.stringify(done.counts)}`).toBe(0);
    }

    const companiesOf = async (as: Caller) => byKey((await ok('GET', '/api/v1/companies?limit=100', as)).data.map((c: Record<string, unknown>) => ({ name: c.name, domain: c.domain, industry: c.industry })), 'name');
    expect(await companiesOf(to.admin)).toEqual(await companiesOf(from.admin));

    const contactsOf = async (as: Caller) => {
      const names = new Map<string, string>((await ok('GET', '/api/v1/companies?limit=100', as)).data.map((c: { id: string; name: string }) => [c.id, c.name]));
      return byKey(
        (await ok('GET', '/api/v1/contacts?limit=100', as)).data.map((c: Record<string, unknown>) => ({ email: c.email, firstName: c.firstName, lastName: c.lastName, title: c.title, phone: c.phone, company: c.companyId ? names.get(c.companyId as string) : null })),
        'email',
      );
    };
    const contactsBefore = await contactsOf(from.admin);
    expect(contactsBefore.find((c) => c.email === 'grace@zeta-labs.test')!.title).toBe('=Head of R&D');
    expect(await contactsOf(to.admin)).toEqual(contactsBefore.map((c) => (c.email === 'grace@zeta-labs.test' ? { ...c, title: "'=Head of R&D" } : c)));

    const dealsOf = async (as: Caller) => {
      const names = new Map<string, string>((await ok('GET', '/api/v1/companies?limit=100', as)).data.map((c: { id: string; name: string }) => [c.id, c.name]));
      const emails = new Map<string, string>((await ok('GET', '/api/v1/contacts?limit=100', as)).data.map((c: { id: string; email: string }) => [c.id, c.email]));
      return byKey(
        (await ok('GET', '/api/v1/deals?limit=100', as)).data.map((d: Record<string, any>) => ({
          name: d.name, valueCents: d.valueCents, currency: d.currency, stage: d.stageInfo.name, expectedCloseDate: d.expectedCloseDate,
          company: d.companyId ? names.get(d.companyId) : null, contacts: (d.contactIds as string[]).map((id) => emails.get(id)),
        })),
        'name',
      );
    };
    expect(await dealsOf(to.admin)).toEqual(await dealsOf(from.admin));
  });
});
