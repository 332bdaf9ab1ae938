import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ContextQuery, ThreadContext } from '../../../core/schemas/context.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { threadContext } from './context.service.ts';

export const contextRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'get', path: '/context', tags: ['Sidebar'], summary: 'What the sidebar shows for a thread, in one call',
    request: { query: ContextQuery },
    responses: { 200: jsonContent(ThreadContext, 'Contacts, companies, open deals, latest activities, open tasks, tracked messages'), ...errorResponses },
  }),
  async (c) => {
    const { emails, messageIds } = c.req.valid('query');
    return c.json(await withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => threadContext(tx, c.var.actor, emails, messageIds)), 200);
  },
);
