// The product as `npm start` runs it, on a fresh embedded database (or a fresh Postgres database
// when DATABASE_URL is set), on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { startServer, type RunningServer } from '../../api/start.ts';
import { freePort } from '../../test-support/free-port.ts';

export async function startTestServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `crm_e2e_${randomBytes(4).toString('hex')}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const cleanup = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  }
  // The background work runs as in `npm start`: the events dispatcher and its consumers are what
  // turn a change into a notification or a live update. A known free port, so the public URL (which tracking pixels and links name) is the real one.
  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'true',
    DEMO_INBOX: 'true',
    JOBS: 'true',
  });
  const server = await startServer(config, silentLogger);
  return {
    ...server,
    close: async () => {
      await server.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

