// The tracking purge: raw hits older than each organization's retention go, their counts stay.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { hit, MIN, registerTracked, S, UA } from '../../../test-support/tracking.ts';
import { trackingPurgeJob } from './tracking-purge.job.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-01-10T10:00:00Z');
let now = START;
let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  a = await createOrgFixture(t, 'Forgetful');
  b = await createOrgFixture(t, 'Keeper');
});
afterAll(() => t.close());

const hitsOf = async (orgId: string) =>
  rowsOf<{ kind: string; pending: boolean }>(
    await t.database.db.execute(sql`select kind, classified_at is null as pending from tracking_hits where org_id = ${orgId} order by kind`),
  );
const summaryOf = async (as: Caller, id: string) => (await t.request('GET', `/api/v1/tracking/messages/${id}`, { as })).body;

describe('tracking-purge job', () => {
  it('deletes raw hits past each organization’s retention, keeps the counts and unsettled hits', async () => {
    expect((await t.request('PATCH', '/api/v1/tracking/settings', { as: b.admin, body: { retentionDays: 365 } })).status).toBe(200);
    const alpha = await registerTracked(t, a.rep, { to: [a.contactEmail], html: '<p><a href="https://example.com/x">x</a></p>' });
    const bravo = await registerTracked(t, b.rep, { to: [b.contactEmail] });
    await t.request('POST', `/api/v1/tracking/messages/${alpha.trackedMessageId}/sent`, { as: a.rep, body: { messageId: '<purge@forgetful.test>' } });

    now = START + 30 * MIN;
    await t.request('POST', '/api/v1/tracking/sender-views', { as: a.rep, body: { messageIds: ['<purge@forgetful.test>'] } });
    now = START + 60 * MIN;
    await hit(t, alpha.pixelUrl, { ua: UA.appleMail });
    await hit(t, alpha.links[0]!.trackedUrl, { ua: UA.chrome });
    await hit(t, bravo.pixelUrl, { ua: UA.appleMail });
    now += MIN;
    await t.tracking.hits.flush();
    // A click written but never settled (the process stopped right after writing it).
    await hit(t, alpha.links[0]!.trackedUrl, { ua: UA.chrome });
    now += S;
    await t.tracking.hits.flush();

    const before = await summaryOf(a.rep, alpha.trackedMessageId);
    expect(before).toMatchObject({ opens: { count: 1 }, clicks: [{ count: 1 }], pendingClicks: 1 });

    for (const orgId of [a.admin.orgId, b.admin.orgId]) await t.runJob(trackingPurgeJob(90), { orgId }, new Date(START + 100 * DAY));

    expect(await hitsOf(a.admin.orgId)).toEqual([{ kind: 'click', pending: true }]);
    expect(await hitsOf(b.admin.orgId)).toEqual([{ kind: 'open', pending: false }]);
    expect(await summaryOf(a.rep, alpha.trackedMessageId)).toEqual(before);
    const views = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from sender_views`));
    expect(views[0]!.n).toBe(0);

    // Running it again changes nothing.
    for (const orgId of [a.admin.orgId, b.admin.orgId]) await t.runJob(trackingPurgeJob(90), { orgId }, new Date(START + 100 * DAY));
    expect(await hitsOf(b.admin.orgId)).toHaveLength(1);
  });
});
