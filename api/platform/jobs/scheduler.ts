// Runs the jobs of api/jobs/registry.ts on their cron with pg-boss, on the product's own database:
// pg-boss keeps its tables in the `pgboss` schema there. Postgres: pg-boss opens its own small pool
// on DATABASE_URL. PGlite: pg-boss shares the one embedded connection (fromPglite).
//
// Queues are created by a short provisioning start before the real one, so the real start caches
// them all: on PGlite a queue missing from that cache is looked up on the base connection, which
// hangs forever if it happens inside a drizzle transaction holding that connection (STACK-NOTES §5).
// Queues use the singleton policy (one active job per queue across every server), and jobs are
// written to be harmless when run twice, so retries and several servers are safe.
import { PgBoss, fromPglite, type ConstructorOptions } from 'pg-boss';
import type { Database } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';
import type { JobDefinition } from './job.ts';

export interface SchedulerOptions {
  database: Database;
  /** Postgres only: the same database's URL, for pg-boss's own pool. */
  databaseUrl?: string;
  jobs: readonly JobDefinition[];
  log: Logger;
  /** How often workers look for due jobs. Default 2 s; tests use 0.5 (pg-boss's minimum). */
  pollingIntervalSeconds?: number;
  /** The time handed to a job as `now`. Default: the system clock. */
  clock?: () => Date;
}

export interface Scheduler {
  /** Queues a job now and resolves once a worker has finished it; rejects if it failed. */
  runNow(name: string, options?: { timeoutMs?: number }): Promise<void>;
  /** The cron schedules pg-boss holds, by queue name. */
  schedules(): Promise<{ name: string; cron: string; timezone: string }[]>;
  /** Stops scheduling and polling, waits (up to 30 s) for running jobs, and leaves the database open. */
  stop(): Promise<void>;
}

const RETRIES = {
  retryLimit: 2,
  retryDelay: 60,
  retryBackoff: true,
  // A run over an hour is stuck: pg-boss fails it and the next retry starts over.
  expireInSeconds: 3600,
} as const;

export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const { database, jobs, log } = options;
  const clock = options.clock ?? (() => new Date());
  const names = new Set<string>();
  for (const job of jobs) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(job.name)) throw new Error(`Job name "${job.name}": lower-case words joined by dashes`);
    if (names.has(job.name)) throw new Error(`Job name "${job.name}" is registered twice`);
    names.add(job.name);
  }

  const connection = (): ConstructorOptions => {
    if (database.kind === 'pglite') return { db: fromPglite(database.pglite!), backend: 'pglite' };
    if (!options.databaseUrl) throw new Error('startScheduler: databaseUrl is required on Postgres');
    return { connectionString: options.databaseUrl, max: 3, application_name: 'inbox-crm-jobs' };
  };
  const onError = (err: Error) => log.error('job scheduler error', { error: err.message });

  // Provisioning: install or migrate pg-boss's schema and create the queues, then stop.
  const setup = new PgBoss({ ...connection(), schedule: false, supervise: false });
  setup.on('error', onError);
  await setup.start();
  try {
    for (const job of jobs) {
      if (!(await setup.getQueue(job.name))) await setup.createQueue(job.name, { policy: 'singleton', ...RETRIES });
      else await setup.updateQueue(job.name, RETRIES);
    }
  } finally {
    await setup.stop({ graceful: false, close: database.kind === 'postgres' });
  }

  const boss = new PgBoss({ ...connection(), migrate: false });
  boss.on('error', onError);
  await boss.start();
  // A job taken out of the registry must not keep filling a queue nobody works.
  for (const schedule of await boss.getSchedules()) {
    if (!names.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
  }
  for (const job of jobs) {
    await boss.schedule(job.name, job.cron, null, { tz: 'UTC' });
    await boss.work(job.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async () => {
      const started = Date.now();
      try {
        await job.run({ db: database.db, log, now: clock() });
        log.info('job done', { job: job.name, ms: Date.now() - started });
      } catch (err) {
        log.error('job failed', { job: job.name, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) });
        throw err; // pg-boss records the failure and retries
      }
    });
  }
  log.info('job scheduler started', { jobs: jobs.map((j) => `${j.name} (${j.cron})`) });

  let stopping: Promise<void> | null = null;
  return {
    async runNow(name, { timeoutMs = 60_000 } = {}) {
      if (!names.has(name)) throw new Error(`No job named "${name}"`);
      const id = await boss.send(name, {});
      if (!id) throw new Error(`pg-boss did not queue "${name}"`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [found] = await boss.findJobs(name, { id });
        if (found?.state === 'completed') return;
        // 'retry': this attempt failed and pg-boss will try again later; the caller hears now.
        if (found && ['failed', 'cancelled', 'retry'].includes(found.state)) throw new Error(`Job ${name} ${found.state}: ${JSON.stringify(found.output)}`);
        if (Date.now() > deadline) throw new Error(`Job ${name} did not finish within ${timeoutMs} ms (state: ${found?.state ?? 'gone'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async schedules() {
      return (await boss.getSchedules()).map((s) => ({ name: s.name, cron: s.cron, timezone: s.timezone }));
    },
    stop() {
      // PGlite: the app closes the shared connection itself, after this.
      stopping ??= boss.stop({ graceful: true, timeout: 30_000, close: database.kind === 'postgres' });
      return stopping;
    },
  };
}
