// `npm run bench:workflows`: workflows under a burst of deal changes, on Postgres (DATABASE_URL,
// default the local test server; a scratch database `crm_bench_workflows` next to it, dropped after).
//
// 1. One organization, BENCH_DEALS deals (default 200), BENCH_WORKFLOWS active workflows (default
//    100) all listening to deal.updated; workflow k matches a deal whose probability is k, so each
//    change starts exactly one run, whose action creates a task (through the tasks service).
// 2. Baseline: BENCH_BASELINE (default 500) deal updates through the API with every workflow paused;
//    then BENCH_CHANGES (default 10,000) with all of them active, BENCH_CONCURRENCY (default 4) at a
//    time, timing each request. The real dispatcher and consumers (pg-boss) run in this process.
// 3. Waits until every change has its run (or BENCH_DRAIN_SECONDS, default 180), then prints: change
//    → action latency p50/p99 (the event's time → the run's step time, both the database's clock
//    of the transactions), runs and tasks made (one each per change), and the request latency of
//    PATCH /deals/{id} with and without active workflows.
// Prints figures; asserts nothing (the machine is shared and noisy).
import postgres from 'postgres';
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { silentLogger } from '../api/log.ts';
import { openEventStream } from '../api/platform/events/stream.ts';
import { startScheduler } from '../api/platform/jobs/scheduler.ts';
import { systemClock } from '../api/platform/tenancy/scope.ts';
import { consumers } from '../api/registry.ts';
import { openDatabase, rowsOf } from '../db/client.ts';
import { sql } from 'drizzle-orm';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'crm_bench_workflows';
const DEALS = Number(process.env.BENCH_DEALS ?? '200');
const WORKFLOWS = Number(process.env.BENCH_WORKFLOWS ?? '100');
const BASELINE = Number(process.env.BENCH_BASELINE ?? '500');
const CHANGES = Number(process.env.BENCH_CHANGES ?? '10000');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '4');
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? '180');

