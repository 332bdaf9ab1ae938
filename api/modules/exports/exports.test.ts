// CSV exports as each role meets them: filters, reps' own records, another tenant's records never,
// formula cells neutralised, paging past one page, the audit entry, the admins' notice for a large
// export, and exports still working when the organization is read-only for a failed payment.
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, notifications, orgBilling } from '../../../db/schema/index.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { billingDeps } from '../billing/stripe-client.ts';
import { EXPORT_PAGE_ROWS } from './export-sources.ts';

let t: TestApp;
let f: OrgFixture;
let stranger: OrgFixture;
const NOTIFY_AT = 30;

beforeAll(async () => {
  t = await createTestApp({ exportNotifyRows: NOTIFY_AT });
  f = await createOrgFixture(t, 'Exporters');
  stranger = await createOrgFixture(t, 'Elsewhere');
}, 180_000); // two fixtures of five members each; slow on a shared machine
afterAll(() => t.close());

async function download(path: string, as: Caller) {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${as.token}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { status: res.status, res, text, rows: res.status === 200 ? (parse(text, { columns: true, bom: true }) as Record<string, string>[]) : [] };
}

describe('GET /exports/{kind}.csv', () => {
  it('streams contacts with generic headers, only this organization\'s', async () => {
    const { status, res, text, rows } = await download('/api/v1/exports/contacts.csv', f.manager);
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(text.startsWith('\uFEFFid,email,first_name,last_name,title,phone,company,company_domain,owner_email,tags,created_at\r\n')).toBe(true);
    expect(rows.map((r) => r.email)).toEqual([f.contactEmail]);
    expect(rows.map((r) => r.email)).not.toContain(stranger.contactEmail);
  });

  it('exports deals with names instead of ids, and applies the list filters', async () => {
    const all = await download('/api/v1/exports/deals.csv', f.admin);
    expect(all.rows.map((r) => r.name).sort()).toEqual(['Exporters expansion', 'Exporters renewal']);
    const expansion = all.rows.find((r) => r.name === 'Exporters expansion')!;
    expect(expansion).toMatchObject({ value: '12500.00', company: 'Exporters Industries', company_domain: 'exporters-industries.com', contact_email: f.contactEmail, more_contact_emails: '', stage: 'Discovery', status: 'open', pipeline: 'Sales' });
    expect(expansion.owner_email).toMatch(/@/);
    const filtered = await download(`/api/v1/exports/deals.csv?ownerId=${f.otherRep.userId}&minValueCents=100000`, f.manager);
    expect(filtered.rows.map((r) => r.name)).toEqual(['Exporters renewal']);
    const none = await download('/api/v1/exports/deals.csv?status=won', f.manager);
    expect(none.rows).toEqual([]);
  });

  it('exports companies and activities with their links by name', async () => {
    const companies = await download('/api/v1/exports/companies.csv', f.readonly);
    expect(companies.rows).toEqual([expect.objectContaining({ name: 'Exporters Industries', domain: 'exporters-industries.com' })]);
    const calls = await download('/api/v1/exports/activities.csv?type=call', f.readonly);
    expect(calls.rows).toEqual([expect.objectContaining({ type: 'call', subject: 'Intro call', contact_emails: f.contactEmail, deals: 'Exporters expansion' })]);
  });

  it('gives reps their own records only, and refuses another owner', async () => {
    const deals = await download('/api/v1/exports/deals.csv', f.rep);
    expect(deals.rows.map((r) => r.name)).toEqual(['Exporters expansion']);
    const otherRep = await download('/api/v1/exports/companies.csv', f.otherRep);
    expect(otherRep.rows).toEqual([]); // the company is the first rep's
    const mine = await download('/api/v1/exports/companies.csv', f.rep);
    expect(mine.rows.map((r) => r.name)).toEqual(['Exporters Industries']);
    const refused = await download(`/api/v1/exports/contacts.csv?ownerId=${f.otherRep.userId}`, f.rep);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error.code).toBe('FORBIDDEN');
  });

  it('answers 400 to a bad filter and 401 without a session, before any CSV', async () => {
    const bad = await download('/api/v1/exports/deals.csv?minProbability=120', f.admin);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('VALIDATION_FAILED');
    const unknown = await download('/api/v1/exports/deals.csv?limit=5', f.admin);
    expect(unknown.status).toBe(400);
    expect((await t.app.request('/api/v1/exports/contacts.csv')).status).toBe(401);
  });

  it('neutralises cells a spreadsheet would run as formulas (a phone number is data)', async () => {
    const made = await t.request('POST', '/api/v1/contacts', { as: f.admin, body: { email: 'formula@exporters-industries.com', firstName: '=HYPERLINK("http://evil.test","click")', lastName: '@SUM(A1)', phone: '+1 415 555 0100', title: '-2+3' } });
    expect(made.status).toBe(201);
    const { rows } = await download('/api/v1/exports/contacts.csv?email=formula@exporters-industries.com', f.admin);
    expect(rows).toEqual([expect.objectContaining({ first_name: '\'=HYPERLINK("http://evil.test","click")', last_name: "'@SUM(A1)", phone: '+1 415 555 0100', title: "'-2+3" })]);
  });

  it('pages through more rows than one page holds, each once, newest first', async () => {
    const org = await t.newOrg('Bulk exports');
    const n = EXPORT_PAGE_ROWS * 2 + 7;
    await t.inOrg(org.orgId, (s) =>
      s.db.insert(contacts).values(Array.from({ length: n }, (_, i) => ({ orgId: org.orgId, email: `bulk${i}@bulk.test`, firstName: `Bulk ${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }))),
    );
    const { rows } = await download('/api/v1/exports/contacts.csv', org.admin);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.email)).size).toBe(n);
    expect(rows[0]!.email).toBe(`bulk${n - 1}@bulk.test`);
    expect(rows.at(-1)!.email).toBe('bulk0@bulk.test');

    // Large: every admin of that organization hears of it, once; nobody elsewhere does.
    const notices = await t.inOrg(org.orgId, (s) => s.db.select().from(notifications).where(eq(notifications.kind, 'large_export')));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ userId: org.admin.userId, data: { kind: 'contacts', rows: n } });
    expect(notices[0]!.title).toContain(`exported ${n.toLocaleString('en-US')} contacts`);
    const elsewhere = await t.inOrg(f.admin.orgId, (s) => s.db.select().from(notifications).where(eq(notifications.kind, 'large_export')));
    expect(elsewhere).toEqual([]);
  });

  it('writes every export to the audit log (kind, rows, filters), readable by admins', async () => {
    await download('/api/v1/exports/deals.csv?status=open&minProbability=5', f.manager);
    const entries = await t.request('GET', '/api/v1/audit-log?entityType=export', { as: f.admin });
    expect(entries.status).toBe(200);
    const latest = entries.body.data[0];
    expect(latest).toMatchObject({ action: 'export', entityType: 'export', actor: { id: f.manager.userId } });
    expect(latest.changes).toMatchObject({ kind: { new: 'deals' }, rows: { new: 2 }, filters: { new: { status: 'open', minProbability: 5 } }, complete: { new: true } });
    // Small exports notify nobody.
    const notices = await t.inOrg(f.admin.orgId, (s) => s.db.select().from(notifications).where(eq(notifications.kind, 'large_export')));
    expect(notices).toEqual([]);
    const strangers = await t.inOrg(stranger.admin.orgId, (s) => s.db.select().from(auditLog).where(eq(auditLog.entityType, 'export')));
    expect(strangers).toEqual([]);
  });
});

describe('exports while the organization is read-only for a failed payment', () => {
  let billed: TestApp;
  beforeAll(async () => {
    // Billing on; nothing here calls Stripe (the guard reads the stored billing state).
    billed = await createTestApp({ billing: billingDeps({ secretKey: 'sk_test_exports', webhookSecret: 'whsec_exports', lookupKeys: { starter: 'starter_seat_monthly', pro: 'pro_seat_monthly' }, apiUrl: 'http://127.0.0.1:9' }) });
  });
  afterAll(() => billed.close());

  it('refuses writes but still exports', async () => {
    const org = await billed.newOrg('Dunning exports');
    expect((await billed.request('POST', '/api/v1/contacts', { as: org.admin, body: { email: 'before@dunning.test' } })).status).toBe(201);
    await billed.inOrg(org.orgId, (s) => s.db.update(orgBilling).set({ paymentFailedAt: new Date(Date.now() - 10 * 86_400_000) }).where(eq(orgBilling.orgId, org.orgId)));
    const write = await billed.request('POST', '/api/v1/contacts', { as: org.admin, body: { email: 'after@dunning.test' } });
    expect(write.status).toBe(402);
    expect(write.body.error.code).toBe('ORGANIZATION_READ_ONLY');
    const res = await billed.app.request('/api/v1/exports/contacts.csv', { headers: { authorization: `Bearer ${org.admin.token}` } });
    expect(res.status).toBe(200);
    expect((parse(await res.text(), { columns: true, bom: true }) as { email: string }[]).map((r) => r.email)).toEqual(['before@dunning.test']);
  });
});
