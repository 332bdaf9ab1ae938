// `npm run bench:api`: loads one organization with 100,000 contacts, 10,000 companies, 20,000
// deals and 500,000 activities, then times over HTTP on loopback, from a client in a worker thread,
// with a manager's API key (so every query runs as app_user under RLS, as requests do):
//   - the context lookup (3 emails) and contact search, next to a floor measured in the same run
//     (GET /contacts/{id}: key lookup, tenant transaction, one indexed row) and as multiples of it;
//   - deal PATCHes and email logs with the domain-events outbox and, interleaved, without it (a
//     second app on the same database that writes no events): what the outbox costs a write.
// Postgres first (a scratch database `crm_bench` next to DATABASE_URL, default the local test
// server), then PGlite for reference. Prints figures; asserts nothing (machines are noisy).
//   BENCH_SCALE=0.1   a tenth of the data, for a quick look
//   BENCH_PGLITE=false   skip the PGlite run;  BENCH_POSTGRES=false   skip the Postgres run
import { serve } from '@hono/node-server';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { silentLogger } from '../api/log.ts';
import { createApiKey } from '../api/modules/identity/api-keys.service.ts';
import { createOrganization } from '../api/modules/identity/organizations.service.ts';
import { RateLimiter } from '../api/platform/http/rate-limiter.ts';
import { defaultRateLimits, noProtection } from '../api/platform/http/protection.ts';
import { inTenant, systemClock } from '../api/platform/tenancy/scope.ts';
import { generateBenchData } from '../db/bench-data.ts';
import { openDatabase, rowsOf, type Database } from '../db/client.ts';
import { memberships, user } from '../db/schema/index.ts';
import { withTenant } from '../db/tenant.ts';
import { listPipelines } from '../api/modules/pipelines/pipelines.service.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const sizes = {
  contacts: Math.round(100_000 * scale),
  companies: Math.round(10_000 * scale),
  deals: Math.round(20_000 * scale),
  activities: Math.round(500_000 * scale),
};
const REQUESTS = 2000;
const WARMUP = 200;

/** The per-caller limit checked against Postgres on every request: what leasing saves. */
class StrictRateLimiter extends RateLimiter {
  override consume(rule: Parameters<RateLimiter['consume']>[0], subject: string) {
    return super.consume(rule, subject, { lease: false });
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// The client runs in a worker thread so that it does not share the server's event loop, as a
// browser or the extension would not; plain JavaScript, so the worker needs no TypeScript loader.
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { base, key, paths, warmup, requests } = workerData;
  const call = async (path) => {
    const res = await fetch(base + path, { headers: { authorization: 'Bearer ' + key } });
    if (res.status !== 200) throw new Error(res.status + ' ' + (await res.text()));
    return res.json();
  };
  for (let i = 0; i < warmup; i++) await call(paths[i % paths.length]);
  const times = [];
  let found = 0;
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const body = await call(paths[(i * 7) % paths.length]);
    times.push(performance.now() - start);
    found += (body.contacts || body.data || []).length;
  }
  parentPort.postMessage({ times, found });
})().catch((err) => parentPort.postMessage({ error: String(err) }));
`;

async function timeRequests(label: string, base: string, key: string, paths: string[]) {
  const result = await new Promise<{ times: number[]; found: number; error?: string }>((resolve, reject) => {
    const worker = new Worker(clientCode, { eval: true, workerData: { base, key, paths, warmup: WARMUP, requests: REQUESTS } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (result.error) throw new Error(`${label}: ${result.error}`);
  const times = result.times.sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(2).padStart(7);
  console.log(`  ${label.padEnd(26)} p50 ${fmt(percentile(times, 50))} ms   p99 ${fmt(percentile(times, 99))} ms   max ${fmt(times[times.length - 1]!)} ms   (${REQUESTS} requests, ${(result.found / REQUESTS).toFixed(1)} results each)`);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

// Writes, from the same kind of worker: each request is given whole (method, path, body, which
// server), in the order to send them, and the times come back by group.
const writeClientCode = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { key, requests, warmup } = workerData;
  const times = {};
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    const start = performance.now();
    const res = await fetch(r.base + r.path, { method: r.method, headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify(r.body) });
    if (res.status >= 300) throw new Error(r.method + ' ' + r.path + ': ' + res.status + ' ' + (await res.text()));
    await res.arrayBuffer();
    if (i >= warmup) (times[r.group] ??= []).push(performance.now() - start);
  }
  parentPort.postMessage({ times });
})().catch((err) => parentPort.postMessage({ error: String(err) }));
`;

