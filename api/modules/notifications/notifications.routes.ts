import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { IdParam } from '../../../core/schemas/common.ts';
import { Notification, NotificationList, NotificationListQuery } from '../../../core/schemas/notifications.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { listNotifications, markNotificationRead } from './notifications.service.ts';

export const notificationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/notifications', tags: ['Notifications'], summary: 'Your in-app notifications, newest first, and how many are unread',
      request: { query: NotificationListQuery },
      responses: { 200: jsonContent(NotificationList, 'Notifications'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listNotifications(s, c.req.valid('query'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/notifications/{id}/read', tags: ['Notifications'], summary: 'Mark one of your notifications read',
      request: { params: IdParam },
      responses: { 200: jsonContent(Notification, 'The notification'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => markNotificationRead(s, c.req.valid('param').id)), 200),
  );
