// CSV imports (admins and managers): upload (streamed, checked and stored in chunks in one
// transaction: a bad file stores nothing), mapping and preview, start (dry run or real; the work
// runs in the import-run job), status, the rejected-rows report and undo as a whole.
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { plans, limitLabels } from '../../../core/billing/plans.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { fieldsOf, type ImportObject } from '../../../core/import/fields.ts';
import { neutralizeFormula } from '../../../core/import/formula.ts';
import { detectMapping, mappingProblems, type ColumnMapping } from '../../../core/import/mapping.ts';
import { detectDelimiter, type Encoding } from '../../../core/import/sniff.ts';
import type { Actor } from '../../../core/roles.ts';
import { companies, contacts, deals, importChanges, importChunks, importRejections, imports } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { planInEffect, usageOf } from '../billing/billing.service.ts';
import { recordAudit } from '../records/audit.ts';
import { CsvRecordReader, decodeUpload, MAX_UPLOAD_BYTES } from './csv-reader.ts';
import { inSlices, loadContext, processBatch, type DuplicatePolicy, type ImportPlan, type RowOutcome, type SourceRow } from './import-batch.ts';

/** Text per stored chunk: one chunk is read and processed per transaction of the job. */
export const CHUNK_CHARS = 256 * 1024;
/** Rows shown in the preview. */
export const PREVIEW_ROWS = 20;
/** Rows a file may hold. */
export const MAX_ROWS = 200_000;

export type ImportRow = typeof imports.$inferSelect;

/**
 * Admins and managers import. Reps do not: an import creates records in bulk for the whole
 * organization (owned by others, companies shared by all), which is a manager's decision; a rep
 * adds records one by one. Read-only members change nothing.
 */
export function assertMayImport(actor: Actor) {
  if (actor.role !== 'admin' && actor.role !== 'manager') throw forbidden('Only admins and managers can import');
}

export async function uploadImport(s: Scope, input: { object: ImportObject; fileName: string | null; body: AsyncIterable<Uint8Array>; maxBytes?: number }): Promise<ImportRow> {
  assertMayImport(s.actor);
  let encoding: Encoding = 'utf-8';
  let bytes = 0;
  const counted = async function* () {
    for await (const chunk of input.body) {
      bytes += chunk.byteLength;
      yield chunk;
    }
  };
  const text = decodeUpload(counted(), (e) => (encoding = e), input.maxBytes ?? MAX_UPLOAD_BYTES);

  // The import row first (its id keys the chunks); any error below rolls all of it back.
  const [row] = await s.db
    .insert(imports)
    .values({ orgId: s.orgId, createdBy: s.actor.userId, object: input.object, fileName: input.fileName, byteSize: 0, encoding: 'utf-8', delimiter: ',', headers: [], totalRows: 0, mapping: {}, createdAt: s.now() })
    .returning();
  const importId = row!.id;

  let reader: CsvRecordReader | null = null;
  let head = '';
  let seq = 0;
  let pending = '';
  let headers: string[] | null = null;
  let rows = 0;
  const flush = async (force: boolean) => {
    while (pending.length >= CHUNK_CHARS || (force && pending.length > 0)) {
      const body = pending.slice(0, CHUNK_CHARS);
      pending = pending.slice(body.length);
      await s.db.insert(importChunks).values({ orgId: s.orgId, importId, seq: seq++, body });
    }
  };
  const take = (records: { cells: string[]; line: number }[]) => {
    for (const record of records) {
      if (!headers) {
        headers = record.cells.map((h) => h.trim());
        if (headers.every((h) => h === '')) throw fileError('The first line (the header) is empty: the file must start with the column names.');
        continue;
      }
      rows++;
      if (rows > MAX_ROWS) throw fileError(`The file has more than ${MAX_ROWS} rows; split it into smaller files.`);
      // The delimiter was read from the first lines; rows near the top that disagree mean it was wrong.
      if (rows <= 100 && record.cells.length !== headers.length && !(record.cells.length === 1 && record.cells[0] === '')) {
        throw fileError(`Line ${record.line} has ${record.cells.length} cells but the header has ${headers.length}: the file mixes delimiters or has a broken row.`);
      }
    }
  };
  const feed = async (piece: string) => {
    pending += piece;
    await flush(false);
    take(await reader!.push(piece));
  };
  for await (const piece of text) {
    if (!reader) {
      head += piece;
      if (head.length < 64 * 1024) continue;
      reader = readerFor(head);
      const first = head;
      head = '';
      await feed(first);
      continue;
    }
    await feed(piece);
  }
  if (!reader) {
    if (head.trim() === '') throw fileError('The file is empty.');
    reader = readerFor(head);
    await feed(head);
  }
  take(await reader.end());
  await flush(true);
  if (!headers) throw fileError('The file is empty.');
  if (rows === 0) throw fileError('The file has a header but no rows.');
  const [updated] = await s.db
    .update(imports)
    .set({ byteSize: bytes, encoding, delimiter: reader.delimiter, headers, totalRows: rows, mapping: detectMapping(headers, input.object) })
    .where(eq(imports.id, importId))
    .returning();
  return updated!;
}

