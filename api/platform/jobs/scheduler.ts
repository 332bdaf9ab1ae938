// The background runtime on pg-boss, on the product's own database (pg-boss keeps its tables in
// the `pgboss` schema there; Postgres: its own small pool on DATABASE_URL; PGlite: the one embedded
// connection, fromPglite):
//   - per-organization jobs (job.ts): a queue each, one job queued and one running per organization
//     at most (policy 'stately', singleton key = the org); a cron fans out one job per organization;
//   - the events dispatcher (../events/dispatcher.ts) and one queue per event consumer.
// Queues are created by a short provisioning start before the real one, so the real start caches
// them all: on PGlite a queue missing from that cache is looked up on the base connection, which
// hangs forever if it happens inside a drizzle transaction holding that connection (STACK-NOTES §5).
import { PgBoss, fromPglite, type ConstructorOptions, type Job } from 'pg-boss';
import { systemActor } from '../../../core/roles.ts';
import type { Database } from '../../../db/client.ts';
import { organizations } from '../../../db/schema/index.ts';
import type { Logger } from '../../log.ts';
import { checkConsumers, consumerQueue, type EventConsumer } from '../events/consumer.ts';
import { startDispatcher, type Dispatcher } from '../events/dispatcher.ts';
import type { EventStream } from '../events/stream.ts';
import { inTenant, systemClock, type Clock } from '../tenancy/scope.ts';
import type { JobDefinition, JobOutcome } from './job.ts';

export interface SchedulerOptions {
  database: Database;
  /** Postgres only: the same database's URL, for pg-boss's own pool. */
  databaseUrl?: string;
  jobs: readonly JobDefinition[];
  consumers: readonly EventConsumer[];
  log: Logger;
  /** Wakes the dispatcher as soon as an event commits (else it polls every second). */
  stream?: EventStream;
  /** How often job workers look for due jobs. Default 5 s (events: 1 s); tests use 0.5 (pg-boss's minimum). */
  pollingIntervalSeconds?: number;
  /** First delay before an event consumer's failed delivery is retried (doubling after). Default 5 s. */
  eventRetryDelaySeconds?: number;
  clock?: Clock;
}

