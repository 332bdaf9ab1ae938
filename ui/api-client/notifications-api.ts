// The rep's in-app notifications (a tracked email's first human open, a deal turning high-risk), as a
// facade over the typed client: the demo inbox's bell and, next, the dashboard's.
import { call, createApiClient, type ApiClientOptions } from './api-client.ts';
import type { AppNotification, NotificationList } from './api-types.ts';

export interface NotificationQuery {
  unread?: boolean;
  limit?: number;
}

export interface NotificationsApi {
  listNotifications(query?: NotificationQuery): Promise<NotificationList>;
  markNotificationRead(id: string): Promise<AppNotification>;
}

export function createNotificationsApi(options: ApiClientOptions): NotificationsApi {
  const client = createApiClient(options);
  return {
    listNotifications: ({ unread, limit } = {}) =>
      call(client.GET('/notifications', { params: { query: { ...(unread === undefined ? {} : { unread: unread ? 'true' : 'false' }), ...(limit === undefined ? {} : { limit }) } } })),
    markNotificationRead: (id) => call(client.POST('/notifications/{id}/read', { params: { path: { id } } })),
  };
}
