// The first wall of tenant isolation. Every tenant query runs inside withTenant: one transaction
// that sets the organization for row-level security (the second wall) and drops to the
// unprivileged app_user role, and hands the work a TenantDb, a query builder that adds the
// organization itself:
//   - select … from / join a tenant table: `org_id = <org>` is ANDed into the WHERE (and the ON);
//   - update / delete a tenant table: the same, into the WHERE, whatever the caller writes;
//   - insert into a tenant table: org_id is filled in, and a row naming another org is refused.
// Callers keep drizzle's own types and API. Raw SQL (`execute`) cannot be scoped automatically; it
// must name the organization itself (the context lookup and the reports pass t.orgId).
// Both settings are transaction-local, so a pooled connection never carries a tenant over.
import { and, eq, getTableColumns, is, sql, type SQL } from 'drizzle-orm';
import { PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from './client.ts';

export interface TenantDb {
  readonly orgId: string;
  readonly select: Tx['select'];
  readonly selectDistinct: Tx['selectDistinct'];
  readonly insert: Tx['insert'];
  readonly update: Tx['update'];
  readonly delete: Tx['delete'];
  /** Raw SQL: the statement must filter by the organization itself. */
  readonly execute: Tx['execute'];
}

export async function withTenant<T>(db: DbOrTx, orgId: string, work: (t: TenantDb) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'app_user', true)`);
    return work(scopedDb(tx, orgId));
  });
}

/** A TenantDb over a transaction that is already set up for the organization (withTenant does both). */
export function scopedDb(tx: Tx, orgId: string): TenantDb {
  const t: TenantDb = {
    orgId,
    select: ((...args: Parameters<Tx['select']>) => scopeSelectBuilder(tx.select(...args), orgId)) as Tx['select'],
    selectDistinct: ((...args: Parameters<Tx['selectDistinct']>) => scopeSelectBuilder(tx.selectDistinct(...args), orgId)) as Tx['selectDistinct'],
    insert: ((table: PgTable) => scopeInsert(tx.insert(table), table, orgId)) as Tx['insert'],
    update: ((table: PgTable) => scopeUpdate(tx.update(table), table, orgId)) as Tx['update'],
    delete: ((table: PgTable) => scopeFilter(tx.delete(table) as unknown as Filterable, orgColumn(table), orgId)) as unknown as Tx['delete'],
    execute: tx.execute.bind(tx) as Tx['execute'],
  };
  return t;
}

/** The org_id column of a tenant table; undefined for global tables (users, organizations). */
function orgColumn(source: unknown): PgColumn | undefined {
  if (!is(source, PgTable)) return undefined;
  const columns = getTableColumns(source) as Record<string, PgColumn>;
  return columns.orgId;
}

type Condition = SQL | undefined | ((fields: never, operators: never) => SQL | undefined);
type Filterable = { where: (condition: Condition) => unknown };

/** Puts `org_id = orgId` into a builder's WHERE now and into every WHERE the caller sets later. */
function scopeFilter<B extends Filterable>(builder: B, column: PgColumn | undefined, orgId: string): B {
  if (!column) return builder;
  const own = eq(column, orgId);
  const where = builder.where.bind(builder);
  where(own);
  builder.where = (condition: Condition) =>
    where(typeof condition === 'function' ? (fields: never, operators: never) => and(own, condition(fields, operators)) : and(own, condition));
  return builder;
}

type Joinable = Record<'innerJoin' | 'leftJoin' | 'rightJoin' | 'fullJoin', (table: unknown, on: Condition) => unknown>;

/** Joined tenant tables get `org_id = orgId` in their ON. */
function scopeJoins<B>(builder: B, orgId: string): B {
  const joinable = builder as unknown as Joinable;
  for (const name of ['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin'] as const) {
    const join = joinable[name];
    if (typeof join !== 'function') continue;
    joinable[name] = (table: unknown, on: Condition) => {
      const column = orgColumn(table);
      if (!column) return join(table, on);
      const own = eq(column, orgId);
      return join(table, typeof on === 'function' ? (fields: never, operators: never) => and(own, on(fields, operators)) : and(own, on));
    };
  }
  return builder;
}

function scopeSelectBuilder<B extends { from: (source: never) => unknown }>(builder: B, orgId: string): B {
  const from = builder.from.bind(builder);
  builder.from = ((source: never) => scopeJoins(scopeFilter(from(source) as Filterable, orgColumn(source), orgId), orgId)) as B['from'];
  return builder;
}

function scopeUpdate<B extends { set: (values: Record<string, unknown>) => unknown }>(builder: B, table: PgTable, orgId: string): B {
  const column = orgColumn(table);
  const set = builder.set.bind(builder);
  builder.set = ((values: Record<string, unknown>) => {
    if (column && 'orgId' in values && values.orgId !== orgId) throw new Error('A tenant row cannot be moved to another organization');
    return scopeFilter(set(values) as Filterable, column, orgId);
  }) as B['set'];
  return builder;
}

function scopeInsert<B extends { values: (values: never) => unknown }>(builder: B, table: PgTable, orgId: string): B {
  if (!orgColumn(table)) return builder;
  const values = builder.values.bind(builder);
  const own = (row: Record<string, unknown>) => {
    if (row.orgId !== undefined && row.orgId !== orgId) throw new Error('A tenant row cannot be written for another organization');
    return { ...row, orgId };
  };
  builder.values = ((rows: Record<string, unknown> | Record<string, unknown>[]) =>
    values((Array.isArray(rows) ? rows.map(own) : own(rows)) as never)) as B['values'];
  return builder;
}
