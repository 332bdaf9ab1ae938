// Retention of what went out: finished webhook/Slack deliveries (with their attempts) and sent
// mail older than OUTBOUND_RETENTION_DAYS are deleted by the daily jobs, one organization at a
// time; what is still owed (pending deliveries, mail not sent yet) and recent rows stay, and
// another organization's rows are untouched by this organization's run.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { mailRetentionJob } from '../mail/mail-retention.job.ts';
import { deliveriesRetentionJob } from './deliveries-retention.job.ts';

const DAY = 86_400_000;
const now = new Date('2026-09-01T04:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
let t: TestApp;
const orgs: string[] = [];

async function seed(orgId: string) {
  const db = t.database.db;
  const [endpoint] = await db.insert(webhookEndpoints).values({ orgId, kind: 'webhook', name: 'ERP', url: 'https://erp.example.com/hook', eventTypes: ['deal.created'] }).returning();
  const delivery = (label: string, status: 'pending' | 'delivered' | 'failed', created: Date) => ({
    orgId, endpointId: endpoint!.id, type: 'deal.created', body: label, status, nextAttemptAt: created, createdAt: created,
  });
  const rows = await db
    .insert(webhookDeliveries)
    .values([delivery('old delivered', 'delivered', daysAgo(31)), delivery('old failed', 'failed', daysAgo(40)), delivery('old pending', 'pending', daysAgo(45)), delivery('recent delivered', 'delivered', daysAgo(29))])
    .returning();
  await db.insert(webhookAttempts).values(rows.map((r) => ({ orgId, deliveryId: r.id, attemptedAt: r.createdAt, statusCode: 200, durationMs: 5 })));
  const mail = (label: string, sentAt: Date | null, failedAt: Date | null = null) => ({
    orgId, toAddress: 'someone@example.com', template: 'notice', data: {}, dedupeKey: `${orgId}:${label}`, sentAt, failedAt, createdAt: daysAgo(60),
  });
  await db.insert(mailOutbox).values([mail('old sent', daysAgo(31)), mail('old given up', null, daysAgo(35)), mail('waiting', null), mail('recent sent', daysAgo(3))]);
}

const left = async (orgId: string) => ({
  deliveries: (await t.database.db.select({ body: webhookDeliveries.body }).from(webhookDeliveries).where(eq(webhookDeliveries.orgId, orgId))).map((r) => r.body).sort(),
  attempts: (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(webhookAttempts).where(eq(webhookAttempts.orgId, orgId)))[0]!.n,
  mail: (await t.database.db.select({ key: mailOutbox.dedupeKey }).from(mailOutbox).where(eq(mailOutbox.orgId, orgId))).map((r) => r.key.split(':')[1]).sort(),
});

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['Keeps', 'Other']) {
    const org = await t.newOrg(name);
    orgs.push(org.orgId);
    await seed(org.orgId);
  }
});
afterAll(() => t.close());

describe('outbound retention', () => {
  it('deletes finished deliveries and sent mail past the retention, keeps what is owed and recent, and only in the job\'s organization', async () => {
    const [mine, other] = orgs as [string, string];
    expect(await t.runJob(deliveriesRetentionJob(30), { orgId: mine }, now)).toEqual({ deliveries: 2, retentionDays: 30 });
    expect(await t.runJob(mailRetentionJob(30), { orgId: mine }, now)).toEqual({ mails: 2, retentionDays: 30 });
    expect(await left(mine)).toEqual({ deliveries: ['old pending', 'recent delivered'], attempts: 2, mail: ['recent sent', 'waiting'] });
    expect(await left(other)).toEqual({ deliveries: ['old delivered', 'old failed', 'old pending', 'recent delivered'], attempts: 4, mail: ['old given up', 'old sent', 'recent sent', 'waiting'] });
    // A second run finds the work done.
    expect(await t.runJob(deliveriesRetentionJob(30), { orgId: mine }, now)).toBe('nothing-to-do');
    expect(await t.runJob(mailRetentionJob(30), { orgId: mine }, now)).toBe('nothing-to-do');
  });

  it('follows the configured number of days', async () => {
    const other = orgs[1]!;
    expect(await t.runJob(deliveriesRetentionJob(60), { orgId: other }, now)).toBe('nothing-to-do');
    expect(await t.runJob(deliveriesRetentionJob(35), { orgId: other }, now)).toEqual({ deliveries: 1, retentionDays: 35 });
    expect((await left(other)).deliveries).toEqual(['old delivered', 'old pending', 'recent delivered']);
  });
});
