// `npm run admin -- <command>`: organization and user administration on the server's database
// (same DATABASE_URL / DATA_DIR). Prints one line of JSON per command, for scripts and tests.
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { roles, type Role } from '../../../core/roles.ts';
import type { Db } from '../../../db/client.ts';
import { memberships, organizations, user } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { Auth } from './auth.ts';
import { loadConfig } from '../../config.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from '../../runtime.ts';
import { createApiKey, createOrganization, createPasswordUser } from './accounts.service.ts';

const usage = `Usage:
  npm run admin -- org:create --name NAME --email EMAIL [--password PASSWORD]
  npm run admin -- user:create --org ORG_ID --email EMAIL --role admin|manager|rep|readonly [--name NAME] [--password PASSWORD]
Without --password the person can use the printed API key but cannot sign in with a password.`;

class UsageError extends Error {}

async function findOrCreateUser(db: Db, auth: Auth, email: string, name: string, password?: string) {
  const [existing] = await db.select({ id: user.id }).from(user).where(sql`lower(${user.email}) = ${email.toLowerCase()}`);
  if (existing) return existing.id;
  if (password) return (await createPasswordUser(auth, { email, name, password })).userId;
  const [created] = await db.insert(user).values({ email: email.toLowerCase(), name }).returning({ id: user.id });
  return created!.id;
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } },
    strict: true,
  });
  const email = values.email?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
  if (values.password !== undefined && values.password.length < 8) throw new UsageError('--password must have at least 8 characters');
  if (command !== 'org:create' && command !== 'user:create') throw new UsageError(`Unknown command ${command ?? '(none)'}`);

  const config = loadConfig();
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new UsageError(`The server (pid ${busy}) is using the embedded database in ${config.dataDir}; stop it first (or use Postgres via DATABASE_URL).`);
  const { database, auth } = await openRuntime(config);
  const release = claimEmbeddedDatabase(config);
  try {
    const db = database.db;
    if (command === 'org:create') {
      if (!values.name?.trim()) throw new UsageError('--name is required');
      const userId = await findOrCreateUser(db, auth, email, email.split('@')[0]!, values.password);
      const org = await createOrganization(db, values.name.trim(), userId);
      const key = await withTenant(db, org.id, (tx) => createApiKey(tx, { orgId: org.id, userId, role: 'admin' }, 'admin CLI'));
      return { orgId: org.id, userId, apiKey: key.key };
    }
    const role = values.role as Role;
    if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
    if (!values.org || !/^[0-9a-f-]{36}$/i.test(values.org)) throw new UsageError('--org must be an organization id');
    const [org] = await db.select().from(organizations).where(eq(organizations.id, values.org));
    if (!org) throw new UsageError(`No organization ${values.org}`);
    const userId = await findOrCreateUser(db, auth, email, values.name ?? email.split('@')[0]!, values.password);
    await withTenant(db, org.id, (tx) => tx.insert(memberships).values({ orgId: org.id, userId, role }).onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role } }));
    const key = await withTenant(db, org.id, (tx) => createApiKey(tx, { orgId: org.id, userId, role }, 'admin CLI'));
    return { userId, apiKey: key.key };
  } finally {
    await database.close();
    release();
  }
}

main(process.argv.slice(2)).then(
  (result) => {
    console.log(JSON.stringify(result));
  },
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${usage}` : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