export interface Scheduler {
  /** Queues a job for one organization now and resolves with its outcome once a worker finished it. */
  runNow(name: string, payload: Record<string, unknown> & { orgId: string }, options?: { timeoutMs?: number }): Promise<JobOutcome>;
  /** Queues a job for one organization without waiting (none is added when one is already queued for it). */
  queue(name: string, payload: Record<string, unknown> & { orgId: string }): Promise<void>;
  /** Runs a cron job's fan-out now: one job per organization, as at its scheduled time. */
  fanOutNow(name: string): Promise<number>;
  /** The cron schedules pg-boss holds, by job name. */
  schedules(): Promise<{ name: string; cron: string; timezone: string }[]>;
  /** The events dispatcher, e.g. to dispatch pending events at once. */
  dispatcher: Dispatcher;
  /** Stops scheduling and polling, waits (up to 30 s) for running work, and leaves the database open. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY = { limit: 3, delaySeconds: 60 };
const EVENT_RETRY = { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 3600 } as const;
const cronQueue = (job: JobDefinition) => `${job.name}-cron`;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const { database, jobs, consumers, log } = options;
  const clock = options.clock ?? systemClock;
  const byName = new Map<string, JobDefinition>();
  for (const job of jobs) {
    if (!KEBAB.test(job.name)) throw new Error(`Job name "${job.name}": lower-case words joined by dashes`);
    if (byName.has(job.name)) throw new Error(`Job name "${job.name}" is registered twice`);
    if (job.cron && !job.cronPayload) throw new Error(`Job "${job.name}" has a cron but no cronPayload`);
    byName.set(job.name, job);
  }
  checkConsumers(consumers);

  const connection = (): ConstructorOptions => {
    if (database.kind === 'pglite') return { db: fromPglite(database.pglite!), backend: 'pglite' };
    if (!options.databaseUrl) throw new Error('startScheduler: databaseUrl is required on Postgres');
    return { connectionString: options.databaseUrl, max: 4, application_name: 'inbox-crm-jobs' };
  };
  const onError = (err: Error) => log.error('job scheduler error', { error: err.message });

  // Provisioning: install or migrate pg-boss's schema and create the queues, then stop.
  const setup = new PgBoss({ ...connection(), schedule: false, supervise: false });
  setup.on('error', onError);
  await setup.start();
  try {
    const ensure = async (name: string, policy: string, settings: Record<string, unknown>) => {
      if (!(await setup.getQueue(name))) await setup.createQueue(name, { policy, ...settings });
      else await setup.updateQueue(name, settings);
    };
    for (const job of jobs) {
      const retry = job.retry ?? DEFAULT_RETRY;
      // A run over an hour is stuck: pg-boss fails it and the retry starts over.
      await ensure(job.name, 'stately', { retryLimit: retry.limit, retryDelay: retry.delaySeconds, retryBackoff: true, expireInSeconds: 3600 });
      if (job.cron) await ensure(cronQueue(job), 'stately', { retryLimit: 2, retryDelay: 60, retryBackoff: true });
    }
    for (const consumer of consumers) {
      await ensure(consumerQueue(consumer), 'standard', { ...EVENT_RETRY, retryDelay: options.eventRetryDelaySeconds ?? EVENT_RETRY.retryDelay, expireInSeconds: 900 });
    }
  } finally {
    await setup.stop({ graceful: false, close: database.kind === 'postgres' });
  }

  const boss = new PgBoss({ ...connection(), migrate: false });
  boss.on('error', onError);
  await boss.start();
  const polling = options.pollingIntervalSeconds ?? 5;

  // A job taken out of the registry must not keep filling a queue nobody works.
  const cronNames = new Set(jobs.filter((j) => j.cron).map(cronQueue));
  for (const schedule of await boss.getSchedules()) {
    if (!cronNames.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
  }

  const runJob = async (job: JobDefinition, raw: unknown): Promise<JobOutcome> => {
    const payload = job.payload.parse(raw);
    const started = Date.now();
    const now = clock();
    try {
      const outcome = await job.run(
        { db: database.db, log, now, inOrg: (work) => inTenant(database.db, () => now, systemActor(payload.orgId), work) },
        payload,
      );
      log.info('job done', { job: job.name, orgId: payload.orgId, ms: Date.now() - started, ...(outcome === 'nothing-to-do' ? { outcome } : outcome) });
      return outcome;
    } catch (err) {
      log.error('job failed', { job: job.name, orgId: payload.orgId, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) });
      throw err; // pg-boss records the failure and retries with back-off
    }
  };

  const fanOut = async (job: JobDefinition): Promise<number> => {
    const now = clock();
    const orgs = await database.db.select({ id: organizations.id }).from(organizations);
    if (orgs.length === 0) return 0;
    await boss.insert(
      job.name,
      orgs.map((o) => ({ data: job.payload.parse(job.cronPayload!(o.id, now)), singletonKey: o.id })),
    );
    log.info('job queued per organization', { job: job.name, organizations: orgs.length });
    return orgs.length;
  };

  for (const job of jobs) {
    await boss.work(job.name, { pollingIntervalSeconds: polling, batchSize: 1 }, async ([one]: Job<object>[]) => runJob(job, one!.data));
    if (job.cron) {
      await boss.schedule(cronQueue(job), job.cron, null, { tz: 'UTC' });
      await boss.work(cronQueue(job), { pollingIntervalSeconds: Math.max(polling, 10) }, async () => {
        await fanOut(job);
      });
    }
  }

  const dispatcher = await startDispatcher({ boss, database, consumers, log, clock, stream: options.stream, pollingIntervalSeconds: Math.min(polling, 1) });
  log.info('job scheduler started', { jobs: jobs.map((j) => (j.cron ? `${j.name} (${j.cron})` : j.name)), consumers: consumers.map((c) => c.name) });

  let stopping: Promise<void> | null = null;
  return {
    dispatcher,
    async runNow(name, payload, { timeoutMs = 60_000 } = {}) {
      const job = byName.get(name);
      if (!job) throw new Error(`No job named "${name}"`);
      const id = await boss.send(name, job.payload.parse(payload));
      if (!id) throw new Error(`pg-boss did not queue "${name}" (one is already queued for this organization)`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [found] = await boss.findJobs(name, { id });
        if (found?.state === 'completed') return (found.output as { value?: JobOutcome } | null)?.value ?? (found.output as JobOutcome);
        // 'retry': this attempt failed and pg-boss will try again later; the caller hears now.
        if (found && ['failed', 'cancelled', 'retry'].includes(found.state)) throw new Error(`Job ${name} ${found.state}: ${JSON.stringify(found.output)}`);
        if (Date.now() > deadline) throw new Error(`Job ${name} did not finish within ${timeoutMs} ms (state: ${found?.state ?? 'gone'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async queue(name, payload) {
      const job = byName.get(name);
      if (!job) throw new Error(`No job named "${name}"`);
      await boss.send(name, job.payload.parse(payload), { singletonKey: payload.orgId });
    },
    async fanOutNow(name) {
      const job = byName.get(name);
      if (!job?.cron) throw new Error(`No cron job named "${name}"`);
      return fanOut(job);
    },
    async schedules() {
      const names = new Map(jobs.map((j) => [cronQueue(j), j.name]));
      return (await boss.getSchedules()).map((s) => ({ name: names.get(s.name) ?? s.name, cron: s.cron, timezone: s.timezone }));
    },
    stop() {
      stopping ??= (async () => {
        await dispatcher.stop();
        // PGlite: the app closes the shared connection itself, after this.
        await boss.stop({ graceful: true, timeout: 30_000, close: database.kind === 'postgres' });
      })();
      return stopping;
    },
  };
}
