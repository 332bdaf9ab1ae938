// The shapes of /api/v1/imports: what the API answers and accepts.
import { z } from 'zod';
import { importObjects } from './fields.ts';

export const ImportObjectParam = z.enum(importObjects);
export const DuplicatePolicy = z.enum(['skip', 'update', 'create']).meta({ description: 'A row matching an existing record (same email; same domain or normalised company name): skip it, update the record with the filled cells, or create another one' });

export const ImportSummary = z
  .object({
    id: z.uuid(),
    object: ImportObjectParam,
    status: z.enum(['uploaded', 'queued', 'running', 'checked', 'done', 'failed', 'undone']),
    fileName: z.string().nullable(),
    byteSize: z.number().int(),
    encoding: z.string(),
    delimiter: z.string(),
    headers: z.array(z.string()),
    totalRows: z.number().int(),
    mapping: z.record(z.string(), z.string()).meta({ description: 'Column index → field' }),
    duplicates: DuplicatePolicy,
    locale: z.string(),
    dryRun: z.boolean(),
    progress: z.object({ rowsDone: z.number().int(), totalRows: z.number().int() }),
    counts: z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), rejected: z.number().int() }),
    error: z.string().nullable(),
    fields: z.array(z.object({ field: z.string(), label: z.string(), required: z.boolean() })),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    undoneAt: z.string().nullable(),
  })
  .meta({ id: 'Import' });

export const ImportPreviewRow = z.object({
  rowNumber: z.number().int(),
  action: z.enum(['create', 'update', 'skip', 'reject']),
  reasons: z.array(z.string()),
  values: z.record(z.string(), z.unknown()).nullable(),
  cells: z.array(z.string()),
});

export const ImportWithPreview = z.object({ import: ImportSummary, preview: z.array(ImportPreviewRow) }).meta({ id: 'ImportWithPreview' });
export const ImportList = z.object({ data: z.array(ImportSummary) }).meta({ id: 'ImportList' });

export const ImportUpdate = z
  .object({
    mapping: z.record(z.string().regex(/^\d{1,4}$/), z.string().max(64)).optional(),
    duplicates: DuplicatePolicy.optional(),
    locale: z.string().min(2).max(35).optional(),
  })
  .meta({ id: 'ImportUpdate' });

export const ImportStart = z.object({ dryRun: z.boolean().default(false) }).meta({ id: 'ImportStart' });