const pct = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${DB_NAME}`;
  const database = await openDatabase({ databaseUrl: benchUrl.toString(), maxConnections: 10 });
  await database.migrate();
  const auth = createAuth({ db: database.db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  const app = createApp({ db: database.db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost:8787' }, { dashboard: false, demoInbox: false });
  const request = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const signup = await request('POST', '/api/v1/signup', null, { name: 'Bench Admin', email: 'admin@bench.test', password: 'correct-horse-1', organizationName: 'Bench' });
  const token = signup.token as string;
  const deals: string[] = [];
  for (let i = 0; i < DEALS; i++) deals.push((await request('POST', '/api/v1/deals', token, { name: `Bench deal ${i}`, valueCents: 10_000 * i, probability: 0 })).id);
  const workflowIds: string[] = [];
  for (let k = 1; k <= WORKFLOWS; k++) {
    const wf = await request('POST', '/api/v1/workflows', token, {
      name: `Bench ${k}`,
      definition: { trigger: { type: 'event', event: 'deal.updated' }, conditions: { match: 'all', conditions: [{ field: 'probability', op: 'eq', value: k }] }, actions: [{ type: 'create_task', subject: `Follow up (${k})`, dueInDays: 1 }] },
    });
    workflowIds.push(wf.id);
  }
  const setActive = async (on: boolean) => {
    for (const id of workflowIds) {
      const wf = await request('GET', `/api/v1/workflows/${id}`, token);
      if (on !== (wf.state === 'active')) await request('POST', `/api/v1/workflows/${id}/${on ? 'activate' : 'pause'}`, token);
    }
  };

  const stream = await openEventStream(database, silentLogger);
  const scheduler = await startScheduler({ database, databaseUrl: benchUrl.toString(), jobs: [], consumers, log: silentLogger, stream, pollingIntervalSeconds: 0.5 });

  let n = 0;
  const changes = async (count: number) => {
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        // Each deal's probability moves on by one (mod WORKFLOWS) per visit: every change is a real
        // change, and exactly one workflow matches it.
        const k = n++;
        const round = Math.floor(k / deals.length);
        const probability = ((k + round) % WORKFLOWS) + 1;
        const dealId = deals[k % deals.length]!;
        const t0 = performance.now();
        await request('PATCH', `/api/v1/deals/${dealId}`, token, { probability });
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return latencies;
  };

  console.log(`bench:workflows on Postgres (${benchUrl.host}/${DB_NAME}): ${DEALS} deals, ${WORKFLOWS} workflows on deal.updated; ${BASELINE} changes with them paused, then ${CHANGES} with them active, ${CONCURRENCY} at a time`);
  await setActive(false);
  const off = await changes(BASELINE);
  await setActive(true);
  // Only runs of the burst's events count (a baseline event handled late could start one too).
  const burstStart = new Date();
  const on = await changes(CHANGES);
  const requestSeconds = (Date.now() - burstStart.getTime()) / 1000;
  console.log(`burst sent in ${requestSeconds.toFixed(1)} s (${(CHANGES / requestSeconds).toFixed(0)} changes/s); waiting for the runs (up to ${DRAIN_SECONDS} s)`);
  const ofBurst = sql`join domain_events e on e.id = r.event_id where e.occurred_at >= ${burstStart.toISOString()}::timestamptz`;
  const count = async () => rowsOf<{ runs: number }>(await database.db.execute(sql`select count(*)::int as runs from workflow_runs r ${ofBurst}`))[0]!.runs;
  const deadline = Date.now() + DRAIN_SECONDS * 1000;
  while (Date.now() < deadline && (await count()) < CHANGES) await new Promise((r) => setTimeout(r, 500));
  const drained = (Date.now() - burstStart.getTime()) / 1000;
  await scheduler.stop();
  await stream.close();

  const rows = rowsOf<{ ms: number }>(
    await database.db.execute(sql`select extract(epoch from (s.at - e.occurred_at)) * 1000 as ms from workflow_runs r join workflow_run_steps s on s.run_id = r.id and s.step_index = 0 and s.attempt = 1 ${ofBurst}`),
  ).map((r) => Number(r.ms));
  const [stats] = rowsOf<{ runs: number; completed: number; tasks: number; skipped: number; dupes: number }>(
    await database.db.execute(sql`select count(*)::int as runs, count(*) filter (where r.status = 'completed')::int as completed, count(*) filter (where r.status = 'skipped')::int as skipped,
      (select count(*)::int from activities where type = 'task' and subject like 'Follow up (%') as tasks,
      (select count(*)::int from (select event_id from workflow_runs group by event_id, version_id having count(*) > 1) d) as dupes
      from workflow_runs r ${ofBurst}`),
  );
  console.log('');
  console.log(`runs: ${stats!.runs} for ${CHANGES} changes (completed ${stats!.completed}, skipped by loop protection ${stats!.skipped}); tasks made ${stats!.tasks} (all runs, baseline leftovers included); duplicate runs ${stats!.dupes}; all in by ${drained.toFixed(1)} s after the burst began`);
  console.log(`  change → action (event time → first step done): p50 ${ms(pct(rows, 50))}, p99 ${ms(pct(rows, 99))}, max ${ms(pct(rows, 100))} (target p99 ≤ 5000 ms)`);
  console.log(`request latency PATCH /deals/{id} (in process): workflows paused p50 ${ms(pct(off, 50))} p99 ${ms(pct(off, 99))}; ${WORKFLOWS} active p50 ${ms(pct(on, 50))} p99 ${ms(pct(on, 99))}`);
  console.log(`  added by workflows: p50 ${ms(pct(on, 50) - pct(off, 50))}, p99 ${ms(pct(on, 99) - pct(off, 99))} (target ≤ 2 ms p99: matching happens off the request path)`);
  await database.close();
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
