// The purge of soft-deleted records: only rows deleted more than 30 days ago go (the same boundary
// as restore's 410), their dependent rows go with them, and restore still answers 410 afterwards.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { purgeDeletedRecordsJob } from './purge-deleted-records.job.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Purged');
  other = await createOrgFixture(t, 'Kept');
});
afterAll(() => t.close());

const create = async (path: string, body: unknown) => {
  const res = await t.request('POST', `/api/v1/${path}`, { as: f.rep, body });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const remove = async (path: string, id: string, deletedAt: Date) => {
  expect((await t.request('DELETE', `/api/v1/${path}/${id}`, { as: f.admin })).status).toBe(204);
  await t.database.db.execute(sql`update ${sql.identifier(path)} set deleted_at = ${deletedAt.toISOString()}::timestamptz where id = ${id}`);
};
const exists = async (table: string, id: string) =>
  rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where id = ${id}`))[0]!.n === 1;

describe('purge-deleted-records job', () => {
  it('removes what was deleted more than 30 days before its time, nothing else', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 30 * DAY - 60_000);
    const recent = new Date(now.getTime() - 30 * DAY + 60_000);
    const oldContact = await create('contacts', { email: 'old@purged.test' });
    const recentContact = await create('contacts', { email: 'recent@purged.test' });
    const oldCompany = await create('companies', { name: 'Old Co', domain: 'old-co.test' });
    const oldDeal = await create('deals', { name: 'Old deal', contactIds: [f.contactId] });
    const oldActivity = await create('activities', { type: 'note', subject: 'Old note', dealIds: [f.dealId] });
    await remove('contacts', oldContact, old);
    await remove('contacts', recentContact, recent);
    await remove('companies', oldCompany, old);
    await remove('deals', oldDeal, old);
    await remove('activities', oldActivity, old);
    const otherContact = (await t.request('POST', '/api/v1/contacts', { as: other.rep, body: { email: 'other@kept.test' } })).body.id;
    expect((await t.request('DELETE', `/api/v1/contacts/${otherContact}`, { as: other.admin })).status).toBe(204);

    for (const orgId of [f.admin.orgId, other.admin.orgId]) await t.runJob(purgeDeletedRecordsJob, { orgId }, now);

    for (const [table, id] of [['contacts', oldContact], ['companies', oldCompany], ['deals', oldDeal], ['activities', oldActivity]] as const) {
      expect(await exists(table, id), `${table} ${id}`).toBe(false);
    }
    // Rows that hung on them went too; live records and recent deletions stay.
    const left = rowsOf<{ links: number; history: number }>(
      await t.database.db.execute(sql`select (select count(*)::int from activity_links where activity_id = ${oldActivity}) as links,
        (select count(*)::int from deal_stage_history where deal_id = ${oldDeal}) as history`),
    )[0]!;
    expect(left).toEqual({ links: 0, history: 0 });
    for (const [table, id] of [['contacts', recentContact], ['contacts', otherContact], ['contacts', f.contactId], ['deals', f.dealId], ['companies', f.companyId], ['activities', f.activityId]] as const) {
      expect(await exists(table, id), `${table} ${id}`).toBe(true);
    }
    expect((await t.request('POST', `/api/v1/contacts/${recentContact}/restore`, { as: f.admin })).status).toBe(200);
  });

  it('keeps restore answering 410 for a purged record (and 404 for one that never existed)', async () => {
    const id = await create('deals', { name: 'Gone for good' });
    await remove('deals', id, new Date(Date.now() - 31 * DAY));
    const before = await t.request('POST', `/api/v1/deals/${id}/restore`, { as: f.admin });
    expect(before.status).toBe(410);
    for (const orgId of [f.admin.orgId, other.admin.orgId]) await t.runJob(purgeDeletedRecordsJob, { orgId }, new Date());
    expect(await exists('deals', id)).toBe(false);
    const after = await t.request('POST', `/api/v1/deals/${id}/restore`, { as: f.admin });
    expect(after).toMatchObject({ status: 410, body: { error: { code: 'GONE' } } });
    expect((await t.request('POST', '/api/v1/deals/00000000-0000-4000-8000-000000000000/restore', { as: f.admin })).status).toBe(404);
    // Another organization's admin learns nothing about it.
    expect((await t.request('POST', `/api/v1/deals/${id}/restore`, { as: other.admin })).status).toBe(404);
  });
});
