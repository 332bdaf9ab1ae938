// CSV imports through the API on a real database, with two organizations: bad files store
// nothing, the mapping is detected and editable, duplicates follow the choice, the job imports in
// the background with progress, rejected rows come back as a CSV report, undo restores everything.
import { parse } from 'csv-parse/sync';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, deals, importChunks, imports, orgBilling } from '../../../db/schema/index.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { billingDeps } from '../billing/stripe-client.ts';
import { importRunJob } from './import-run.job.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function upload(as: Caller, object: string, body: string | Uint8Array, app: TestApp = t) {
  const res = await app.app.request(`/api/v1/imports?object=${object}&fileName=test.csv`, { method: 'POST', headers: { authorization: `Bearer ${as.token}`, 'content-type': 'text/csv' }, body: body as BodyInit });
  return { status: res.status, body: (await res.json()) as any };
}

const importsOf = (orgId: string, app: TestApp = t) => app.inOrg(orgId, (s) => s.db.select().from(imports));
const chunksOf = (orgId: string) => t.inOrg(orgId, (s) => s.db.select().from(importChunks));
const liveContacts = (orgId: string, app: TestApp = t) => app.inOrg(orgId, (s) => s.db.select().from(contacts).where(isNull(contacts.deletedAt)).orderBy(contacts.email));

async function runImport(as: Caller, id: string, dryRun = false, app: TestApp = t) {
  const started = await app.request('POST', `/api/v1/imports/${id}/start`, { as, body: { dryRun } });
  expect(started.status).toBe(202);
  expect(started.body.import.status).toBe('queued');
  await app.runJob(importRunJob, { orgId: as.orgId });
  return (await app.request('GET', `/api/v1/imports/${id}`, { as })).body.import;
}

describe('bad files are refused with a clear error and store nothing', () => {
  const utf16NoBom = new Uint8Array([...'email\nada@x.test\n'].flatMap((ch) => [ch.charCodeAt(0), 0]));
  const latin1 = new Uint8Array([...Buffer.from('email,first name\nada@x.test,'), 0xe9, 0x0a]);
  const cases: { name: string; body: string | Uint8Array; status: number; message: RegExp }[] = [
    { name: 'an empty file', body: '', status: 400, message: /empty/ },
    { name: 'a header without rows', body: 'email,first name\n', status: 400, message: /no rows/ },
    { name: 'Latin-1 bytes (not UTF-8)', body: latin1, status: 415, message: /not UTF-8.*CSV UTF-8/ },
    { name: 'UTF-16 without a byte-order mark', body: utf16NoBom, status: 415, message: /NUL bytes/ },
    { name: 'mixed delimiters', body: 'email;first name;last name\nada@x.test,Ada,Lovelace\nbob@x.test,Bob,B\n', status: 400, message: /mixes delimiters/ },
    { name: 'an unclosed quote', body: 'email,title\nada@x.test,"CEO\nbob@x.test,CTO\n', status: 400, message: /quoted cell is never closed/ },
    { name: 'text after a closing quote', body: 'email,title\nada@x.test,"CEO" and more\n', status: 400, message: /text after its closing quote/ },
    { name: 'a stray quote in an unquoted cell', body: 'email,title\nada@x.test,5" screen\n', status: 400, message: /not quoted holds a double quote/ },
    { name: 'one huge cell (a single column of 2 MB)', body: 'email\n"' + 'x'.repeat(2 * 1024 * 1024) + '"\n', status: 400, message: /row is larger than 256 KB/ },
  ];
  it.each(cases)('$name', async ({ body, status, message }) => {
    const org = await t.newOrg(`Bad file ${Math.random()}`);
    const res = await upload(org.admin, 'contacts', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await importsOf(org.orgId)).toEqual([]);
    expect(await chunksOf(org.orgId)).toEqual([]);
  });

  it('refuses an unknown object, and reps and read-only members', async () => {
    const org = await t.newOrg('Roles');
    expect((await upload(org.admin, 'invoices', 'email\na@b.test\n')).status).toBe(400);
    const rep = await org.member('rep');
    const readonly = await org.member('readonly');
    expect((await upload(rep, 'contacts', 'email\na@b.test\n')).status).toBe(403);
    expect((await upload(readonly, 'contacts', 'email\na@b.test\n')).status).toBe(403);
    const manager = await org.member('manager');
    expect((await upload(manager, 'contacts', 'email\na@b.test\n')).status).toBe(201);
  });
});

