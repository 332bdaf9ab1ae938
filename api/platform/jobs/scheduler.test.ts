// pg-boss on the test database (PGlite, or Postgres when DATABASE_URL is set): every cron job gets
// a UTC schedule that fans out one job per organization; a job runs in its organization's scope
// with a validated payload and the scheduler's clock; one organization's job collapses duplicates;
// failures surface; schedules of jobs no longer registered are removed.
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rowsOf, type Database } from '../../../db/client.ts';
import { contacts, organizations } from '../../../db/schema/index.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { silentLogger } from '../../log.ts';
import { consumers, jobsFor } from '../../registry.ts';
import { defineJob, OrgPayload, type JobDefinition } from './job.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

let database: Database & { url?: string };
let scheduler: Scheduler | null = null;
let orgs: string[];
const runs: { orgId: string; day: string; now: Date; seen: number }[] = [];
const clock = () => new Date('2031-05-06T07:08:09Z');

const probe = defineJob({
  name: 'test-probe',
  payload: OrgPayload.extend({ day: z.iso.date() }),
  cron: '0 4 * * *',
  cronPayload: (orgId, now) => ({ orgId, day: now.toISOString().slice(0, 10) }),
  async run(ctx, payload) {
    // Reads through the organization's scope, as real jobs do: only its own rows.
    const seen = await ctx.inOrg(async (s) => (await s.db.select({ n: count() }).from(contacts))[0]!.n);
    runs.push({ orgId: payload.orgId, day: payload.day, now: ctx.now, seen });
    return runs.filter((r) => r.orgId === payload.orgId && r.day === payload.day).length > 1 ? 'nothing-to-do' : { contacts: seen };
  },
});
const failing = defineJob({ name: 'test-failing', payload: OrgPayload, cron: '0 5 * * *', cronPayload: (orgId) => ({ orgId }), run: async () => { throw new Error('boom'); } });

const start = (list: readonly JobDefinition[]) =>
  startScheduler({ database, databaseUrl: database.url, jobs: list, consumers, log: silentLogger, pollingIntervalSeconds: 0.5, clock });
const registered = jobsFor({ eventsRetentionDays: 30, tracking: { retentionDays: 90 } as never });

beforeAll(async () => {
  database = await openTestDatabase();
  orgs = (await database.db.insert(organizations).values([{ name: 'One' }, { name: 'Two' }]).returning()).map((o) => o.id);
  await database.db.insert(contacts).values([{ orgId: orgs[0]!, email: 'a@one.test' }, { orgId: orgs[0]!, email: 'b@one.test' }, { orgId: orgs[1]!, email: 'c@two.test' }]);
});
afterAll(async () => {
  await scheduler?.stop();
  await database.close();
});

describe('the job scheduler', () => {
  it('creates a UTC cron schedule for every cron job, and none for a job queued on demand', async () => {
    scheduler = await start([...registered, probe, failing]);
    const schedules = await scheduler.schedules();
    for (const job of [...registered, probe, failing]) {
      if (job.cron) expect(schedules).toContainEqual({ name: job.name, cron: job.cron, timezone: 'UTC' });
      else expect(schedules.map((s) => s.name)).not.toContain(job.name);
    }
  });

  it('runs a job for one organization, in its scope, with its payload and the clock', async () => {
    expect(await scheduler!.runNow('test-probe', { orgId: orgs[0]!, day: '2031-05-06' })).toEqual({ contacts: 2 });
    expect(runs).toEqual([{ orgId: orgs[0], day: '2031-05-06', now: clock(), seen: 2 }]);
    // The same work again finds it done.
    expect(await scheduler!.runNow('test-probe', { orgId: orgs[0]!, day: '2031-05-06' })).toBe('nothing-to-do');
  });

  it('fans a cron job out into one job per organization', async () => {
    runs.length = 0;
    expect(await scheduler!.fanOutNow('test-probe')).toBe(2);
    await expect.poll(() => runs.length, { timeout: 15_000 }).toBe(2);
    expect(runs.map((r) => [r.orgId, r.seen]).sort()).toEqual([[orgs[0], 2], [orgs[1], 1]].sort());
  });

  it('refuses a payload without a valid organization, and runs the registered jobs for each organization', async () => {
    await expect(scheduler!.runNow('test-probe', { orgId: 'not-an-org', day: '2031-05-06' })).rejects.toThrow();
    for (const job of registered.filter((j) => j.cronPayload)) {
      for (const orgId of orgs) await scheduler!.runNow(job.name, job.cronPayload!(orgId, clock()));
    }
  });

  it('reports a failed run, and refuses unknown names', async () => {
    await expect(scheduler!.runNow('test-failing', { orgId: orgs[0]! })).rejects.toThrow(/test-failing/);
    await expect(scheduler!.runNow('no-such-job', { orgId: orgs[0]! })).rejects.toThrow(/No job named/);
  });

  it('drops the schedule of a job that is no longer registered, and stops cleanly', async () => {
    await scheduler!.stop();
    scheduler = await start([probe]);
    expect((await scheduler.schedules()).map((s) => s.name)).toEqual(['test-probe']);
    await scheduler.stop();
    scheduler = null;
    // The database is still open for the app after the scheduler stopped.
    expect(rowsOf(await database.db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
  });

  it('refuses bad or duplicate job names, and a cron without its payload', async () => {
    await expect(start([{ ...probe, name: 'Not Kebab' }])).rejects.toThrow(/lower-case/);
    await expect(start([probe, probe])).rejects.toThrow(/twice/);
    await expect(start([{ ...probe, cronPayload: undefined }])).rejects.toThrow(/cronPayload/);
  });
});
