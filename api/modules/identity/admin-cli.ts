// `npm run admin -- <command>`: organization, user and tracking administration on the server's
// database (same DATABASE_URL / DATA_DIR). Prints one line of JSON per command, for scripts and tests.
//
// An address that already has an account is never taken silently: an unverified account (anyone can
// sign up with any address) is refused outright, since its registrant may not own the mailbox; a
// verified one is attached only with --existing-user, and its password is never changed here.
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { roles, systemActor, type Role } from '../../../core/roles.ts';
import type { Db } from '../../../db/client.ts';
import { memberships, organizations, user } from '../../../db/schema/index.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { claimEmbeddedDatabase, embeddedDatabaseInUse, openRuntime } from '../../runtime.ts';
import { inTenant, systemClock } from '../../platform/tenancy/scope.ts';
import { resumeTrackedLinks, setTrackingQuotas, suspendTrackedLinks } from '../tracking/tracking-protection.service.ts';
import { createPasswordUser } from './accounts.service.ts';
import { createApiKey } from './api-keys.service.ts';
import type { Auth } from './auth.ts';
import { updateMember } from './members.service.ts';
import { addMember, createOrganization } from './organizations.service.ts';
import { setEnterprise } from '../billing/billing.service.ts';

const usage = `Usage:
  npm run admin -- org:create --name NAME --email EMAIL [--password PASSWORD | --existing-user]
  npm run admin -- user:create --org ORG_ID --email EMAIL --role admin|manager|rep|readonly [--name NAME] [--password PASSWORD | --existing-user]
  npm run admin -- tracking:suspend --org ORG_ID --reason TEXT     stop the organization's tracked links redirecting
  npm run admin -- tracking:resume --org ORG_ID
  npm run admin -- tracking:limits --org ORG_ID [--messages-per-day N|default] [--link-hosts-per-day N|default]
  npm run admin -- billing:enterprise --org ORG_ID [--off]     put the organization on Enterprise (unlimited), or take it off
Without --password the person can use the printed API key but cannot sign in with a password.
An address that already has an account: if it was never verified, the command refuses (invite the
address from the organization instead: the invitation proves the address); if it is verified, add
--existing-user to attach that account (its password is not changed).`;

class UsageError extends Error {}

type Person = { userId: string; existingUser: boolean };

async function personFor(db: Db, auth: Auth, input: { email: string; name: string; password?: string; existingUser: boolean }): Promise<Person> {
  const [existing] = await db.select({ id: user.id, emailVerified: user.emailVerified }).from(user).where(sql`lower(${user.email}) = ${input.email.toLowerCase()}`);
  if (existing && !existing.emailVerified) {
    throw new UsageError(
      `An account for ${input.email} exists but its address was never verified: whoever registered it may not own that mailbox, so it is not attached. ` +
        'Invite the address from the organization instead (POST /api/v1/invitations as an admin): the invitation proves the address, and its owner can take the account over.',
    );
  }
  if (existing && !input.existingUser) {
    throw new UsageError(`An account for ${input.email} already exists. Add --existing-user to attach that account (its password is not changed).`);
  }
  if (existing) return { userId: existing.id, existingUser: true };
  if (input.existingUser) throw new UsageError(`--existing-user: there is no account for ${input.email}`);
  if (input.password) return { ...(await createPasswordUser({ db, auth, clock: systemClock }, { email: input.email, name: input.name, password: input.password })), existingUser: false };
  // No password: an API-key-only person. The operator vouches for the address.
  const [created] = await db.insert(user).values({ email: input.email.toLowerCase(), name: input.name, emailVerified: true }).returning({ id: user.id });
  return { userId: created!.id, existingUser: false };
}

const ORG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function organizationOf(db: Db, id: string | undefined) {
  if (!id || !ORG_ID.test(id)) throw new UsageError('--org must be an organization id');
  const [org] = await db.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw new UsageError(`No organization ${id}`);
  return org;
}

function quota(name: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'default') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new UsageError(`${name} must be a whole number from 1 to 10000000, or "default"`);
  return n;
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      'existing-user': { type: 'boolean' },
      reason: { type: 'string' },
      'messages-per-day': { type: 'string' },
      'link-hosts-per-day': { type: 'string' },
      off: { type: 'boolean' },
    },
    strict: true,
  });
  const known = ['org:create', 'user:create', 'tracking:suspend', 'tracking:resume', 'tracking:limits', 'billing:enterprise'];
  if (!command || !known.includes(command)) throw new UsageError(`Unknown command ${command ?? '(none)'}`);
  const forPerson = command === 'org:create' || command === 'user:create';
  const email = values.email?.trim();
  if (forPerson) {
    if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
    if (values.password !== undefined && values.password.length < 8) throw new UsageError('--password must have at least 8 characters');
    if (values.password !== undefined && values['existing-user']) throw new UsageError('--password cannot be combined with --existing-user: an existing account\'s password is never changed here');
  }
  if (command === 'tracking:suspend' && !values.reason?.trim()) throw new UsageError('--reason is required: say why, for the organization\'s admins and the next operator');
  if (command === 'tracking:limits' && values['messages-per-day'] === undefined && values['link-hosts-per-day'] === undefined) {
    throw new UsageError('tracking:limits needs --messages-per-day or --link-hosts-per-day');
  }
  const quotas = { messagesPerDay: quota('--messages-per-day', values['messages-per-day']), linkHostsPerDay: quota('--link-hosts-per-day', values['link-hosts-per-day']) };

  const config = loadConfig();
  const busy = embeddedDatabaseInUse(config);
  if (busy) throw new UsageError(`The server (pid ${busy}) is using the embedded database in ${config.dataDir}; stop it first (or use Postgres via DATABASE_URL).`);
  const { database, auth } = await openRuntime(config, createLogger('warn', (line) => process.stderr.write(line + '\n')));
  const release = claimEmbeddedDatabase(config);
  try {
    const db = database.db;
    if (command === 'org:create') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('--name is required');
      const person = await personFor(db, auth, { email: email!, name: email!.split('@')[0]!, password: values.password, existingUser: values['existing-user'] ?? false });
      const org = await db.transaction((tx) => createOrganization(tx, systemClock, { name, adminUserId: person.userId, via: 'admin_cli' }));
      const key = await inTenant(db, systemClock, systemActor(org.id), (s) => createApiKey(s, 'admin CLI', person.userId));
      return { orgId: org.id, userId: person.userId, apiKey: key.key, existingUser: person.existingUser };
    }
    if (command === 'user:create') {
      const role = values.role as Role;
      if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
      const org = await organizationOf(db, values.org);
      const person = await personFor(db, auth, { email: email!, name: values.name ?? email!.split('@')[0]!, password: values.password, existingUser: values['existing-user'] ?? false });
      const key = await inTenant(db, systemClock, systemActor(org.id), async (s) => {
        const [member] = await s.db.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, person.userId));
        if (!member) await addMember(s, person.userId, role, 'admin_cli');
        else if (member.role !== role) await updateMember(s, person.userId, { role });
        return createApiKey(s, 'admin CLI', person.userId);
      });
      return { userId: person.userId, apiKey: key.key, existingUser: person.existingUser };
    }
    const org = await organizationOf(db, values.org);
    return inTenant(db, systemClock, systemActor(org.id), async (s): Promise<object> => {
      if (command === 'tracking:suspend') return suspendTrackedLinks(s, values.reason!.trim());
      if (command === 'tracking:resume') return resumeTrackedLinks(s);
      if (command === 'billing:enterprise') return { plan: await setEnterprise(s, !values.off) };
      return setTrackingQuotas(s, quotas);
    });
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
