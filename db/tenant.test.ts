// The first wall on its own: the scoped query builder confines reads and writes to its
// organization even on a connection that bypasses row-level security (the owner role), so the
// API's isolation does not depend on RLS.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/database.ts';
import { rowsOf, type Database } from './client.ts';
import { companies, contacts, organizations, user } from './schema/index.ts';
import { scopedDb, type TenantDb } from './tenant.ts';

let database: Database;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  database = await openTestDatabase();
  const { db } = database;
  [orgA, orgB] = (await db.insert(organizations).values([{ name: 'A' }, { name: 'B' }]).returning()).map((o) => o.id) as [string, string];
  for (const [org, email] of [[orgA, 'ann@a.test'], [orgB, 'bob@b.test']] as const) {
    const [company] = await db.insert(companies).values({ orgId: org, name: `Co ${email}`, domain: email.split('@')[1] }).returning();
    await db.insert(contacts).values({ orgId: org, email, firstName: 'X', companyId: company!.id });
  }
});
afterAll(() => database.close());

/** Runs work as the database owner (RLS does not apply) with org A's scoped builder. */
const asOwnerInA = <T>(work: (t: TenantDb) => Promise<T>) => database.db.transaction((tx) => work(scopedDb(tx, orgA)));

describe('the scoped query builder, with row-level security out of the way', () => {
  it('sees that the owner connection really bypasses RLS (so the checks below test the builder alone)', async () => {
    const all = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from contacts`));
    expect(all[0]!.n).toBe(2);
  });

  it('selects only its organization\'s rows, with or without a WHERE, and with a WHERE callback', async () => {
    const emails = await asOwnerInA(async (t) => ({
      plain: (await t.select().from(contacts)).map((c) => c.email),
      where: (await t.select().from(contacts).where(eq(contacts.firstName, 'X'))).map((c) => c.email),
      callback: (await t.select({ email: contacts.email }).from(contacts).where((f) => sql`${f.email} like '%@%'`)).map((c) => c.email),
      distinct: (await t.selectDistinct({ email: contacts.email }).from(contacts)).map((c) => c.email),
    }));
    expect(emails).toEqual({ plain: ['ann@a.test'], where: ['ann@a.test'], callback: ['ann@a.test'], distinct: ['ann@a.test'] });
  });

  it('confines joined tenant tables to its organization too, and leaves global tables alone', async () => {
    const rows = await asOwnerInA((t) =>
      t.select({ email: contacts.email, company: companies.name }).from(companies).leftJoin(contacts, sql`true`),
    );
    expect(rows).toEqual([{ email: 'ann@a.test', company: 'Co ann@a.test' }]);
    await database.db.insert(user).values({ email: 'global@x.test', name: 'Global' });
    const users = await asOwnerInA((t) => t.select().from(user).where(eq(user.email, 'global@x.test')));
    expect(users).toHaveLength(1);
  });

  it('updates and deletes only its organization\'s rows, whatever the WHERE says', async () => {
    const updated = await asOwnerInA((t) => t.update(contacts).set({ lastName: 'Scoped' }).where(sql`true`).returning({ email: contacts.email }));
    expect(updated.map((r) => r.email)).toEqual(['ann@a.test']);
    const deleted = await asOwnerInA((t) => t.delete(contacts).where(eq(contacts.email, 'bob@b.test')).returning());
    expect(deleted).toEqual([]);
    const bob = await database.db.select().from(contacts).where(eq(contacts.email, 'bob@b.test'));
    expect(bob[0]).toMatchObject({ lastName: null });
  });

  it('fills in its organization on insert and refuses a row for another one', async () => {
    const [created] = await asOwnerInA((t) => t.insert(contacts).values({ email: 'new@a.test' } as typeof contacts.$inferInsert).returning());
    expect(created!.orgId).toBe(orgA);
    await expect(asOwnerInA((t) => t.insert(contacts).values({ orgId: orgB, email: 'sneaky@b.test' }))).rejects.toThrow(/another organization/);
    await expect(asOwnerInA((t) => t.update(contacts).set({ orgId: orgB }).where(eq(contacts.email, 'new@a.test')))).rejects.toThrow(/another organization/);
    const sneaky = await database.db.select().from(contacts).where(and(eq(contacts.orgId, orgB), eq(contacts.email, 'sneaky@b.test')));
    expect(sneaky).toEqual([]);
  });
});
