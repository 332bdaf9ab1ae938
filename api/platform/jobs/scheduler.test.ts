// pg-boss on the test database (PGlite, or Postgres when DATABASE_URL is set): every registered job
// gets a queue and its cron schedule, a job sent now runs through a worker with the app's database,
// failures surface, and schedules of jobs no longer registered are removed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../../db/client.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { silentLogger } from '../../log.ts';
import type { JobContext, JobDefinition } from './job.ts';
import { jobs } from './registry.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

let database: Database & { url?: string };
let scheduler: Scheduler | null = null;
const runs: JobContext[] = [];
const clock = () => new Date('2031-05-06T07:08:09Z');

const probe: JobDefinition = {
  name: 'test-probe',
  cron: '0 4 * * *',
  async run(context) {
    // Reads through the app's database, as real jobs do.
    const [row] = rowsOf<{ n: number }>(await context.db.execute(sql`select count(*)::int as n from organizations`));
    expect(row?.n).toBeTypeOf('number');
    runs.push(context);
  },
};
const failing: JobDefinition = { name: 'test-failing', cron: '0 5 * * *', run: async () => { throw new Error('boom'); } };

const start = (list: readonly JobDefinition[]) =>
  startScheduler({ database, databaseUrl: database.url, jobs: list, log: silentLogger, pollingIntervalSeconds: 0.5, clock });

beforeAll(async () => {
  database = await openTestDatabase();
  await database.migrate();
});
afterAll(async () => {
  await scheduler?.stop();
  await database.close();
});

describe('the job scheduler', () => {
  it('creates a queue and a UTC cron schedule for every job', async () => {
    scheduler = await start([...jobs, probe, failing]);
    const schedules = await scheduler.schedules();
    for (const job of [...jobs, probe, failing]) {
      expect(schedules).toContainEqual({ name: job.name, cron: job.cron, timezone: 'UTC' });
    }
  });

  it('runs a job sent now through a worker, with the database, a logger and the clock', async () => {
    await scheduler!.runNow('test-probe');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.db).toBe(database.db);
    expect(runs[0]!.now).toEqual(clock());
  });

  it('runs the registered jobs', async () => {
    for (const job of jobs) await scheduler!.runNow(job.name);
  });

  it('reports a failed run, and refuses unknown names', async () => {
    await expect(scheduler!.runNow('test-failing')).rejects.toThrow(/test-failing/);
    await expect(scheduler!.runNow('no-such-job')).rejects.toThrow(/No job named/);
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

  it('refuses bad or duplicate job names', async () => {
    await expect(start([{ ...probe, name: 'Not Kebab' }])).rejects.toThrow(/lower-case/);
    await expect(start([probe, probe])).rejects.toThrow(/twice/);
  });
});
