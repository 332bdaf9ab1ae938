// `npm run bench:import`: CSV import throughput and memory, on Postgres (DATABASE_URL, default the
// local test server; a scratch database `crm_bench_import`, dropped afterwards) and on the embedded
// PGlite (in memory).
//
// Per database: one organization (sign-up through the API). Generated files (in the OS temp folder):
// 10,000 contacts, then 100,000 contacts (BENCH_CONTACTS), then 20,000 deals (BENCH_DEALS) naming
// stages, the owner, one of 2,000 companies and a contact. Each file is uploaded through the API as a
// stream (POST /api/v1/imports), then the import-run job runs it as the worker would.
// Prints rows/s for upload and run, and peak RSS above the level before each file (sampled every
// 20 ms): memory that is flat with file size shows as a similar peak for 10k and 100k rows.
// Prints figures; asserts nothing (the machine is shared and noisy).
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../api/log.ts';
import { importRunJob } from '../api/modules/imports/import-run.job.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { inTenant, systemClock } from '../api/platform/tenancy/scope.ts';
import { systemActor } from '../core/roles.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { imports } from '../db/schema/index.ts';
import { eq } from 'drizzle-orm';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'crm_bench_import';
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? '100000');
const DEALS = Number(process.env.BENCH_DEALS ?? '20000');
const only = process.env.BENCH_ONLY; // 'postgres' | 'pglite'

async function writeFile(path: string, header: string, rows: number, row: (i: number) => string) {
  const out = createWriteStream(path);
  out.write(header + '\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(row(i) + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

function rssSampler() {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return { stop: () => (clearInterval(timer), { baseMb: base / 1048576, peakAboveMb: (peak - base) / 1048576 }) };
}

async function bench(kind: 'postgres' | 'pglite') {
  let database: Database;
  let admin: ReturnType<typeof postgres> | null = null;
  if (kind === 'postgres') {
    admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await admin.unsafe(`create database ${DB_NAME}`);
    const url = new URL(serverUrl);
    url.pathname = `/${DB_NAME}`;
    database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 10 });
  } else {
    database = await openDatabase({});
  }
  await database.migrate();
  const auth = createAuth({ db: database.db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  const app = createApp({ db: database.db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost:8787' }, { dashboard: false, demoInbox: false });
  const json = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const signup = await json('POST', '/api/v1/signup', null, { name: 'Bench Admin', email: 'admin@bench.test', password: 'correct-horse-1', organizationName: 'Bench' });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const token = signup.body.token as string;
  const pipelines = await json('GET', '/api/v1/pipelines', token);
  const stages: string[] = pipelines.body.data[0].stages.map((s: { name: string }) => s.name);

  const runFile = async (label: string, object: string, path: string, rows: number) => {
    const bytes = statSync(path).size;
    const memory = rssSampler();
    let started = performance.now();
    const res = await app.request(`/api/v1/imports?object=${object}&fileName=${label}.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const uploaded = (await res.json()) as any;
    if (res.status !== 201) throw new Error(`upload ${label}: ${res.status} ${JSON.stringify(uploaded)}`);
    const uploadMs = performance.now() - started;
    const id = uploaded.import.id as string;
    const start = await json('POST', `/api/v1/imports/${id}/start`, token, { dryRun: false });
    if (start.status !== 202) throw new Error(`start ${label}: ${start.status} ${JSON.stringify(start.body)}`);
    // The owner connection, outside any tenant: a script's lookup of the organization it signed up.
    const [{ orgId: theOrg }] = await database.db.select({ orgId: imports.orgId }).from(imports).where(eq(imports.id, id)) as [{ orgId: string }];
    started = performance.now();
    const now = new Date();
    await importRunJob.run({ db: database.db, log: silentLogger, now, inOrg: (work) => inTenant(database.db, () => now, systemActor(theOrg), work) }, { orgId: theOrg });
    const runMs = performance.now() - started;
    const { baseMb, peakAboveMb } = memory.stop();
    const status = (await json('GET', `/api/v1/imports/${id}`, token)).body.import;
    console.log(
      `${kind.padEnd(8)} ${label.padEnd(15)} ${String(rows).padStart(7)} rows ${(bytes / 1048576).toFixed(1).padStart(5)} MB | upload ${(rows / (uploadMs / 1000)).toFixed(0).padStart(7)} rows/s | import ${(rows / (runMs / 1000)).toFixed(0).padStart(6)} rows/s (${(runMs / 1000).toFixed(1)} s) | end to end ${(rows / ((uploadMs + runMs) / 1000)).toFixed(0).padStart(6)} rows/s | RSS before ${baseMb.toFixed(0)} MB, peak +${peakAboveMb.toFixed(0)} MB | ${status.status} created ${status.counts.created} rejected ${status.counts.rejected}`,
    );
  };

  const dir = tmpdir();
  const contactsRow = (prefix: string) => (i: number) => `${prefix}${i}@bench-import.test,First${i},Last${i},Title ${i % 50},+1 555 ${String(i).padStart(7, '0')},Company ${i % 2000}`;
  const contactsHeader = 'Email,First Name,Last Name,Job Title,Phone Number,Company Name';
  const small = join(dir, `bench-import-contacts-10k.csv`);
  const large = join(dir, `bench-import-contacts-${CONTACTS}.csv`);
  const dealsFile = join(dir, `bench-import-deals-${DEALS}.csv`);
  await writeFile(small, contactsHeader, 10_000, contactsRow('s'));
  await writeFile(large, contactsHeader, CONTACTS, contactsRow('l'));
  await writeFile(dealsFile, 'Deal Name,Amount,Deal Stage,Close Date,Deal owner,Associated Company,Associated Contact', DEALS, (i) => `Deal ${i},"$${(i % 90) + 10},000",${stages[i % (stages.length - 2)]},2027-0${(i % 9) + 1}-15,admin@bench.test,Company ${i % 2000},l${i % CONTACTS}@bench-import.test`);
  try {
    await runFile('contacts-10k', 'contacts', small, 10_000);
    await runFile(`contacts-${CONTACTS / 1000}k`, 'contacts', large, CONTACTS);
    await runFile(`deals-${DEALS / 1000}k`, 'deals', dealsFile, DEALS);
  } finally {
    await Promise.all([small, large, dealsFile].map((f) => rm(f, { force: true })));
    await database.close();
    if (admin) {
      await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
      await admin.end();
    }
  }
}

async function main() {
  console.log(`bench:import — Node ${process.version}`);
  if (only !== 'pglite') await bench('postgres');
  if (only !== 'postgres') await bench('pglite');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
