// The admin command works on the server's database and prints one line of JSON that scripts use.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../../db/client.ts';
import { organizations, trackingProtections } from '../../../db/schema/index.ts';
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

/** The database the command works on, with an app over it, for as long as `work` runs (PGlite: one process at a time). */
async function withApp<T>(work: (app: ReturnType<typeof createApp>, database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
  try {
    const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost' });
    return await work(createApp({ db: database.db, auth, log: silentLogger, clock: () => new Date(), publicUrl: 'http://localhost' }), database);
  } finally {
    await database.close();
  }
}

const post = (app: ReturnType<typeof createApp>, path: string, body: unknown, token?: string) =>
  app.request(`/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('npm run admin', () => {
  it('creates an organization with its admin, then a user with a role; both keys work', async () => {
    const org = await admin('org:create', '--name', 'Initech', '--email', 'bill@initech.test', '--password', 'tps-reports');
    expect(org.code).toBe(0);
    expect(Object.keys(org.json).sort()).toEqual(['apiKey', 'existingUser', 'orgId', 'userId']);
    expect(org.json.existingUser).toBe(false);
    const user = await admin('user:create', '--org', org.json.orgId, '--email', 'peter@initech.test', '--role', 'rep');
    expect(user.code).toBe(0);
    expect(Object.keys(user.json).sort()).toEqual(['apiKey', 'existingUser', 'userId']);

    const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
    try {
      const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost' });
      const app = createApp({ db: database.db, auth, log: silentLogger, clock: () => new Date(), publicUrl: 'http://localhost' });
      const me = async (key: string) => (await app.request('/api/v1/me', { headers: { authorization: `Bearer ${key}` } })).json();
      expect(await me(org.json.apiKey)).toMatchObject({ role: 'admin', organization: { id: org.json.orgId, name: 'Initech' }, user: { email: 'bill@initech.test' } });
      expect(await me(user.json.apiKey)).toMatchObject({ role: 'rep', organization: { id: org.json.orgId } });
      const signIn = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bill@initech.test', password: 'tps-reports' }) });
      expect(signIn.status).toBe(200);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('refuses an address someone registered without verifying it, and attaches that account to nothing', async () => {
    // A stranger signs up with the address before the operator creates the organization for its owner.
    const stranger = await withApp(async (app) => (await post(app, '/signup', { name: 'Stranger', email: 'ceo@globex.test', password: 'stranger-pass', organizationName: 'Squat' })).json());
    expect(stranger.user.email).toBe('ceo@globex.test');

    for (const args of [
      ['org:create', '--name', 'Globex', '--email', 'ceo@globex.test', '--password', 'operator-chosen'],
      ['org:create', '--name', 'Globex', '--email', 'CEO@globex.test', '--existing-user'],
    ]) {
      const result = await admin(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/never verified/);
      expect(result.stderr).toMatch(/Invite the address/);
    }
    const user = await admin('user:create', '--org', stranger.organization.id, '--email', 'ceo@globex.test', '--role', 'admin', '--existing-user');
    expect(user.code).toBe(2);

    await withApp(async (app, database) => {
      const me = await (await app.request('/api/v1/me', { headers: { authorization: `Bearer ${stranger.token}` } })).json();
      expect(me.organizations.map((o: { name: string }) => o.name)).toEqual(['Squat']);
      const orgs = await database.db.select().from(organizations);
      expect(orgs.map((o) => o.name)).not.toContain('Globex');
      // The operator's password did not replace the stranger's, either.
      expect((await post(app, '/session', { email: 'ceo@globex.test', password: 'operator-chosen' })).status).toBe(401);
    });
  }, 120_000);

  it('attaches an existing verified account only when told to, and never changes its password', async () => {
    const first = await admin('org:create', '--name', 'Hooli', '--email', 'gavin@hooli.test', '--password', 'gavin-password');
    expect(first.code).toBe(0);
    const refused = await admin('org:create', '--name', 'Hooli XYZ', '--email', 'gavin@hooli.test');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists\. Add --existing-user/);
    const withPassword = await admin('org:create', '--name', 'Hooli XYZ', '--email', 'gavin@hooli.test', '--existing-user', '--password', 'new-password');
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toMatch(/password is never changed/);

    const second = await admin('org:create', '--name', 'Hooli XYZ', '--email', 'gavin@hooli.test', '--existing-user');
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ userId: first.json.userId, existingUser: true });
    await withApp(async (app) => {
      expect((await post(app, '/session', { email: 'gavin@hooli.test', password: 'gavin-password' })).status).toBe(200);
      const me = await (await app.request('/api/v1/me', { headers: { authorization: `Bearer ${second.json.apiKey}` } })).json();
      expect(me.organizations.map((o: { name: string }) => o.name)).toEqual(['Hooli', 'Hooli XYZ']);
    });
  }, 120_000);

  it('suspends and resumes an organization\'s tracked links, and sets its quotas', async () => {
    const org = await admin('org:create', '--name', 'Spamco', '--email', 'boss@spamco.test');
    const suspended = await admin('tracking:suspend', '--org', org.json.orgId, '--reason', 'phishing reported by abuse@');
    expect(suspended.code).toBe(0);
    expect(suspended.json).toMatchObject({ orgId: org.json.orgId, linksSuspended: true, reason: 'phishing reported by abuse@' });
    await withApp(async (_app, database) => {
      const [row] = await database.db.select().from(trackingProtections).where(eq(trackingProtections.orgId, org.json.orgId));
      expect(row?.suspendedReason).toBe('phishing reported by abuse@');
    });
    const limits = await admin('tracking:limits', '--org', org.json.orgId, '--messages-per-day', '20', '--link-hosts-per-day', 'default');
    expect(limits.json).toMatchObject({ messagesPerDay: 20, linkHostsPerDay: null });
    const resumed = await admin('tracking:resume', '--org', org.json.orgId);
    expect(resumed.json).toMatchObject({ linksSuspended: false });
    await withApp(async (_app, database) => {
      const [row] = await database.db.select().from(trackingProtections).where(eq(trackingProtections.orgId, org.json.orgId));
      expect(row).toMatchObject({ redirectsSuspendedAt: null, messagesPerDay: 20, linkHostsPerDay: null });
    });
  }, 120_000);

  it.each([
    [['org:create', '--email', 'x@y.test'], /--name is required/],
    [['tracking:suspend', '--org', '00000000-0000-4000-8000-000000000000'], /--reason is required/],
    [['tracking:limits', '--org', '00000000-0000-4000-8000-000000000000', '--messages-per-day', 'lots'], /--messages-per-day must be a whole number/],
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
