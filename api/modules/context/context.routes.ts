import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ContextQuery, ThreadContext } from '../../../core/schemas/context.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { threadContext } from './context.service.ts';

export const contextRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'get', path: '/context', tags: ['Sidebar'], summary: 'What the sidebar shows for a thread, in one call',
    request: { query: ContextQuery },
    responses: { 200: jsonContent(ThreadContext, 'Contacts, companies, open deals, latest activities, open tasks, tracked messages'), ...errorResponses },
  }),
  async (c) => {
    const { emails, messageIds } = c.req.valid('query');
    return c.json(await inRequestTenant(c, (s) => threadContext(s, emails, messageIds)), 200);
  },
);
