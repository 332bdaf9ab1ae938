// Row-level security checked directly in the database, beneath the API: the second wall.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/database.ts';
import { rowsOf, type Database } from './client.ts';
import { withTenant } from './tenant.ts';

let database: Database;
let orgA: string;
let orgB: string;

const one = async <T>(query: Promise<unknown>) => rowsOf<T>(await query)[0]!;

beforeAll(async () => {
  database = await openTestDatabase();
  const { db } = database;
  orgA = (await one<{ id: string }>(db.execute(sql`insert into organizations (name) values ('A') returning id`))).id;
  orgB = (await one<{ id: string }>(db.execute(sql`insert into organizations (name) values ('B') returning id`))).id;
  for (const [org, email] of [[orgA, 'ann@a.test'], [orgB, 'bob@b.test']] as const) {
    const company = await one<{ id: string }>(db.execute(sql`insert into companies (org_id, name, domain) values (${org}, ${'Co ' + email}, ${email.split('@')[1]}) returning id`));
    await db.execute(sql`insert into contacts (org_id, email, first_name, company_id) values (${org}, ${email}, 'X', ${company.id})`);
  }
});
afterAll(() => database.close());

const tenantTables = async () =>
  rowsOf<{ table_name: string }>(
    await database.db.execute(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id' order by 1`),
  ).map((r) => r.table_name);

describe('row-level security', () => {
  it('is enabled, with a tenant policy, on every table that carries org_id', async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThanOrEqual(15);
    const rows = rowsOf<{ relname: string; relrowsecurity: boolean; policies: number }>(
      await database.db.execute(sql`
        select c.relname, c.relrowsecurity, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = any(${sql.raw(`array[${tables.map((t) => `'${t}'`).join(',')}]`)})`),
    );
    expect(rows).toHaveLength(tables.length);
    for (const row of rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, policies: 1 });
  });

  it('runs tenant queries as a role that is not superuser, not owner and cannot bypass RLS', async () => {
    const role = await withTenant(database.db, orgA, async (tx) =>
      one<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
        tx.execute(sql`select current_user, r.rolsuper, r.rolbypassrls,
          (select count(*)::int from pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as owns
          from pg_roles r where r.rolname = current_user`),
      ),
    );
    expect(role).toEqual({ current_user: 'app_user', rolsuper: false, rolbypassrls: false, owns: 0 });
  });

  it('shows each tenant only its own rows', async () => {
    for (const [org, email] of [[orgA, 'ann@a.test'], [orgB, 'bob@b.test']] as const) {
      const emails = await withTenant(database.db, org, async (tx) => rowsOf<{ email: string }>(await tx.execute(sql`select email from contacts`)));
      expect(emails.map((r) => r.email)).toEqual([email]);
    }
  });

  it('shows no rows at all without the tenant setting, on every tenant table', async () => {
    const tables = await tenantTables();
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local role app_user`);
      for (const table of [...tables, 'organizations']) {
        const row = await one<{ n: number }>(tx.execute(sql.raw(`select count(*)::int as n from "${table}"`)));
        expect(row.n, table).toBe(0);
      }
    });
  });

  it('does not carry a tenant over to the next transaction on the same connection', async () => {
    await withTenant(database.db, orgA, async () => undefined);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local role app_user`);
      expect((await one<{ n: number }>(tx.execute(sql`select count(*)::int as n from contacts`))).n).toBe(0);
    });
  });

  it('rejects writing a row into another tenant and updating another tenant\'s rows', async () => {
    await expect(
      withTenant(database.db, orgA, (tx) => tx.execute(sql`insert into contacts (org_id, email) values (${orgB}, 'sneaky@b.test')`)),
    ).rejects.toThrow();
    const updated = await withTenant(database.db, orgA, async (tx) =>
      rowsOf(await tx.execute(sql`update contacts set first_name = 'hacked' where email = 'bob@b.test' returning id`)),
    );
    expect(updated).toHaveLength(0);
    const bob = await one<{ first_name: string }>(database.db.execute(sql`select first_name from contacts where email = 'bob@b.test'`));
    expect(bob.first_name).toBe('X');
  });

  it('keeps the audit log append-only for the application', async () => {
    await withTenant(database.db, orgA, (tx) =>
      tx.execute(sql`insert into audit_log (org_id, action, entity_type, entity_id) values (${orgA}, 'create', 'contact', gen_random_uuid())`),
    );
    await expect(withTenant(database.db, orgA, (tx) => tx.execute(sql`delete from audit_log`))).rejects.toThrow();
    await expect(withTenant(database.db, orgA, (tx) => tx.execute(sql`update audit_log set action = 'x'`))).rejects.toThrow();
  });

  it('never lets tenant queries read credentials', async () => {
    await expect(withTenant(database.db, orgA, (tx) => tx.execute(sql`select * from session`))).rejects.toThrow();
    await expect(withTenant(database.db, orgA, (tx) => tx.execute(sql`select password from account`))).rejects.toThrow();
  });

  it('searches contacts through a tenant-leading index under RLS (no sequential scan)', async () => {
    const plan = await withTenant(database.db, orgA, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = rowsOf<{ 'QUERY PLAN': string }>(
        await tx.execute(sql`explain select contact_id from contact_search_terms where org_id = ${orgA} and term >= 'an' and term < 'ao'`),
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan using contact_search_terms_\w+/);
    // The prefix range is an index condition, not a filter applied after RLS.
    expect(plan).toMatch(/Index Cond: .*org_id = .*term >= 'an'::text.*term < 'ao'::text/);
  });
});
