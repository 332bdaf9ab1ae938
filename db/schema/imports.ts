// CSV imports: the uploaded file (stored in the database in text chunks, so a Postgres deployment
// needs no shared folder and a 50 MB file is never one string), its mapping and progress, the rows
// it rejected and why (the downloadable report), and what it created or updated (for undo).
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { createdAt, id } from './columns.ts';
import { orgId } from './tenancy.ts';

export const importObjects = ['contacts', 'companies', 'deals'] as const;
export const importStatuses = ['uploaded', 'queued', 'running', 'checked', 'done', 'failed', 'undone'] as const;
export const duplicatePolicies = ['skip', 'update', 'create'] as const;

export const imports = pgTable(
  'imports',
  {
    id: id(),
    orgId: orgId(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    object: text('object', { enum: importObjects }).notNull(),
    status: text('status', { enum: importStatuses }).notNull().default('uploaded'),
    fileName: text('file_name'),
    byteSize: integer('byte_size').notNull(),
    encoding: text('encoding').notNull(),
    delimiter: text('delimiter').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    totalRows: integer('total_rows').notNull(),
    // column index (as text) → target field name; columns left out are not imported.
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    duplicates: text('duplicates', { enum: duplicatePolicies }).notNull().default('skip'),
    dryRun: boolean('dry_run').notNull().default(false),
    // How amounts and dates are read ("52.000,00" is 52000 in de-DE).
    locale: text('locale').notNull().default('en-US'),
    // The plan's limits when the run was started (billing on); null: nothing is limited.
    limits: jsonb('limits').$type<{ contacts: number | null; openDeals: number | null }>(),
    rowsDone: integer('rows_done').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    rejectedCount: integer('rejected_count').notNull().default(0),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
  },
  (t) => [index('imports_org_created_idx').on(t.orgId, t.createdAt), index('imports_org_status_idx').on(t.orgId, t.status)],
);

export const importChunks = pgTable(
  'import_chunks',
  {
    orgId: orgId(),
    importId: uuid('import_id').notNull().references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    body: text('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.importId, t.seq] })],
);

export const importRejections = pgTable(
  'import_rejections',
  {
    orgId: orgId(),
    importId: uuid('import_id').notNull().references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    reason: text('reason').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.importId, t.rowNumber] })],
);

// previous: for 'updated', the fields' values before the import overwrote them (undo puts them back).
export const importChanges = pgTable(
  'import_changes',
  {
    orgId: orgId(),
    importId: uuid('import_id').notNull().references(() => imports.id, { onDelete: 'cascade' }),
    entityType: text('entity_type', { enum: ['contact', 'company', 'deal'] }).notNull(),
    entityId: uuid('entity_id').notNull(),
    action: text('action', { enum: ['created', 'updated'] }).notNull(),
    previous: jsonb('previous').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.importId, t.entityType, t.entityId] })],
);
