// What the server and the admin command share: open and migrate the configured database, build
// auth on it, and guard the embedded database against a second process.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { createAuth } from './modules/identity/auth.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

/** `log` receives what auth writes for the operator (email verification links, until a mailer exists). */
export async function openRuntime(config: Config, log?: Logger) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite') });
  await database.migrate();
  const auth = createAuth({ db: database.db, secret: config.authSecret, baseURL: config.publicUrl, trustedOrigins: config.trustedOrigins, log });
  return { database, auth };
}

const pidFile = (config: Config) => join(config.dataDir, 'server.pid');

/** PGlite is one process's database: a second process on the same folder would corrupt it. */
export function embeddedDatabaseInUse(config: Config): number | null {
  if (config.databaseUrl || !existsSync(pidFile(config))) return null;
  const pid = Number(readFileSync(pidFile(config), 'utf8'));
  if (!pid || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // a stale file from a server that crashed
  }
}

export function claimEmbeddedDatabase(config: Config) {
  if (config.databaseUrl) return () => {};
  writeFileSync(pidFile(config), String(process.pid));
  return () => rmSync(pidFile(config), { force: true });
}
