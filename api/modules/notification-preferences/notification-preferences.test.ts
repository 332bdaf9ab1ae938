// Members choose what reaches them; admins set the organization's defaults (Slack among them);
// another organization's choices are never seen or touched. The jobs that mail reminders and the
// weekly digest follow the same preferences.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { notificationChannels } from '../../registry.ts';
import { taskRemindersJob } from '../mail/task-reminders.job.ts';
import { weeklyDigestJob } from '../mail/weekly-digest.job.ts';

let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  t = await createTestApp();
  a = await createOrgFixture(t, 'Alpha');
  b = await createOrgFixture(t, 'Bravo');
});
afterAll(() => t.close());

type Prefs = { kinds: { kind: string; applies: boolean; channels: { channel: string; enabled: boolean; organizationDefault: boolean; organizationLevel: boolean }[] }[] };
const channel = (p: Prefs, kind: string, ch: string) => p.kinds.find((k) => k.kind === kind)!.channels.find((c) => c.channel === ch);
const get = async (as: Caller, path = '/api/v1/notification-preferences') => (await t.request('GET', path, { as })).body as Prefs;
const mailsTo = async (userId: string, template: string) =>
  rowsOf<{ data: Record<string, unknown> }>(await t.database.db.execute(sql`select data from mail_outbox where user_id = ${userId} and template = ${template}`));

describe('a member\'s preferences', () => {
  it('start from the defaults and change only for them', async () => {
    expect(channel(await get(a.rep), 'deal_high_risk', 'email')).toEqual({ channel: 'email', enabled: true, organizationDefault: true, organizationLevel: false });
    const res = await t.request('PATCH', '/api/v1/notification-preferences', { as: a.rep, body: { preferences: { deal_high_risk: { email: false }, email_opened: { email: true } } } });
    expect(res.status).toBe(200);
    expect(channel(res.body, 'deal_high_risk', 'email')!.enabled).toBe(false);
    expect(channel(await get(a.rep), 'email_opened', 'email')!.enabled).toBe(true);
    // Nobody else's changed, here or in the other organization.
    expect(channel(await get(a.otherRep), 'deal_high_risk', 'email')!.enabled).toBe(true);
    expect(channel(await get(b.rep), 'deal_high_risk', 'email')!.enabled).toBe(true);
    // null: back to the default.
    await t.request('PATCH', '/api/v1/notification-preferences', { as: a.rep, body: { preferences: { deal_high_risk: { email: null } } } });
    expect(channel(await get(a.rep), 'deal_high_risk', 'email')!.enabled).toBe(true);
  });

  it('are anyone\'s own to set, read-only members included', async () => {
    const res = await t.request('PATCH', '/api/v1/notification-preferences', { as: a.readonly, body: { preferences: { task_due: { email: false } } } });
    expect(res.status).toBe(200);
  });

  it.each([
    ['Slack, which the admins set', { deal_high_risk: { slack: false } }],
    ['a channel the kind is not sent to', { task_due: { in_app: true } }],
    ['an unknown kind', { deal_won: { email: true } }],
    ['a value that is not on, off or default', { task_due: { email: 'yes' } }],
  ])('refuse %s, changing nothing', async (_case, preferences) => {
    const before = await get(a.manager);
    const res = await t.request('PATCH', '/api/v1/notification-preferences', { as: a.manager, body: { preferences } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await get(a.manager)).toEqual(before);
  });

  it('say the digest is for managers and admins', async () => {
    expect((await get(a.rep)).kinds.find((k) => k.kind === 'weekly_digest')!.applies).toBe(false);
    expect((await get(a.manager)).kinds.find((k) => k.kind === 'weekly_digest')!.applies).toBe(true);
  });
});

describe('the organization\'s defaults', () => {
  it('are changed by admins only, and reach members who kept the default', async () => {
    for (const who of [a.manager, a.rep, a.readonly]) {
      const res = await t.request('PATCH', '/api/v1/notification-preferences/defaults', { as: who, body: { preferences: { task_due: { email: false } } } });
      expect(res.status).toBe(403);
    }
    const res = await t.request('PATCH', '/api/v1/notification-preferences/defaults', { as: a.admin, body: { preferences: { task_overdue: { email: false }, deal_high_risk: { slack: false } } } });
    expect(res.status).toBe(200);
    expect(channel(res.body, 'deal_high_risk', 'slack')!.enabled).toBe(false);
    expect(channel(await get(a.otherRep), 'task_overdue', 'email')).toMatchObject({ enabled: false, organizationDefault: false });
    expect(channel(await get(a.rep, '/api/v1/notification-preferences/defaults'), 'task_overdue', 'email')!.enabled).toBe(false);
    // Bravo's defaults are its own.
    expect(channel(await get(b.rep), 'task_overdue', 'email')!.enabled).toBe(true);
    await t.request('PATCH', '/api/v1/notification-preferences/defaults', { as: a.admin, body: { preferences: { task_overdue: { email: null }, deal_high_risk: { slack: null } } } });
  });
});

describe('reminders and digest by mail', () => {
  it('mail tasks due today to their owners who want them, once a day', async () => {
    const today = new Date();
    today.setUTCHours(15, 0, 0, 0);
    await t.request('POST', '/api/v1/tasks', { as: a.rep, body: { subject: 'Call legal back', dueAt: today.toISOString(), dealIds: [a.dealId] } });
    await t.request('POST', '/api/v1/tasks', { as: a.otherRep, body: { subject: 'Quote for Bravo', dueAt: today.toISOString() } });
    await t.request('PATCH', '/api/v1/notification-preferences', { as: a.otherRep, body: { preferences: { task_due: { email: false } } } });
    const morning = new Date(today);
    morning.setUTCHours(7, 0, 0, 0);
    const job = taskRemindersJob(notificationChannels);
    await t.runJob(job, { orgId: a.admin.orgId }, morning);
    await t.runJob(job, { orgId: a.admin.orgId }, new Date(morning.getTime() + 3600_000));
    const mine = await mailsTo(a.rep.userId, 'task_due');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.data.tasks).toEqual([{ title: 'Call legal back', due: 'today 15:00 UTC', dealName: 'Alpha expansion' }]);
    expect(await mailsTo(a.otherRep.userId, 'task_due')).toEqual([]);
    // Bravo's job for Bravo's tasks only.
    await t.runJob(job, { orgId: b.admin.orgId }, morning);
    expect(await mailsTo(a.rep.userId, 'task_due')).toHaveLength(1);
  });

  it('mail the weekly digest to managers and admins, with the week\'s wins', async () => {
    await t.request('PATCH', `/api/v1/deals/${a.otherRepDealId}`, { as: a.otherRep, body: { stage: a.stageIds[4] } });
    await t.runJob(weeklyDigestJob(notificationChannels), { orgId: a.admin.orgId }, new Date(Date.now() + 3600_000));
    const [digest] = await mailsTo(a.manager.userId, 'weekly_digest');
    expect(digest!.data).toMatchObject({ organizationName: 'Alpha', won: [{ dealName: 'Alpha renewal', owner: expect.any(String) }], lost: [] });
    expect(await mailsTo(a.admin.userId, 'weekly_digest')).toHaveLength(1);
    expect(await mailsTo(a.rep.userId, 'weekly_digest')).toEqual([]);
    expect(await mailsTo(b.manager.userId, 'weekly_digest')).toEqual([]);
  });
});
