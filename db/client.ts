// Opens the database: embedded PGlite in a folder by default, Postgres when a URL is given.
// Both run the same migrations and are used through the same drizzle API.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { schema } from './schema/index.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The PGlite instance (embedded only), e.g. for pg-boss or dumping a test template. */
  pglite?: PGlite;
  /** The postgres.js client (Postgres only). */
  client?: postgres.Sql;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
export const functionsFolder = fileURLToPath(new URL('./functions', import.meta.url));

/**
 * SQL functions defined in one file each (db/functions/*.sql, CREATE OR REPLACE), applied after the
 * migrations on every start: the file is the function's one definition, the migrations its history.
 * One transaction under an advisory lock, so replicas starting together do not collide.
 */
export async function applyFunctions(db: Db) {
  const files = readdirSync(functionsFolder).filter((f) => f.endsWith('.sql')).sort();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('inbox-crm/db/functions'))`);
    for (const file of files) {
      for (const statement of readFileSync(join(functionsFolder, file), 'utf8').split('--> statement-breakpoint')) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
    }
  });
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; omitted = in memory. */
  dataDir?: string;
  /** PGlite only: start from a dumped data folder (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  maxConnections?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      client,
      migrate: async () => {
        await migratePostgres(db as never, { migrationsFolder });
        await applyFunctions(db);
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite,
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
      await applyFunctions(db);
    },
    close: () => pglite.close(),
  };
}

/** Rows of a raw `db.execute()`, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
