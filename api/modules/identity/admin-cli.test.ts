// The admin command works on the server's database and prints one line of JSON that scripts use.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { createApp } from '../../app.ts';
import { createAuth } from './auth.ts';
import { silentLogger } from '../../log.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'crm-admin-'));
let databaseUrl: string | undefined;
let closeDatabase = async () => {};

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const database = await openTestDatabase();
    databaseUrl = database.url;
    closeDatabase = () => database.close();
  }
});
afterAll(async () => {
  await closeDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

async function admin(...args: string[]) {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'error' };
  if (!databaseUrl) delete (env as Record<string, string | undefined>).DATABASE_URL;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'api/modules/identity/admin-cli.ts', ...args], { env, cwd: process.cwd() });
    return { code: 0, json: JSON.parse(stdout.trim().split('\n').pop()!), stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, json: null, stderr: e.stderr };
  }
}

describe('npm run admin', () => {
  it('creates an organization with its admin, then a user with a role; both keys work', async () => {
    const org = await admin('org:create', '--name', 'Initech', '--email', 'bill@initech.test', '--password', 'tps-reports');
    expect(org.code).toBe(0);
    expect(Object.keys(org.json).sort()).toEqual(['apiKey', 'orgId', 'userId']);
    const user = await admin('user:create', '--org', org.json.orgId, '--email', 'peter@initech.test', '--role', 'rep');
    expect(user.code).toBe(0);
    expect(Object.keys(user.json).sort()).toEqual(['apiKey', 'userId']);

    const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
    try {
      const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost' });
      const app = createApp({ db: database.db, auth, log: silentLogger, publicUrl: 'http://localhost' });
      const me = async (key: string) => (await app.request('/api/v1/me', { headers: { authorization: `Bearer ${key}` } })).json();
      expect(await me(org.json.apiKey)).toMatchObject({ role: 'admin', organization: { id: org.json.orgId, name: 'Initech' }, user: { email: 'bill@initech.test' } });
      expect(await me(user.json.apiKey)).toMatchObject({ role: 'rep', organization: { id: org.json.orgId } });
      const signIn = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bill@initech.test', password: 'tps-reports' }) });
      expect(signIn.status).toBe(200);
    } finally {
      await database.close();
    }
  }, 120_000);

  it.each([
    [['org:create', '--email', 'x@y.test'], /--name is required/],
    [['user:create', '--org', '00000000-0000-4000-8000-000000000000', '--email', 'x@y.test', '--role', 'owner'], /--role must be one of/],
    [['user:create', '--org', '00000000-0000-4000-8000-000000000000', '--email', 'x@y.test', '--role', 'rep'], /No organization/],
    [['org:create', '--name', 'X', '--email', 'not-an-email'], /--email must be an email address/],
    [['launch-rockets', '--email', 'x@y.test'], /Unknown command/],
  ])('refuses %j with a usage message and exit code 2', async (args, message) => {
    const result = await admin(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))('refuses to open the embedded database while a server holds it', async () => {
    writeFileSync(join(dataDir, 'server.pid'), String(process.pid));
    try {
      const result = await admin('org:create', '--name', 'X', '--email', 'x@y.test');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/stop it first/);
    } finally {
      rmSync(join(dataDir, 'server.pid'));
    }
  });
});
