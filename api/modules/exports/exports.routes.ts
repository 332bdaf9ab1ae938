// GET /exports/{contacts,companies,deals,activities}.csv: the list's filters in, a streamed CSV out.
// GETs, so a read-only organization (dunning) still exports: the billing guard refuses writes only.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { DEFAULT_EXPORT_NOTIFY_ROWS, type ExportKind } from '../../../core/export/export-access.ts';
import { ActivityExportQuery, CompanyExportQuery, ContactExportQuery, DealsExportQuery } from '../../../core/schemas/exports.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { startExport } from './exports.service.ts';

const tags = ['Exports'];
const description =
  'Filtered like the list of the same records; admins, managers and readonly members export everything they can read, reps only the records they own. Text cells starting with =, +, -, @, tab or CR get a leading apostrophe (CSV injection). Headers are generic (email, first_name, company, owner_email, …) so the file imports again. Every export is in the audit log; large ones notify the admins.';

const queries = { contacts: ContactExportQuery, companies: CompanyExportQuery, deals: DealsExportQuery, activities: ActivityExportQuery } as const;

function exportRoute<K extends ExportKind>(app: OpenAPIHono<AppEnv>, kind: K) {
  app.openapi(
    createRoute({
      method: 'get', path: `/exports/${kind}.csv`, tags, summary: `Export ${kind} as CSV`, description,
      request: { query: queries[kind] as z.ZodObject },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: `CSV, one row per ${kind === 'activities' ? 'activity' : kind.slice(0, -1)}, streamed` }, ...errorResponses },
    }),
    async (c) => {
      const stream = await startExport(kind, c.req.valid('query') as { ownerId?: string }, {
        run: (work) => inRequestTenant(c, work),
        notifyAdminsAtRows: c.var.deps.exports?.notifyAdminsAtRows ?? DEFAULT_EXPORT_NOTIFY_ROWS,
      });
      const day = c.var.deps.clock().toISOString().slice(0, 10);
      return new Response(stream, {
        status: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${kind}-${day}.csv"`, 'Cache-Control': 'no-store' },
      }) as never;
    },
  );
}

export const exportRoutes = new OpenAPIHono<AppEnv>();
for (const kind of ['contacts', 'companies', 'deals', 'activities'] as const) exportRoute(exportRoutes, kind);
