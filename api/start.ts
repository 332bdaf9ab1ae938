// Starts the whole product on a configuration: migrate, seed the demo organization on an empty
// database, start the scheduled jobs, serve the API (and the demo inbox). `npm start` and the
// browser tests both use it.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { seedDemoData } from '../db/demo-data.ts';
import { organizations } from '../db/schema/index.ts';
import { withTenant } from '../db/tenant.ts';
import { createApp } from './app.ts';
import { jobs } from './platform/jobs/registry.ts';
import { startScheduler } from './platform/jobs/scheduler.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from './runtime.ts';
import { createPasswordUser } from './modules/identity/accounts.service.ts';
import { recomputeRisk } from './modules/risk/risk.service.ts';
import { HitBuffer } from './modules/tracking/hit-buffer.ts';

export interface RunningServer {
  url: string;
  port: number;
  /** Whether this start created the demo organization. */
  seeded: boolean;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new Error(`Another server (pid ${busy}) is using the embedded database in ${config.dataDir}. Stop it, or set DATA_DIR to another folder.`);
  const { database, auth } = await openRuntime(config);
  const release = claimEmbeddedDatabase(config);

  let seeded = false;
  if (config.demoData) {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
    if (row?.n === 0) {
      const demo = await seedDemoData(database.db, { now: new Date(), createUser: async (u) => (await createPasswordUser(auth, u)).userId });
      // Seeded rows bypass the services, so score the open deals once here.
      await withTenant(database.db, demo.orgId, (tx) => recomputeRisk(tx, demo.orgId, 'all-open'));
      seeded = true;
      log.info('demo organization created', { orgId: demo.orgId, users: demo.users.map((u) => `${u.email} (${u.role})`) });
    }
  }

  // After migrations and the seed, so the first runs find scored deals. JOBS=false turns it off.
  const scheduler = config.jobs ? await startScheduler({ database, databaseUrl: config.databaseUrl, jobs, log }) : null;

  // Its first settle pass also classifies hits a previous run wrote but had not settled yet.
  const hits = new HitBuffer({ db: database.db, log });
  hits.start();
  const app = createApp({ db: database.db, auth, log, publicUrl: config.publicUrl, tracking: { ...config.tracking, hits } }, { demoInbox: config.demoInbox });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    seeded,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // After the last request, first (a shutdown may be cut short): tracking hits still in memory are written.
      await hits.drain();
      log.info('tracking hits drained', { ...hits.counters });
      // Running jobs finish (up to 30 s) while the database is still open.
      await scheduler?.stop().catch((err: unknown) => log.error('job scheduler did not stop cleanly', { error: String(err) }));
      await database.close().catch(() => undefined);
      release();
    },
  };
}
