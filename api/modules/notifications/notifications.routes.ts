import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { IdParam } from '../../../core/schemas/common.ts';
import { Notification, NotificationList, NotificationListQuery } from '../../../core/schemas/notifications.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { listNotifications, markNotificationRead } from './notifications.service.ts';

export const notificationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/notifications', tags: ['Notifications'], summary: 'Your in-app notifications, newest first, and how many are unread',
      request: { query: NotificationListQuery },
      responses: { 200: jsonContent(NotificationList, 'Notifications'), ...errorResponses },
    }),
    async (c) => c.json(await withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => listNotifications(tx, c.var.actor, c.req.valid('query'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/notifications/{id}/read', tags: ['Notifications'], summary: 'Mark one of your notifications read',
      request: { params: IdParam },
      responses: { 200: jsonContent(Notification, 'The notification'), ...errorResponses },
    }),
    async (c) => c.json(await withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => markNotificationRead(tx, c.var.actor, c.req.valid('param').id)), 200),
  );