function readerFor(head: string): CsvRecordReader {
  const found = detectDelimiter(head.replace(/^\uFEFF/, ''));
  if (!found.ok) throw fileError(found.message);
  return new CsvRecordReader(found.delimiter);
}

const fileError = (message: string) => new AppError('VALIDATION_FAILED', message, [{ path: 'file', message }]);

/** Another organization's import is 404 for every role, so the lookup comes before the role check. */
export async function findImport(s: Scope, id: string): Promise<ImportRow> {
  const [row] = await s.db.select().from(imports).where(eq(imports.id, id));
  if (!row) throw notFound('Import');
  assertMayImport(s.actor);
  return row;
}

export async function listImports(s: Scope): Promise<ImportRow[]> {
  assertMayImport(s.actor);
  return s.db.select().from(imports).orderBy(desc(imports.createdAt)).limit(50);
}

/** Reads the stored file from the start, one chunk per call of `next`, as source rows (header skipped). */
export function storedRows(importId: string, delimiter: string) {
  const reader = new CsvRecordReader(delimiter);
  let seq = 0;
  let recordIndex = 0;
  let ended = false;
  return {
    /** The rows completed by the next stored chunk, or null at the end of the file. */
    async next(s: Scope): Promise<SourceRow[] | null> {
      if (ended) return null;
      const [chunk] = await s.db.select({ body: importChunks.body }).from(importChunks).where(and(eq(importChunks.importId, importId), eq(importChunks.seq, seq)));
      seq++;
      const records = chunk ? await reader.push(chunk.body) : await reader.end();
      if (!chunk) ended = true;
      const out: SourceRow[] = [];
      for (const r of records) {
        recordIndex++;
        // Spreadsheet row numbers: the header is row 1.
        if (recordIndex > 1) out.push({ rowNumber: recordIndex, cells: r.cells });
      }
      return out;
    },
  };
}

async function planFor(s: Scope, row: ImportRow, limits: ImportRow['limits']): Promise<ImportPlan> {
  const remaining = { contacts: null as number | null, openDeals: null as number | null };
  const planMessage = { contacts: '', openDeals: '' };
  if (limits) {
    const { plan } = await planInEffect(s);
    for (const limit of ['contacts', 'openDeals'] as const) {
      const max = limits[limit];
      if (max === null) continue;
      const used = await usageOf(s, limit);
      remaining[limit] = Math.max(0, max - used);
      planMessage[limit] = `the ${plans[plan].name} plan allows ${max} ${limitLabels[limit]}; upgrade for more`;
    }
  }
  return { importId: row.id, object: row.object, mapping: row.mapping, duplicates: row.duplicates, locale: row.locale, remaining, planMessage, defaultOwnerId: row.createdBy };
}

export interface Preview {
  rows: (RowOutcome & { cells: string[] })[];
}

/** The first rows as they would be stored with the current mapping and duplicate choice. Writes nothing. */
export async function previewImport(s: Scope, row: ImportRow): Promise<Preview> {
  if (mappingProblems(row.mapping, row.headers, row.object).length) return { rows: [] };
  const source = storedRows(row.id, row.delimiter);
  const sample: SourceRow[] = [];
  while (sample.length < PREVIEW_ROWS) {
    const batch = await source.next(s);
    if (batch === null) break;
    sample.push(...batch.slice(0, PREVIEW_ROWS - sample.length));
  }
  const ctx = await loadContext(s, row.object);
  const result = await processBatch(s, await planFor(s, row, null), ctx, sample, false);
  const cells = new Map(sample.map((r) => [r.rowNumber, r.cells]));
  return { rows: result.outcomes.map((o) => ({ ...o, cells: cells.get(o.rowNumber) ?? [] })) };
}

