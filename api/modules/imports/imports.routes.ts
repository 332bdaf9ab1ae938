// /imports: upload a CSV (the raw file as the body, streamed; up to 50 MB), see and edit its
// mapping with a preview, start a dry run or the import, follow it, download the rejected rows and
// undo it as a whole. Admins and managers (see imports.service.ts).
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { AppError } from '../../../core/errors.ts';
import { ImportList, ImportObjectParam, ImportStart, ImportUpdate, ImportWithPreview } from '../../../core/import/schemas.ts';
import { IdParam } from '../../../core/schemas/common.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { IMPORT_RUN_JOB } from './import-run.job.ts';
import { findImport, listImports, presentImport, previewImport, rejectedRowsCsv, startImport, undoImport, updateImport, uploadImport, type ImportRow } from './imports.service.ts';
import { MAX_UPLOAD_BYTES } from './csv-reader.ts';

const tags = ['Imports'];
export const IMPORT_UPLOAD_PATH = '/api/v1/imports';

const withPreview = async (c: Parameters<typeof inRequestTenant>[0], row: ImportRow) => {
  const preview = await inRequestTenant(c, (s) => previewImport(s, row));
  return { import: presentImport(row), preview: preview.rows };
};

export const importRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({ method: 'get', path: '/imports', tags, summary: 'Recent imports (admins and managers)', responses: { 200: jsonContent(ImportList, 'Imports, newest first'), ...errorResponses } }),
    async (c) => c.json({ data: (await inRequestTenant(c, (s) => listImports(s))).map(presentImport) }, 200),
  )
  .openapi(
    createRoute({ method: 'get', path: '/imports/{id}', tags, summary: 'An import: mapping, progress, counts and a preview of its first rows', request: { params: IdParam }, responses: { 200: jsonContent(ImportWithPreview, 'The import'), ...errorResponses } }),
    async (c) => {
      const row = await inRequestTenant(c, (s) => findImport(s, c.req.valid('param').id));
      return c.json(await withPreview(c, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/imports/{id}', tags, summary: 'Change the mapping, the duplicate choice or the locale of amounts and dates; answers the new preview',
      request: { params: IdParam, ...jsonBody(ImportUpdate) },
      responses: { 200: jsonContent(ImportWithPreview, 'The import'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const row = await inRequestTenant(c, (s) => updateImport(s, c.req.valid('param').id, c.req.valid('json')));
      return c.json(await withPreview(c, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/imports/{id}/start', tags, summary: 'Start a dry run (writes nothing, counts and reports) or the import, in the background',
      request: { params: IdParam, ...jsonBody(ImportStart) },
      responses: { 202: jsonContent(ImportWithPreview, 'Queued'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const row = await inRequestTenant(c, (s) => startImport(s, c.req.valid('param').id, c.req.valid('json'), Boolean(c.var.deps.billing)));
      await c.var.deps.jobs?.queue(IMPORT_RUN_JOB, { orgId: row.orgId });
      return c.json({ import: presentImport(row), preview: [] }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/imports/{id}/undo', tags, summary: 'Undo the import: what it created goes to the trash (restorable), what it updated gets its previous values',
      request: { params: IdParam },
      responses: { 200: jsonContent(ImportWithPreview, 'Undone'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const row = await inRequestTenant(c, (s) => undoImport(s, c.req.valid('param').id));
      return c.json({ import: presentImport(row), preview: [] }, 200);
    },
  )
  // The upload is not JSON: the file's bytes are the body (any content type but a declared non-UTF-8
  // charset), read as a stream. Bad files answer 400/413/415 and store nothing.
  .post('/imports', async (c) => {
    const object = ImportObjectParam.safeParse(c.req.query('object'));
    if (!object.success) throw new AppError('VALIDATION_FAILED', 'object: one of contacts, companies, deals', [{ path: 'object', message: 'one of contacts, companies, deals' }]);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_UPLOAD_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it into smaller files.`);
    const body = c.req.raw.body;
    if (!body) throw new AppError('VALIDATION_FAILED', 'The file is empty.', [{ path: 'file', message: 'empty' }]);
    const fileName = (c.req.query('fileName') ?? '').slice(0, 200) || null;
    const row = await inRequestTenant(c, (s) => uploadImport(s, { object: object.data, fileName, body: body as unknown as AsyncIterable<Uint8Array> }));
    return c.json(await withPreview(c, row), 201);
  })
  // The rejected rows with their reason, as CSV (cells neutralised against formulas), streamed page by page.
  .get('/imports/:id/rejected.csv', async (c) => {
    const id = IdParam.safeParse({ id: c.req.param('id') });
    if (!id.success) throw new AppError('VALIDATION_FAILED', 'id: not a UUID', [{ path: 'id', message: 'not a UUID' }]);
    const row = await inRequestTenant(c, (s) => findImport(s, id.data.id));
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="import-${row.id.slice(0, 8)}-rejected.csv"`);
    return stream(c, async (out) => {
      for await (const piece of rejectedRowsCsv((work) => inRequestTenant(c, work), row)) await out.write(piece);
    });
  });

