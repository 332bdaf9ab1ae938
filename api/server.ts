// `npm start`: the API (and, in development, the demo data) on the embedded database or Postgres.
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { seedDemoData, demoCredentials } from '../db/demo-data.ts';
import { organizations } from '../db/schema.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from './runtime.ts';
import { createPasswordUser } from './services/accounts.service.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);

const busy = embeddedDatabaseInUse(config);
if (busy) {
  console.error(`Another server (pid ${busy}) is using the embedded database in ${config.dataDir}. Stop it, or set DATA_DIR to another folder.`);
  process.exit(1);
}

const started = Date.now();
const { database, auth } = await openRuntime(config);
const release = claimEmbeddedDatabase(config);

if (config.demoData) {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  if (row?.n === 0) {
    const demo = await seedDemoData(database.db, {
      now: new Date(),
      createUser: async (u) => (await createPasswordUser(auth, u)).userId,
    });
    log.info('demo organization created', { orgId: demo.orgId, users: demo.users.map((u) => `${u.email} (${u.role})`) });
  }
}

const app = createApp({ db: database.db, auth, log, publicUrl: config.publicUrl });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
  const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  console.log(`
Inbox CRM API on ${config.publicUrl}  (${where}, ready in ${Date.now() - started} ms)
  API reference:  ${config.publicUrl}/api/v1/docs
  OpenAPI:        ${config.publicUrl}/api/v1/openapi.json${config.demoData ? `
  Demo sign-in:   ${demoCredentials.rep} / ${demoCredentials.password}  (also ${demoCredentials.manager}, ${demoCredentials.admin})
  Try it:         curl -s -X POST ${config.publicUrl}/api/v1/session -H 'content-type: application/json' \\
                    -d '{"email":"${demoCredentials.rep}","password":"${demoCredentials.password}"}'` : ''}
`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  server.close();
  await database.close().catch(() => undefined);
  release();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
