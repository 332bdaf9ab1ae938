import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { EmailLog, EmailLogResult } from '../../../core/schemas/emails.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { logEmail } from './emails.service.ts';

export const emailRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'post', path: '/emails', tags: ['Emails'], summary: 'Log an email to its known contacts, their companies and open deals',
    description: 'Idempotent per messageId: logging the same message again (even concurrently) creates nothing and answers what it was linked to. Addresses that match no contact create nothing.',
    request: jsonBody(EmailLog),
    responses: { 200: jsonContent(EmailLogResult, 'What the email is linked to'), ...errorResponses },
  }),
  async (c) => c.json(await inRequestTenant(c, (s) => logEmail(s, c.req.valid('json'))), 200),
);