export async function updateImport(s: Scope, id: string, patch: { mapping?: ColumnMapping; duplicates?: DuplicatePolicy; locale?: string }): Promise<ImportRow> {
  const row = await findImport(s, id);
  if (!['uploaded', 'checked', 'failed'].includes(row.status)) throw new AppError('CONFLICT', `The import is ${row.status}; its mapping can no longer change`);
  if (patch.mapping) {
    const problems = mappingProblems(patch.mapping, row.headers, row.object);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems[0]!, problems.map((message) => ({ path: 'mapping', message })));
  }
  if (patch.locale) {
    try {
      new Intl.NumberFormat(patch.locale);
    } catch {
      throw new AppError('VALIDATION_FAILED', `locale: "${patch.locale}" is not a locale`, [{ path: 'locale', message: 'not a locale' }]);
    }
  }
  const [updated] = await s.db
    .update(imports)
    .set({ ...(patch.mapping ? { mapping: patch.mapping } : {}), ...(patch.duplicates ? { duplicates: patch.duplicates } : {}), ...(patch.locale ? { locale: patch.locale } : {}), ...(row.status !== 'uploaded' ? { status: 'uploaded' as const } : {}) })
    .where(eq(imports.id, id))
    .returning();
  return updated!;
}

/** Queues the import (dry run or real) for the import-run job. `billingOn`: the plan's limits apply per row. */
export async function startImport(s: Scope, id: string, input: { dryRun: boolean }, billingOn: boolean): Promise<ImportRow> {
  const row = await findImport(s, id);
  if (!['uploaded', 'checked', 'failed'].includes(row.status)) throw new AppError('CONFLICT', `The import is ${row.status}; it cannot start again`);
  const problems = mappingProblems(row.mapping, row.headers, row.object);
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems[0]!, problems.map((message) => ({ path: 'mapping', message })));
  let limits: ImportRow['limits'] = null;
  if (billingOn) {
    const { plan } = await planInEffect(s);
    limits = { contacts: plans[plan].limits.contacts, openDeals: plans[plan].limits.openDeals };
  }
  // A new run starts its report afresh (a dry run's rejections are replaced by the real run's).
  await s.db.delete(importRejections).where(eq(importRejections.importId, id));
  const [updated] = await s.db
    .update(imports)
    .set({ status: 'queued', dryRun: input.dryRun, limits, rowsDone: 0, createdCount: 0, updatedCount: 0, skippedCount: 0, rejectedCount: 0, error: null, startedAt: null, finishedAt: null })
    .where(eq(imports.id, id))
    .returning();
  return updated!;
}

/** The oldest import waiting for the job, marked running; null when none waits. */
export async function claimQueuedImport(s: Scope): Promise<ImportRow | null> {
  const [row] = await s.db.select().from(imports).where(eq(imports.status, 'queued')).orderBy(asc(imports.createdAt)).limit(1);
  if (!row) return null;
  const [claimed] = await s.db.update(imports).set({ status: 'running', startedAt: s.now() }).where(and(eq(imports.id, row.id), eq(imports.status, 'queued'))).returning();
  return claimed ?? null;
}

/**
 * Runs a claimed import, one stored chunk per transaction (`inOrg`), so progress is visible and
 * memory holds one chunk's rows. A real run that fails midway keeps what it wrote (undo removes it).
 */
export async function runImport(inOrg: <T>(work: (s: Scope) => Promise<T>) => Promise<T>, claimed: ImportRow): Promise<ImportRow> {
  const write = !claimed.dryRun;
  const source = storedRows(claimed.id, claimed.delimiter);
  try {
    const { plan, ctx } = await inOrg(async (s) => ({ plan: await planFor(s, claimed, claimed.limits), ctx: await loadContext(s, claimed.object) }));
    for (;;) {
      const more = await inOrg(async (s) => {
        const rows = await source.next(s);
        if (rows === null) return false;
        if (rows.length === 0) return true;
        const result = await processBatch(s, plan, ctx, rows, write);
        await inSlices(result.rejections, (slice) => s.db.insert(importRejections).values(slice.map((r) => ({ ...r, orgId: s.orgId }))).then(() => []));
        await s.db
          .update(imports)
          .set({
            rowsDone: sql`${imports.rowsDone} + ${rows.length}`,
            createdCount: sql`${imports.createdCount} + ${result.counts.created}`,
            updatedCount: sql`${imports.updatedCount} + ${result.counts.updated}`,
            skippedCount: sql`${imports.skippedCount} + ${result.counts.skipped}`,
            rejectedCount: sql`${imports.rejectedCount} + ${result.counts.rejected}`,
          })
          .where(eq(imports.id, claimed.id));
        return true;
      });
      if (!more) break;
    }
    return await inOrg(async (s) => {
      const [done] = await s.db.update(imports).set({ status: write ? 'done' : 'checked', finishedAt: s.now() }).where(eq(imports.id, claimed.id)).returning();
      if (write) await recordAudit(s, 'create', 'import', claimed.id, { created: { old: null, new: done!.createdCount }, updated: { old: null, new: done!.updatedCount } });
      return done!;
    });
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'The import stopped on an internal error; what it wrote so far can be undone.';
    return inOrg(async (s) => {
      const [failed] = await s.db.update(imports).set({ status: 'failed', error: message, finishedAt: s.now() }).where(eq(imports.id, claimed.id)).returning();
      return failed!;
    });
  }
}

