// A connection the CRM stopped accepting notifies every admin, once per event: its sync is
// paused until one of them connects it again.
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { notifyAdmins } from '../notifications/notifications.service.ts';

export const crmReconnectNotifications: EventConsumer = {
  name: 'notify-crm-reconnect',
  types: ['crm_connection.needs_reconnecting'],
  async handle(s, event) {
    const data = event.data as { provider?: string; reason?: string };
    const label = data.provider === 'salesforce' ? 'Salesforce' : 'HubSpot';
    await notifyAdmins(s, {
      kind: 'crm_needs_reconnecting',
      title: `${label} needs reconnecting`,
      body: `${data.reason ?? `${label} no longer accepts the connection`}. Syncing is paused; nothing is lost. Connect ${label} again in Settings to resume.`,
      data: { connectionId: event.recordId, provider: data.provider ?? null, reason: data.reason ?? null },
      dedupeKey: `crm_needs_reconnecting:${event.recordId}:${event.id}`,
    });
  },
};
