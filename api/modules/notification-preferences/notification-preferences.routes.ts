import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { MemberPreferencePatch, NotificationPreferences, OrganizationPreferencePatch } from '../../../core/schemas/notification-preferences.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { getMyPreferences, getOrganizationDefaults, updateMyPreferences, updateOrganizationDefaults } from './notification-preferences.service.ts';

const tags = ['Notifications'];

export const notificationPreferenceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/notification-preferences', tags, summary: 'What reaches you, per kind of notification and channel (in-app, browser, email, Slack)',
      responses: { 200: jsonContent(NotificationPreferences, 'Your preferences, with the organization\'s defaults'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => getMyPreferences(s)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/notification-preferences', tags, summary: 'Change your own preferences (null: back to the organization\'s default)',
      request: { body: { content: { 'application/json': { schema: MemberPreferencePatch } }, required: true } },
      responses: { 200: jsonContent(NotificationPreferences, 'Your preferences'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateMyPreferences(s, c.req.valid('json').preferences)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/notification-preferences/defaults', tags, summary: 'The organization\'s defaults (every member sees them; admins change them)',
      responses: { 200: jsonContent(NotificationPreferences, 'The organization\'s defaults'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => getOrganizationDefaults(s)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/notification-preferences/defaults', tags, summary: 'Change the organization\'s defaults, Slack included (admins)',
      request: { body: { content: { 'application/json': { schema: OrganizationPreferencePatch } }, required: true } },
      responses: { 200: jsonContent(NotificationPreferences, 'The organization\'s defaults'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateOrganizationDefaults(s, c.req.valid('json').preferences)), 200),
  );
