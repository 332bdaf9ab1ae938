// `npm run bench:sync`: the CRM sync's initial import and an incremental pull, against the
// Salesforce and HubSpot stand-ins at their bench size (2,000 companies, 10,000 contacts, 5,000
// deals; BENCH_SYNC_VOLUME=small for a quick look) with their real limits enforced (HubSpot 190
// requests per rolling 10 s and 5 searches per second; Salesforce query batches of 2,000 and its
// concurrency limit), on Postgres (DATABASE_URL, default the local test server; a scratch database
// `crm_bench_sync`, dropped afterwards).
//
// Per CRM: wall time, records/s, API calls made and failed, and for HubSpot the wall time divided
// by the rate-limit floor for the calls made (the least time those calls can take within 190 per
// 10 s and 5 searches per second). Then 100 records changed in the CRM and an incremental sync.
// Prints figures; asserts nothing (the machine is shared and noisy). Activities are not pulled yet.
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../api/app.ts';
import { sandboxEndpoints } from '../api/integrations/crm-config.ts';
import { createCrmDeps } from '../api/integrations/crm-deps.ts';
import { silentLogger } from '../api/log.ts';
import { runConnectionSync, type SyncRunResult } from '../api/modules/crm/sync-run.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import { systemClock } from '../api/platform/tenancy/scope.ts';
import { openDatabase } from '../db/client.ts';
import { crmConnections } from '../db/schema/index.ts';
import { startHubSpotSandbox } from '../sandbox/hubspot/index.ts';
import { startSalesforceSandbox } from '../sandbox/salesforce/index.ts';
import { testCrmKeyring } from '../test-support/crm.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'crm_bench_sync';
const volume = (process.env.BENCH_SYNC_VOLUME ?? 'bench') as 'bench' | 'small';

async function main() {
  const sf = await startSalesforceSandbox({ volume });
  const hs = await startHubSpotSandbox({ volume });
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  const url = new URL(serverUrl);
  url.pathname = `/${DB_NAME}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 10 });
  try {
    await database.migrate();
    const crm = createCrmDeps({
      keyring: testCrmKeyring,
      live: { salesforce: { loginUrl: 'https://login.salesforce.com', app: null }, hubspot: { apiBaseUrl: 'https://api.hubapi.com', authorizeUrl: 'https://app.hubspot.com/oauth/authorize', app: null } },
      sandbox: sandboxEndpoints(sf.url, hs.url),
      headroomShare: 0.1,
      salesforceApiVersion: '62.0',
    });
    const auth = createAuth({ db: database.db, secret: 'bench-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
    const app = createApp({ db: database.db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost:8787', crm }, { dashboard: false, demoInbox: false });
    const json = async (method: string, path: string, token: string | null, body?: unknown) => {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const signup = await json('POST', '/api/v1/signup', null, { name: 'Bench Admin', email: 'admin@bench.test', password: 'correct-horse-1', organizationName: 'Bench' });
    if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
    const token = signup.body.token as string;
    const sfToken = sf.control.issueToken();
    const connect = async (body: unknown) => {
      const res = await json('POST', '/api/v1/crm/connections', token, body);
      if (res.status !== 201) throw new Error(`connect: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const connections = {
      salesforce: await connect({ provider: 'salesforce', sandbox: true, instanceUrl: sfToken.instanceUrl, accessToken: sfToken.accessToken }),
      hubspot: await connect({ provider: 'hubspot', sandbox: true, accessToken: hs.control.privateAppToken() }),
    };
    const [{ orgId }] = (await database.db.select({ orgId: crmConnections.orgId }).from(crmConnections).where(eq(crmConnections.id, connections.hubspot))) as [{ orgId: string }];
    const run = async (id: string) => {
      const started = performance.now();
      const result = await runConnectionSync({ db: database.db, clock: systemClock, crm }, orgId, id);
      if (!result) throw new Error('the run did not start');
      return { result, ms: performance.now() - started };
    };
    const records = (r: SyncRunResult) => r.counts.created + r.counts.updated + r.counts.skipped + r.counts.deleted + r.counts.conflicts;
    const line = (label: string, r: SyncRunResult, ms: number, extra = '') =>
      console.log(`${label.padEnd(24)} ${r.status.padEnd(9)} ${(ms / 1000).toFixed(1).padStart(6)} s | ${String(records(r)).padStart(6)} records ${(records(r) / (ms / 1000)).toFixed(0).padStart(6)}/s | created ${r.counts.created} updated ${r.counts.updated} conflicts ${r.counts.conflicts} errors ${r.counts.errors} | API calls ${r.apiCalls}, failed ${r.failedCalls}${extra}${r.error ? ` | ${r.error.code}: ${r.error.message}` : ''}`);

    hs.control.clearCalls();
    const hsImport = await run(connections.hubspot);
    const hsCalls = hs.control.calls();
    const searches = hsCalls.filter((c) => c.path.includes('/search')).length;
    const floorMs = Math.max((hsCalls.length / 190) * 10_000, (searches / 5) * 1000);
    line('HubSpot initial import', hsImport.result, hsImport.ms, ` | ${hsCalls.length} requests (${searches} searches), rate-limit floor ${(floorMs / 1000).toFixed(1)} s, wall ÷ floor ${(hsImport.ms / floorMs).toFixed(2)}, 429s ${hsCalls.filter((c) => c.status === 429).length} (${hsCalls.filter((c) => c.status === 429).map((c) => c.path.split('?')[0]).join(', ')})`);
    sf.control.clearCalls();
    const sfImport = await run(connections.salesforce);
    line('Salesforce initial import', sfImport.result, sfImport.ms, ` | ${sf.control.calls().length} requests`);

    // 100 records changed on each side, as a CRM user would.
    for (const c of hs.control.records('contacts').slice(0, 100)) hs.control.update('contacts', String((c as { id: string }).id), { jobtitle: 'Changed for the bench' });
    for (const c of sf.control.records('Contact').slice(0, 100)) sf.control.update('Contact', c.Id as string, { Title: 'Changed for the bench' });
    const hsIncremental = await run(connections.hubspot);
    line('HubSpot incremental', hsIncremental.result, hsIncremental.ms);
    const sfIncremental = await run(connections.salesforce);
    line('Salesforce incremental', sfIncremental.result, sfIncremental.ms);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await admin.end();
    await sf.close();
    await hs.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
