// The purge of Idempotency-Key answers: only keys older than their 24 hours go.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { purgeIdempotencyKeysJob } from './purge-idempotency-keys.job.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Replays');
  other = await createOrgFixture(t, 'Replays Too');
});
afterAll(() => t.close());

async function keyedCreate(as: OrgFixture['rep'], key: string, age: number) {
  const res = await t.request('POST', '/api/v1/contacts', { as, body: { email: `${key}@replays.test` }, headers: { 'idempotency-key': key } });
  expect(res.status).toBe(201);
  await t.database.db.execute(sql`update idempotency_keys set created_at = ${new Date(Date.now() - age).toISOString()}::timestamptz where key = ${key}`);
}
const keys = async () => rowsOf<{ key: string }>(await t.database.db.execute(sql`select key from idempotency_keys order by key`)).map((r) => r.key);

describe('purge-idempotency-keys job', () => {
  it('removes keys older than 24 hours in every organization and keeps younger ones', async () => {
    await keyedCreate(f.rep, 'key-old-1', 25 * HOUR);
    await keyedCreate(other.rep, 'key-old-2', 24 * HOUR + 60_000);
    await keyedCreate(f.rep, 'key-young-1', 24 * HOUR - 60_000);
    await keyedCreate(other.rep, 'key-young-2', 0);
    for (const orgId of [f.admin.orgId, other.admin.orgId]) await t.runJob(purgeIdempotencyKeysJob, { orgId }, new Date());
    expect(await keys()).toEqual(['key-young-1', 'key-young-2']);
  });
});
