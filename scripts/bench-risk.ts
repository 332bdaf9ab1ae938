// `npm run bench:risk`: deal intelligence on Postgres at scale. Loads one organization with
// 100,000 deals and 2,000,000 activities (the foundation's bench generator, set-based SQL) into a
// fresh database `crm_bench_risk` next to DATABASE_URL (default the local test server), then times:
//   - the org history (won-deal stage durations, reply gaps, values): every closed deal into JS as
//     before, aggregated in SQL as now, and what a close costs a long history (nothing: skipped),
//   - recomputing every open deal's score (what the daily job does), target <= 10 s,
//   - one deal's recompute (what every change does), p50/p99 over 1000 deals, target p99 <= 5 ms:
//     inside a transaction, and in one of its own with its commit (next to the commit's floor),
//   - each report and the at-risk list through the API (app.request, a manager's API key, so
//     every query runs as app_user under RLS), p50/p99, target p99 <= 150 ms.
// Prints figures; asserts nothing (machines are noisy).
//   BENCH_SCALE=0.1     a tenth of the data, for a quick look
//   BENCH_KEEP=true     keep the database afterwards, and reuse it (no regeneration) when it exists
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { silentLogger } from '../api/log.ts';
import { createApiKey } from '../api/modules/identity/api-keys.service.ts';
import { createOrganization } from '../api/modules/identity/organizations.service.ts';
import { inTenant, systemClock, type Clock, type Scope } from '../api/platform/tenancy/scope.ts';
import { deliverPendingInline } from '../api/platform/events/delivery.ts';
import { consumers } from '../api/registry.ts';
import { systemActor } from '../core/roles.ts';
import { listPipelines } from '../api/modules/pipelines/pipelines.service.ts';
import { riskRecomputeJob } from '../api/modules/risk/risk-recompute.job.ts';
import { closedDealHistory, loadClosedDeals, recomputeRisk, refreshOrgRiskStats, refreshOrgRiskStatsIfStale } from '../api/modules/risk/risk.service.ts';
import { computeOrgRiskStats } from '../core/risk/stage-stats.ts';
import { reportNames } from '../core/schemas/reports.ts';
import { generateBenchData } from '../db/bench-data.ts';
import { openDatabase, rowsOf, type Database } from '../db/client.ts';
import { memberships, organizations, user } from '../db/schema/index.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const keep = process.env.BENCH_KEEP === 'true';
const sizes = {
  contacts: Math.round(100_000 * scale),
  companies: Math.round(10_000 * scale),
  deals: Math.round(100_000 * scale),
  activities: Math.round(2_000_000 * scale),
};
const REPS = 20;
const DEAL_RUNS = 1000;
const REPORT_RUNS = 200;
const WARMUP = 20;
const DB_NAME = 'crm_bench_risk';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`;
const seconds = (n: number) => `${(n / 1000).toFixed(2)} s`;

interface Figures {
  p50: number;
  p99: number;
}

async function timeRuns(label: string, runs: number, work: (i: number) => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < WARMUP; i++) await work(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work(i);
    times.push(performance.now() - start);
  }
  return figuresOf(label, times);
}

function figuresOf(label: string, times: number[]): Figures {
  times.sort((a, b) => a - b);
  const figures = { p50: percentile(times, 50), p99: percentile(times, 99) };
  console.log(`  ${label.padEnd(38)} p50 ${ms(figures.p50)}   p99 ${ms(figures.p99)}   max ${ms(times.at(-1)!)}   (${times.length} runs)`);
  return figures;
}

async function timeOnce<T>(label: string, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  const elapsed = performance.now() - start;
  console.log(`  ${label.padEnd(38)} ${seconds(elapsed)}`);
  return { ms: elapsed, result };
}

/** The bench organization: reused when BENCH_KEEP left one behind, else made and filled. */
async function prepare(database: Database) {
  const { db } = database;
  await database.migrate();
  const [existing] = await db.select({ id: organizations.id }).from(organizations).where(sql`${organizations.name} = 'Risk Bench Org'`);
  if (existing) {
    const [manager] = rowsOf<{ user_id: string }>(await db.execute(sql`select user_id from memberships where org_id = ${existing.id} and role = 'manager' limit 1`));
    console.log('  reusing the dataset left by BENCH_KEEP=true');
    return { orgId: existing.id, managerId: manager!.user_id };
  }
  const started = performance.now();
  const stamp = Date.now();
  const newUser = async (name: string, i: number) =>
    (await db.insert(user).values({ name: `${name} ${i}`, email: `${name.toLowerCase().replace(' ', '.')}${i}.${stamp}@bench.test` }).returning({ id: user.id }))[0]!.id;
  const adminId = await newUser('Bench Admin', 0);
  const managerId = await newUser('Bench Manager', 0);
  const reps: string[] = [];
  for (let i = 0; i < REPS; i++) reps.push(await newUser('Bench Rep', i));
  const org = await db.transaction((tx) => createOrganization(tx, systemClock, { name: 'Risk Bench Org', adminUserId: adminId, via: 'admin_cli' }));
  await db.transaction(async (tx) =>
    tx.insert(memberships).values([{ orgId: org.id, userId: managerId, role: 'manager' as const }, ...reps.map((userId) => ({ orgId: org.id, userId, role: 'rep' as const }))]),
  );
  const [pipeline] = await inTenant(db, systemClock, systemActor(org.id), (s) => listPipelines(s));
  await generateBenchData(db, {
    orgId: org.id,
    ownerIds: reps,
    pipelineId: pipeline!.id,
    stageIds: pipeline!.stages.map((s) => s.id),
    ...sizes,
    onProgress: (m) => process.stdout.write(`  ${m}\n`),
  });
  console.log(`  generated ${sizes.contacts} contacts, ${sizes.companies} companies, ${sizes.deals} deals, ${sizes.activities} activities in ${seconds(performance.now() - started)}`);
  return { orgId: org.id, managerId };
}

async function benchmark(database: Database) {
  const { db } = database;
  const { orgId, managerId } = await prepare(database);
  const counts = rowsOf<{ open: number; closed: number; links: number }>(
    await db.execute(sql`select count(*) filter (where outcome is null)::int open, count(*) filter (where outcome is not null)::int closed,
      (select count(*)::int from activity_links where org_id = ${orgId} and deal_id is not null) links
      from deals where org_id = ${orgId} and deleted_at is null`),
  )[0]!;
  console.log(`  ${counts.open} open deals, ${counts.closed} closed, ${counts.links} activity links to deals`);

  // This test server runs with autovacuum off; production's autovacuum would tidy up after each
  // bulk rewrite (the daily recompute rewrites every score), so the bench does it by hand.
  const vacuum = () => db.execute(sql`vacuum analyze deal_risk, notifications, org_risk, deal_stage_paths, deal_stage_stays, activity_day_counts`);
  await vacuum();

  /** Work in the bench organization as the system, at `clock`'s time. */
  const inOrg = <T>(work: (s: Scope) => Promise<T>, clock: Clock = systemClock) => inTenant(db, clock, systemActor(orgId), work);

  console.log('\n-- org history (won-deal stage durations, reply gaps, values) --');
  const jsStats = await timeOnce('before: every closed deal into JS', () => inOrg(async (s) => computeOrgRiskStats((await loadClosedDeals(s)).map(closedDealHistory))));
  const stats = await timeOnce('after: aggregated in SQL', () => inOrg((s) => refreshOrgRiskStats(s)));
  if (!isDeepStrictEqual(jsStats.result, stats.result)) console.log('  (the two differ!)');
  const skip = await timeOnce('a close in this org (refresh skipped)', () => inOrg((s) => refreshOrgRiskStatsIfStale(s)));
  if (skip.result) console.log('  (it refreshed: the history is not long enough to skip)');

  console.log('\n-- risk scores (services, in a tenant transaction as app_user) --');
  const first = await timeOnce('first scoring of every open deal', () => inOrg((s) => recomputeRisk(s, 'all-open')));
  console.log('  (a first score is no change of risk: it raises no event and no alert)');
  await vacuum();
  const dayLater = () => new Date(Date.now() + 86_400_000);
  const all = await timeOnce('recompute every open deal', () => inOrg((s) => recomputeRisk(s, 'all-open'), dayLater));
  const [changes] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from domain_events where org_id = ${orgId} and type = 'deal.risk_changed'`));
  await timeOnce('their consumers (notifications)', () => deliverPendingInline(db, systemClock, consumers));
  const [notes] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from notifications where org_id = ${orgId}`));
  console.log(`  (a day later: ${changes!.n} deals changed band; ${notes!.n} notifications for those that entered the high band)`);
  await vacuum();
  const twoDaysLater = new Date(Date.now() + 2 * 86_400_000);
  const job = await timeOnce('daily job (history + every deal)', () =>
    riskRecomputeJob.run({ db, log: silentLogger, now: twoDaysLater, inOrg: (work) => inOrg(work, () => twoDaysLater) }, riskRecomputeJob.cronPayload!(orgId, twoDaysLater)),
  );
  await vacuum();
  const openIds = rowsOf<{ id: string }>(await db.execute(sql`select id from deals where org_id = ${orgId} and outcome is null and deleted_at is null order by md5(id::text) limit ${DEAL_RUNS}`)).map((r) => r.id);
  // What a change pays: recomputeRisk inside the change's transaction (timed alone), and the same
  // in a transaction of its own with its commit, next to a transaction that writes one row (the
  // floor set by the commit's WAL flush on this machine).
  const inside: number[] = [];
  const one = await timeRuns('one deal recompute, own transaction', DEAL_RUNS, (i) =>
    inOrg(async (s) => {
      const start = performance.now();
      await recomputeRisk(s, { dealIds: [openIds[i % openIds.length]!] });
      inside.push(performance.now() - start);
    }),
  );
  const oneInside = figuresOf('one deal recompute, in transaction', inside.slice(WARMUP));
  const floor = await timeRuns('floor: a one-row write transaction', DEAL_RUNS, (i) =>
    inOrg((s) => s.db.execute(sql`update deal_risk set computed_at = computed_at where org_id = ${orgId} and deal_id = ${openIds[i % openIds.length]!}`)),
  );
  await vacuum();

  console.log('\n-- API as the manager (app.request, API key, RLS) --');
  const auth = createAuth({ db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost' });
  const app = createApp({ db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost' }, { demoInbox: false });
  const { key } = await inTenant(db, systemClock, { orgId, userId: managerId, role: 'manager' }, (s) => createApiKey(s, `bench ${Date.now()}`));
  const get = async (path: string) => {
    const res = await app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.text();
  };
  const reports: Record<string, Figures> = {};
  for (const name of reportNames) reports[name] = await timeRuns(`report ${name}`, REPORT_RUNS, () => get(`/reports/${name}`));
  const atRisk = await timeRuns('at-risk (team, 50)', REPORT_RUNS, () => get('/deals/at-risk?scope=team&limit=50'));
  return { statsBefore: jsStats.ms, stats: stats.ms, statsSkip: skip.ms, first: first.ms, all: all.ms, job: job.ms, scored: all.result.size, one, oneInside, floor, reports, atRisk };
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
if (!keep) await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
const [exists] = await admin`select 1 from pg_database where datname = ${DB_NAME}`;
if (!exists) await admin.unsafe(`create database ${DB_NAME}`);
const benchUrl = new URL(serverUrl);
benchUrl.pathname = `/${DB_NAME}`;
const pg = await openDatabase({ databaseUrl: benchUrl.toString(), maxConnections: 10 });
console.log(`== Postgres (postgres.js, pool of 10), BENCH_SCALE=${scale} ==`);
let r: Awaited<ReturnType<typeof benchmark>>;
try {
  r = await benchmark(pg);
} finally {
  await pg.close();
  if (!keep) await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}

const verdict = (value: number, target: number) => (value <= target ? 'meets' : 'MISSES');
console.log('\n== Summary (targets from issues 5 and 9) ==');
console.log(`  recompute every score (a day later, scores stored): ${seconds(r.all)} for ${r.scored} open deals (target <= 10 s: ${verdict(r.all, 10_000)})`);
console.log(`    the daily job (history refresh + recompute): ${seconds(r.job)}; first scoring of the never-scored pipeline (inserts and notifications): ${seconds(r.first)}`);
console.log(`  one deal's recompute in a change's transaction: p50 ${r.oneInside.p50.toFixed(2)} ms, p99 ${r.oneInside.p99.toFixed(2)} ms (target p99 <= 5 ms: ${verdict(r.oneInside.p99, 5)})`);
console.log(`    in a transaction of its own, commit included: p50 ${r.one.p50.toFixed(2)} ms, p99 ${r.one.p99.toFixed(2)} ms; a one-row write transaction alone: p50 ${r.floor.p50.toFixed(2)} ms, p99 ${r.floor.p99.toFixed(2)} ms`);
// Issue 9 states the one-deal target against the floor measured in the same run (machines vary).
const ratio = (x: number) => `${(x / r.floor.p99).toFixed(2)}×`;
console.log(`    p99 as a multiple of the floor's p99 (target <= 1.2×): in a change's transaction ${ratio(r.oneInside.p99)} (${verdict(r.oneInside.p99, 1.2 * r.floor.p99)}), in its own ${ratio(r.one.p99)} (${verdict(r.one.p99, 1.2 * r.floor.p99)})`);
for (const [name, f] of Object.entries(r.reports)) console.log(`  report ${name}: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms (target p99 <= 150 ms: ${verdict(f.p99, 150)})`);
console.log(`  at-risk list: p50 ${r.atRisk.p50.toFixed(1)} ms, p99 ${r.atRisk.p99.toFixed(1)} ms`);
console.log(`  org history refresh: ${seconds(r.statsBefore)} before (every closed deal into JS), ${seconds(r.stats)} aggregated in SQL, ${(r.statsSkip).toFixed(1)} ms when a close skips it`);
console.log(`  (load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores)`);