interface WriteRequest {
  group: string;
  base: string;
  method: 'PATCH' | 'POST';
  path: string;
  body: unknown;
}

async function timeWrites(key: string, requests: WriteRequest[], warmup: number) {
  const result = await new Promise<{ times: Record<string, number[]>; error?: string }>((resolve, reject) => {
    const worker = new Worker(writeClientCode, { eval: true, workerData: { key, requests, warmup } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (result.error) throw new Error(result.error);
  const figures: Record<string, { p50: number; p99: number }> = {};
  for (const [group, list] of Object.entries(result.times)) {
    const times = list.sort((a, b) => a - b);
    figures[group] = { p50: percentile(times, 50), p99: percentile(times, 99) };
  }
  return figures;
}

const WRITES = 1000;
const BLOCK = 50;

async function benchmark(name: string, database: Database) {
  const { db } = database;
  console.log(`\n== ${name} ==`);
  let t = performance.now();
  await database.migrate();
  const owners: string[] = [];
  for (let i = 0; i < 5; i++) {
    const [u] = await db.insert(user).values({ name: `Bench Rep ${i}`, email: `bench.rep${i}.${Date.now()}@bench.test` }).returning({ id: user.id });
    owners.push(u!.id);
  }
  const org = await db.transaction((tx) => createOrganization(tx, systemClock, { name: 'Bench Org', adminUserId: owners[0]!, via: 'admin_cli' }));
  await withTenant(db, org.id, (tx) => tx.insert(memberships).values(owners.slice(1).map((userId) => ({ orgId: org.id, userId, role: 'rep' as const }))));
  const manager = { orgId: org.id, userId: owners[0]!, role: 'manager' as const };
  const key = (await inTenant(db, systemClock, manager, (s) => createApiKey(s, 'bench'))).key;
  const [pipeline] = await inTenant(db, systemClock, manager, (s) => listPipelines(s));
  const data = await generateBenchData(db, {
    orgId: org.id,
    ownerIds: owners,
    pipelineId: pipeline!.id,
    stageIds: pipeline!.stages.map((s) => s.id),
    ...sizes,
    onProgress: (m) => process.stdout.write(`  ${m}\n`),
  });
  console.log(`  generated ${sizes.contacts} contacts, ${sizes.companies} companies, ${sizes.deals} deals, ${sizes.activities} activities in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const auth = createAuth({ db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost' });
  // BENCH_RATE_LIMIT=true: with the per-caller limit on (a limit the bench cannot reach), to see what
  // it costs; =strict: one shared-counter round trip on every request (no leases), the worst case.
  const mode = process.env.BENCH_RATE_LIMIT;
  const limiter = mode === 'true' ? new RateLimiter(db, { log: silentLogger }) : mode === 'strict' ? new StrictRateLimiter(db, { log: silentLogger }) : null;
  const protection = { ...noProtection, limiter, limits: { ...defaultRateLimits, apiPerMinute: 1_000_000 } };
  const app = createApp({ db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost', protection });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

  const emails = data.sampleEmails;
  const contextPaths = Array.from({ length: 500 }, (_, i) => `/context?emails=${[emails[i % emails.length], emails[(i * 31 + 7) % emails.length], emails[(i * 97 + 13) % emails.length]].join(',')}`);
  const searchPaths = data.sampleSearchTerms.map((term) => `/contacts?q=${encodeURIComponent(term)}&limit=20`);
  const context = await timeRequests('context lookup (3 emails)', base, key, contextPaths);
  const search = await timeRequests('contact search', base, key, searchPaths);
  const me = await timeRequests(`GET /me (trivial)${mode === 'strict' ? ', limit, no lease' : limiter ? ', rate limit on' : ''}`, base, key, ['/me']);
  // The floor: the same stack (key lookup, tenant transaction, scoped query) reading one indexed row.
  const contactIds = rowsOf<{ id: string }>(await db.execute(sql`select id from contacts where org_id = ${org.id} order by md5(id::text) limit 500`)).map((r) => r.id);
  const floor = await timeRequests('floor: GET /contacts/{id}', base, key, contactIds.map((id) => `/contacts/${id}`));
  const ratio = (x: { p50: number; p99: number }) => `p50 ${(x.p50 / floor.p50).toFixed(2)}×, p99 ${(x.p99 / floor.p99).toFixed(2)}× the floor`;
  console.log(`  context lookup: ${ratio(context)};  contact search: ${ratio(search)}`);

  // What the outbox costs a write: the same deal PATCHes and email logs against a second app on the
  // same database that writes no domain events, interleaved in blocks so drift hits both alike.
  const bare = createApp({ db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost', protection, benchmarkWithoutOutbox: true });
  const bareServer = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => bareServer.once('listening', resolve));
  const bareBase = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/api/v1`;
  const dealIds = rowsOf<{ id: string }>(await db.execute(sql`select id from deals where org_id = ${org.id} and outcome is null and deleted_at is null order by md5(id::text) limit 500`)).map((r) => r.id);
  const run = Date.now();
  const requests: WriteRequest[] = [];
  for (let i = 0; i < WRITES * 2; i++) {
    const withOutbox = Math.floor(i / BLOCK) % 2 === 0;
    const server = withOutbox ? base : bareBase;
    const suffix = withOutbox ? 'outbox' : 'no outbox';
    requests.push({ group: `deal PATCH, ${suffix}`, base: server, method: 'PATCH', path: `/deals/${dealIds[i % dealIds.length]}`, body: { valueCents: 100_000 + i } });
    requests.push({
      group: `email log, ${suffix}`, base: server, method: 'POST', path: '/emails',
      body: { messageId: `<bench-${run}-${i}@bench.test>`, from: emails[i % emails.length], to: ['rep@bench.test'], subject: 'Re: proposal', sentAt: new Date(run - i * 1000).toISOString(), direction: 'inbound' },
    });
  }
  const writes = await timeWrites(key, requests, 100);
  const fmt = (n: number) => n.toFixed(2).padStart(7);
  for (const kind of ['deal PATCH', 'email log']) {
    const on = writes[`${kind}, outbox`]!;
    const off = writes[`${kind}, no outbox`]!;
    console.log(`  ${kind.padEnd(11)} without outbox p50 ${fmt(off.p50)} ms p99 ${fmt(off.p99)} ms | with p50 ${fmt(on.p50)} ms p99 ${fmt(on.p99)} ms | +${(((on.p50 / off.p50) - 1) * 100).toFixed(1)}% p50, +${(((on.p99 / off.p99) - 1) * 100).toFixed(1)}% p99 (target <= 10%)`);
  }
  bareServer.close();
  server.close();
  await limiter?.close();
  return { context, search, me, floor, writes };
}

const results: Record<string, Awaited<ReturnType<typeof benchmark>>> = {};

if (process.env.BENCH_POSTGRES !== 'false') {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe('drop database if exists crm_bench with (force)');
  await admin.unsafe('create database crm_bench');
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = '/crm_bench';
  const pg = await openDatabase({ databaseUrl: benchUrl.toString(), maxConnections: 10 });
  try {
    results.postgres = await benchmark('Postgres (postgres.js, pool of 10)', pg);
  } finally {
    await pg.close();
    await admin.unsafe('drop database if exists crm_bench with (force)');
    await admin.end();
  }
}

if (process.env.BENCH_PGLITE !== 'false') {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  const lite = await openDatabase({ dataDir: dir });
  try {
    results.pglite = await benchmark('PGlite (embedded, for reference)', lite);
  } finally {
    await lite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('\nTargets on Postgres: context lookup p99 <= 20 ms, search p99 <= 50 ms; the outbox adds <= 10% to a write.');
const pgr = results.postgres;
if (pgr) {
  console.log(`Postgres: context p99 ${pgr.context.p99.toFixed(2)} ms (${pgr.context.p99 <= 20 ? 'meets' : 'misses'} target), search p99 ${pgr.search.p99.toFixed(2)} ms (${pgr.search.p99 <= 50 ? 'meets' : 'misses'} target)`);
}
