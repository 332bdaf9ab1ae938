// The RLS=off run (see global-setup.ts) must really run without row-level security, or it proves
// nothing about the first wall; the normal run must really have it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf, type Database } from '../db/client.ts';
import { openTestDatabase } from './database.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

it(`has row-level security ${process.env.RLS === 'off' ? 'off' : 'on'} on the tenant tables, as this run asked`, async () => {
  const rows = rowsOf<{ relname: string; relrowsecurity: boolean }>(
    await database.db.execute(sql`select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id')`),
  );
  expect(rows.length).toBeGreaterThan(15);
  expect(new Set(rows.map((r) => r.relrowsecurity))).toEqual(new Set([process.env.RLS !== 'off']));
});