const RESTORABLE = { contact: contacts, company: companies, deal: deals } as const;

/** Undo as a whole: what the import created goes to the trash (restorable), what it updated gets its previous values back. */
export async function undoImport(s: Scope, id: string): Promise<ImportRow> {
  const row = await findImport(s, id);
  if (row.status !== 'done' && !(row.status === 'failed' && !row.dryRun)) throw new AppError('CONFLICT', row.status === 'undone' ? 'The import was already undone' : `Only a finished import can be undone; this one is ${row.status}`);
  for (const [type, table] of Object.entries(RESTORABLE) as [keyof typeof RESTORABLE, (typeof RESTORABLE)[keyof typeof RESTORABLE]][]) {
    const created = s.db
      .select({ id: importChanges.entityId })
      .from(importChanges)
      .where(and(eq(importChanges.importId, id), eq(importChanges.entityType, type), eq(importChanges.action, 'created')));
    await s.db.update(table).set({ deletedAt: s.now() }).where(and(inArray(table.id, created), sql`${table.deletedAt} is null`));
  }
  let after: { type: string; id: string } | null = null;
  for (;;) {
    const page: (typeof importChanges.$inferSelect)[] = await s.db
      .select()
      .from(importChanges)
      .where(and(eq(importChanges.importId, id), eq(importChanges.action, 'updated'), after ? sql`(${importChanges.entityType}, ${importChanges.entityId}) > (${after.type}, ${after.id}::uuid)` : undefined))
      .orderBy(asc(importChanges.entityType), asc(importChanges.entityId))
      .limit(500);
    if (page.length === 0) break;
    for (const change of page) {
      const table = RESTORABLE[change.entityType];
      if (change.previous && Object.keys(change.previous).length) await s.db.update(table).set({ ...change.previous, updatedAt: s.now() } as never).where(eq(table.id, change.entityId));
    }
    const last: typeof importChanges.$inferSelect = page[page.length - 1]!;
    after = { type: last.entityType, id: last.entityId };
  }
  const [undone] = await s.db.update(imports).set({ status: 'undone', undoneAt: s.now() }).where(eq(imports.id, id)).returning();
  await recordAudit(s, 'delete', 'import', id);
  return undone!;
}

/** The rejected rows report as CSV lines (header first), a page at a time: every cell neutralised against formulas. */
export async function* rejectedRowsCsv(page: <T>(work: (s: Scope) => Promise<T>) => Promise<T>, row: ImportRow): AsyncGenerator<string> {
  const line = (cells: string[]) => cells.map((c) => csvCell(neutralizeFormula(c))).join(',') + '\r\n';
  yield '\uFEFF' + line(['row', 'reason', ...row.headers]);
  let after = 0;
  for (;;) {
    const rows = await page((s) =>
      s.db.select().from(importRejections).where(and(eq(importRejections.importId, row.id), gt(importRejections.rowNumber, after))).orderBy(asc(importRejections.rowNumber)).limit(1000),
    );
    if (rows.length === 0) return;
    let out = '';
    for (const r of rows) out += line([String(r.rowNumber), r.reason, ...r.cells]);
    yield out;
    after = rows[rows.length - 1]!.rowNumber;
  }
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function presentImport(row: ImportRow) {
  return {
    id: row.id,
    object: row.object,
    status: row.status,
    fileName: row.fileName,
    byteSize: row.byteSize,
    encoding: row.encoding,
    delimiter: row.delimiter,
    headers: row.headers,
    totalRows: row.totalRows,
    mapping: row.mapping,
    duplicates: row.duplicates,
    locale: row.locale,
    dryRun: row.dryRun,
    progress: { rowsDone: row.rowsDone, totalRows: row.totalRows },
    counts: { created: row.createdCount, updated: row.updatedCount, skipped: row.skippedCount, rejected: row.rejectedCount },
    error: row.error,
    fields: fieldsOf[row.object].map((f) => ({ field: f.field, label: f.label, required: f.required ?? false })),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}
