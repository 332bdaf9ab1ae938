// What admins read to run the organization: the audit log and the trash.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { AuditPage, AuditQuery, TrashItem, TrashQuery } from '../../../core/schemas/admin.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { listAuditLog } from './audit-log.service.ts';
import { listTrash } from './trash.service.ts';

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/audit-log', tags: ['Admin'], summary: 'The audit log, newest first (admins): filter by person, record type, record and time',
      request: { query: AuditQuery },
      responses: { 200: jsonContent(AuditPage, 'A page of entries'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listAuditLog(s, c.req.valid('query'))), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/trash', tags: ['Admin'], summary: 'Records deleted in the last 30 days, newest first (admins); restore with POST /<type>s/{id}/restore',
      request: { query: TrashQuery },
      responses: { 200: jsonContent(z.object({ data: z.array(TrashItem) }), 'Deleted records'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listTrash(s, c.req.valid('query'))), 200),
  );
