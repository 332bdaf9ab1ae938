// `npm start`: the API, the demo inbox and (outside production) the demo data, on the embedded
// database or on Postgres.
import { demoCredentials } from '../db/demo-data.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './start.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const started = Date.now();

const server = await startServer(config, log).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
console.log(`
Inbox CRM on ${config.publicUrl}  (${where}, ready in ${Date.now() - started} ms)
  Web app:        ${config.publicUrl}/app/  (managers and admins)
  Demo inbox:     ${config.publicUrl}/demo/inbox/
  API reference:  ${config.publicUrl}/api/v1/docs
  OpenAPI:        ${config.publicUrl}/api/v1/openapi.json
  Outlook add-in: ${config.publicUrl.startsWith('https:') ? `${config.publicUrl}/outlook/manifest.xml` : 'needs an https PUBLIC_URL (TLS_CERT_FILE, TLS_KEY_FILE): see outlook-addin/README.md'}${config.demoData ? `
  Demo sign-in:   ${demoCredentials.rep} / ${demoCredentials.password}  (also ${demoCredentials.manager}, ${demoCredentials.admin})` : ''}
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