describe('upload, mapping, preview', () => {
  it('reads a HubSpot export with a BOM and semicolons, detects the mapping, previews with reasons', async () => {
    const org = await t.newOrg('Hubspot movers');
    const csv = '\uFEFFRecord ID;First Name;Last Name;Email;Job Title;Company Name\n1;Ada;Lovelace;ada@engines.test;"=HYPERLINK(""http://evil.test"",""x"")";Engines\n2;Bob;;not-an-email;CTO;\n';
    const res = await upload(org.admin, 'contacts', csv);
    expect(res.status).toBe(201);
    expect(res.body.import).toMatchObject({ status: 'uploaded', delimiter: ';', encoding: 'utf-8', totalRows: 2, headers: ['Record ID', 'First Name', 'Last Name', 'Email', 'Job Title', 'Company Name'] });
    expect(res.body.import.mapping).toEqual({ '1': 'firstName', '2': 'lastName', '3': 'email', '4': 'title', '5': 'company' });
    expect(res.body.preview.map((r: any) => [r.rowNumber, r.action])).toEqual([[2, 'create'], [3, 'reject']]);
    expect(res.body.preview[0].values).toMatchObject({ email: 'ada@engines.test', title: `'=HYPERLINK("http://evil.test","x")` });
    expect(res.body.preview[1].reasons).toEqual(['email: "not-an-email" is not an email address']);
    // Nothing is stored by an upload but the file itself.
    expect(await liveContacts(org.orgId)).toEqual([]);
  });

  it('reads UTF-16 with a byte-order mark', async () => {
    const org = await t.newOrg('Utf16');
    const text = 'Email\tFirst Name\nzoë@x.test\tZoë\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    const res = await upload(org.admin, 'contacts', bytes);
    expect(res.status).toBe(201);
    expect(res.body.import).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', totalRows: 1 });
    expect(res.body.preview[0].values).toMatchObject({ email: 'zoë@x.test'.normalize(), firstName: 'Zoë' });
  });

  it('refuses a mapping without the required field or with a field twice; another org cannot see or change the import', async () => {
    const org = await t.newOrg('Mapper');
    const other = await t.newOrg('Other mapper');
    const { body } = await upload(org.admin, 'contacts', 'e-mail,who\nada@x.test,Ada Lovelace\n');
    const id = body.import.id;
    expect(body.import.mapping).toEqual({ '0': 'email' });
    const missing = await t.request('PATCH', `/api/v1/imports/${id}`, { as: org.admin, body: { mapping: { '1': 'fullName' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('No column is mapped to Email, which is required');
    const twice = await t.request('PATCH', `/api/v1/imports/${id}`, { as: org.admin, body: { mapping: { '0': 'email', '1': 'email' } } });
    expect(twice.status).toBe(400);
    const ok = await t.request('PATCH', `/api/v1/imports/${id}`, { as: org.admin, body: { mapping: { '0': 'email', '1': 'fullName' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.preview[0].values).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect((await t.request('GET', `/api/v1/imports/${id}`, { as: other.admin })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/imports/${id}`, { as: other.admin, body: { duplicates: 'update' } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/imports/${id}/start`, { as: other.admin, body: {} })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/imports', { as: other.admin })).body.data).toEqual([]);
  });
});

describe('running an import', () => {
  it('dry run writes nothing; the real run imports, reports rejected rows and is undone as a whole', async () => {
    const org = await t.newOrg('Runner');
    const other = await t.newOrg('Bystander');
    // A contact of the other organization with the same email is not a duplicate here.
    await t.request('POST', '/api/v1/contacts', { as: other.admin, body: { email: 'ada@engines.test', firstName: 'Other' } });
    const rows = ['email,first name,last name,company,title', 'ada@engines.test,Ada,Lovelace,Engines Ltd,"=cmd|\' /C calc\'!A0"', 'bad-email,X,Y,,', 'grace@navy.test,Grace,Hopper,Navy,', 'ada@engines.test,,,,Countess'];
    const { body } = await upload(org.admin, 'contacts', rows.join('\r\n'));
    const id = body.import.id;

    const dry = await runImport(org.admin, id, true);
    expect(dry).toMatchObject({ status: 'checked', dryRun: true, progress: { rowsDone: 4, totalRows: 4 }, counts: { created: 2, updated: 0, skipped: 1, rejected: 1 } });
    expect(await liveContacts(org.orgId)).toEqual([]);

    const done = await runImport(org.admin, id, false);
    expect(done).toMatchObject({ status: 'done', dryRun: false, progress: { rowsDone: 4, totalRows: 4 }, counts: { created: 2, updated: 0, skipped: 1, rejected: 1 } });
    const stored = await liveContacts(org.orgId);
    expect(stored.map((c) => [c.email, c.firstName, c.title, c.ownerId])).toEqual([
      ['ada@engines.test', 'Ada', `'=cmd|' /C calc'!A0`, org.admin.userId],
      ['grace@navy.test', 'Grace', null, org.admin.userId],
    ]);
    const engines = await t.inOrg(org.orgId, (s) => s.db.select().from(companies));
    expect(engines.map((c) => c.name).sort()).toEqual(['Engines Ltd', 'Navy']);
    expect(stored[0]!.companyId).toBe(engines.find((c) => c.name === 'Engines Ltd')!.id);
    // The other organization's contact is untouched.
    expect((await liveContacts(other.orgId)).map((c) => c.firstName)).toEqual(['Other']);

    const report = await t.app.request(`/api/v1/imports/${id}/rejected.csv`, { headers: { authorization: `Bearer ${org.admin.token}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const reported = parse(await report.text(), { bom: true });
    expect(reported).toEqual([
      ['row', 'reason', 'email', 'first name', 'last name', 'company', 'title'],
      ['3', 'email: "bad-email" is not an email address', 'bad-email', 'X', 'Y', '', ''],
    ]);
    expect((await t.app.request(`/api/v1/imports/${id}/rejected.csv`, { headers: { authorization: `Bearer ${other.admin.token}` } })).status).toBe(404);

    const undone = await t.request('POST', `/api/v1/imports/${id}/undo`, { as: org.admin });
    expect(undone.status).toBe(200);
    expect(undone.body.import.status).toBe('undone');
    expect(await liveContacts(org.orgId)).toEqual([]);
    expect((await t.inOrg(org.orgId, (s) => s.db.select().from(companies).where(isNull(companies.deletedAt))))).toEqual([]);
    // In the trash, restorable like any deleted contact.
    const trash = await t.request('GET', '/api/v1/trash?type=contact', { as: org.admin });
    expect(trash.body.data.map((r: any) => r.name).sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect((await t.request('POST', `/api/v1/imports/${id}/undo`, { as: org.admin })).status).toBe(409);
  });

  it('duplicates: skip leaves, update fills only the mapped cells and undo restores, create is refused for a unique email', async () => {
    const org = await t.newOrg('Dupes');
    const existing = await t.request('POST', '/api/v1/contacts', { as: org.admin, body: { email: 'ada@engines.test', firstName: 'Ada', lastName: 'Byron', title: 'Countess', phone: '+44 1' } });
    expect(existing.status).toBe(201);
    const csv = 'Email,Last Name,Title\nADA@engines.test,Lovelace,\nnew@engines.test,New,Person\n';
    const outcome = async (duplicates: string) => {
      const { body } = await upload(org.admin, 'contacts', csv);
      expect((await t.request('PATCH', `/api/v1/imports/${body.import.id}`, { as: org.admin, body: { duplicates } })).status).toBe(200);
      return { id: body.import.id, result: await runImport(org.admin, body.import.id) };
    };

    const skip = await outcome('skip');
    expect(skip.result.counts).toEqual({ created: 1, updated: 0, skipped: 1, rejected: 0 });
    await t.request('POST', `/api/v1/imports/${skip.id}/undo`, { as: org.admin });

    const create = await outcome('create');
    expect(create.result.counts).toEqual({ created: 1, updated: 0, skipped: 0, rejected: 1 });
    await t.request('POST', `/api/v1/imports/${create.id}/undo`, { as: org.admin });

    const update = await outcome('update');
    expect(update.result.counts).toEqual({ created: 1, updated: 1, skipped: 0, rejected: 0 });
    const [ada] = await t.inOrg(org.orgId, (s) => s.db.select().from(contacts).where(and(eq(contacts.emailNormalized, 'ada@engines.test'), isNull(contacts.deletedAt))));
    // The empty Title cell erased nothing; Last Name was overwritten; unmapped fields are untouched.
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'Countess', phone: '+44 1' });
    await t.request('POST', `/api/v1/imports/${update.id}/undo`, { as: org.admin });
    const [restored] = await t.inOrg(org.orgId, (s) => s.db.select().from(contacts).where(eq(contacts.id, ada!.id)));
    expect(restored).toMatchObject({ firstName: 'Ada', lastName: 'Byron', title: 'Countess', phone: '+44 1', deletedAt: null });
    expect((await liveContacts(org.orgId)).map((c) => c.email)).toEqual(['ada@engines.test']);
  });

  it('companies: duplicates by domain and by normalised name', async () => {
    const org = await t.newOrg('Companies import');
    await t.request('POST', '/api/v1/companies', { as: org.admin, body: { name: 'Acme, Inc.', domain: 'acme.test' } });
    const { body } = await upload(org.admin, 'companies', 'Account Name,Website,Industry\nACME GmbH,,Tools\nAcme Two,https://www.acme.test/about,\nGlobex,globex.test,Energy\nGlobex Corp,,\n');
    expect(body.import.mapping).toEqual({ '0': 'name', '1': 'domain', '2': 'industry' });
    const done = await runImport(org.admin, body.import.id);
    expect(done.counts).toEqual({ created: 1, updated: 0, skipped: 3, rejected: 0 });
    const names = (await t.inOrg(org.orgId, (s) => s.db.select().from(companies).where(isNull(companies.deletedAt)))).map((c) => c.name).sort();
    expect(names).toEqual(['Acme, Inc.', 'Globex']);
  });

  it('deals: stage by name, owner by email, company and contact; unknown stage or owner is rejected with the reason', async () => {
    const org = await t.newOrg('Deals import');
    const rep = await org.member('rep', 'Riley Rep');
    await t.request('POST', '/api/v1/contacts', { as: org.admin, body: { email: 'buyer@globex.test' } });
    const stages = (await t.request('GET', '/api/v1/pipelines', { as: org.admin })).body.data[0].stages.map((s: any) => s.name);
    const csv = [
      'Deal Name,Amount,Deal Stage,Close Date,Deal owner,Associated Company,Associated Contact',
      `Globex renewal,"$12,500",${stages[1]},2027-03-01,${rep.email},Globex,buyer@globex.test`,
      `Lost one,100,${stages.at(-1)},2027-01-05,Riley Rep,,`,
      'Mystery,5,Negotiation-ish,,,,',
      `Stranger,5,${stages[0]},,nobody@else.test,,`,
    ].join('\n');
    const { body } = await upload(org.admin, 'deals', csv);
    const done = await runImport(org.admin, body.import.id);
    expect(done.counts).toEqual({ created: 2, updated: 0, skipped: 0, rejected: 2 });
    const stored = await t.inOrg(org.orgId, (s) => s.db.select().from(deals).orderBy(deals.name));
    expect(stored.map((d) => [d.name, d.valueCents, d.ownerId, d.outcome, d.expectedCloseDate])).toEqual([
      ['Globex renewal', 1_250_000, rep.userId, null, '2027-03-01'],
      ['Lost one', 10_000, rep.userId, 'lost', '2027-01-05'],
    ]);
    const deal = await t.request('GET', `/api/v1/deals/${stored[0]!.id}`, { as: org.admin });
    expect(deal.body.company?.name ?? deal.body.companyName ?? deal.body.companyId).toBeTruthy();
    const report = parse(await (await t.app.request(`/api/v1/imports/${body.import.id}/rejected.csv`, { headers: { authorization: `Bearer ${org.admin.token}` } })).text(), { bom: true, from_line: 2 });
    expect(report.map((r: string[]) => [r[0], r[1]])).toEqual([
      ['4', expect.stringContaining('stage: "Negotiation-ish" is not a stage of the pipeline')],
      ['5', expect.stringContaining('owner: "nobody@else.test" is not an active member')],
    ]);
  });

  it('with billing on, rows past the plan limit are rejected one by one with PLAN_LIMIT', async () => {
    const billed = await createTestApp({ billing: billingDeps({ secretKey: 'sk_test_imports', webhookSecret: 'whsec_imports', lookupKeys: { starter: 'starter_seat_monthly', pro: 'pro_seat_monthly' }, apiUrl: 'http://127.0.0.1:9' }) });
    try {
      const org = await billed.newOrg('Free importer');
      // The trial is over: Free allows 500 contacts.
      await billed.inOrg(org.orgId, (s) => s.db.update(orgBilling).set({ trialEndsAt: new Date(Date.now() - 86_400_000) }).where(eq(orgBilling.orgId, org.orgId)));
      const lines = ['email', ...Array.from({ length: 503 }, (_, i) => `p${i}@free.test`)];
      const { body } = await upload(org.admin, 'contacts', lines.join('\n'), billed);
      const done = await runImport(org.admin, body.import.id, false, billed);
      expect(done.counts).toEqual({ created: 500, updated: 0, skipped: 0, rejected: 3 });
      expect((await liveContacts(org.orgId, billed)).length).toBe(500);
      const report = parse(await (await billed.app.request(`/api/v1/imports/${body.import.id}/rejected.csv`, { headers: { authorization: `Bearer ${org.admin.token}` } })).text(), { bom: true, from_line: 2 });
      expect(report.map((r: string[]) => r[0])).toEqual(['502', '503', '504']);
      expect(report[0]![1]).toMatch(/^PLAN_LIMIT: the Free plan allows 500 contacts/);
    } finally {
      await billed.close();
    }
  });
});
