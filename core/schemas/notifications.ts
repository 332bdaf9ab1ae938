import { z } from 'zod';
import { BooleanQuery, Id, Timestamp } from './common.ts';

export const Notification = z
  .object({
    id: Id,
    kind: z.enum(['deal_high_risk', 'email_opened', 'webhook_disabled', 'crm_needs_reconnecting', 'large_export']).meta({
      description: 'deal_high_risk: data {score (0–100, when it entered the band), band, reasonCodes, nextAction}. email_opened (the first human open of your tracked email): data {trackedMessageId, messageId, threadId, subject}. webhook_disabled (admins: a webhook endpoint or Slack connection stopped after persistent failure): data {endpointId, kind, reason}. crm_needs_reconnecting (admins: the CRM no longer accepts a connection; its sync is paused): data {connectionId, provider, reason}. large_export (admins: a member exported many records as CSV): data {exportId, kind, rows, actorId}',
    }),
    dealId: Id.nullable(),
    title: z.string(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    currentRisk: z
      .object({ score: z.number().int().min(0).max(100), band: z.enum(['low', 'medium', 'high']) })
      .nullable()
      .meta({ description: 'deal_high_risk: the deal\'s risk now (0–100), which may have dropped since the alert was written; null once the deal is closed or deleted, and for other kinds' }),
    readAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Notification' });

export const NotificationListQuery = z.object({
  unread: BooleanQuery.optional(),
  before: Timestamp.optional().meta({ description: 'Only notifications created before this time (the next page)' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const NotificationList = z.object({ data: z.array(Notification), unread: z.number().int() }).meta({ id: 'NotificationList' });

export type Notification = z.infer<typeof Notification>;
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
