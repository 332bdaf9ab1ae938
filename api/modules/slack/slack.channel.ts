// The Slack channel of the notification dispatcher: the organization's, not a member's. A notice
// whose kind the admins left on for Slack (Settings → Notification defaults) becomes one queued
// message per enabled connection subscribed to that kind, however many members it concerns. The
// webhooks module's sender posts it (at least once, retries, a refused URL disabled and shown).
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { SlackEvent } from '../../../core/webhooks/slack.ts';
import { domainEvents, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { Notice, NotificationChannel } from '../notifications/channel.ts';

/**
 * A UUID fixed by the notice's dedupe key: the delivery's `event_id`, so the same notice handed
 * over twice (a consumer retried) writes one message per connection (the deliveries' unique key).
 */
export function noticeDeliveryId(dedupeKey: string): string {
  const h = createHash('sha256').update(`slack:${dedupeKey}`).digest('hex');
  // RFC 4122 layout, version 5 style (name-based) bits, so it is a valid uuid for the column.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** What the message says; the sender renders it as Block Kit when it posts (core/webhooks/slack.ts). */
export function slackEventOf(notice: Notice): SlackEvent {
  const deal = notice.deal;
  if (!deal) return { type: notice.kind, summary: notice.title };
  return {
    type: notice.kind,
    deal: {
      id: deal.id,
      name: deal.name,
      valueCents: deal.value ? Math.round(deal.value.amount * 100) : null,
      currency: deal.value?.currency ?? null,
      stageName: deal.stage,
      ownerName: deal.owner,
    },
    risk: deal.risk ? { score: deal.risk.score, reasons: deal.risk.reasons.map((sentence) => ({ sentence })), nextAction: deal.risk.nextAction || null } : null,
  };
}

export const slackChannel: NotificationChannel = {
  id: 'slack',
  audience: 'organization',
  async deliver(s, notice) {
    const connections = await s.db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.kind, 'slack'), eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.eventTypes} @> ${JSON.stringify([notice.kind])}::jsonb`));
    if (connections.length === 0) return;
    // The source event's place in the outbox orders the messages about one deal (created before at risk).
    const [{ seq } = { seq: null }] = notice.source
      ? await s.db.select({ seq: domainEvents.seq }).from(domainEvents).where(eq(domainEvents.id, notice.source.eventId))
      : [];
    const body = JSON.stringify(slackEventOf(notice));
    await s.db
      .insert(webhookDeliveries)
      .values(
        connections.map((c) => ({
          orgId: s.orgId,
          endpointId: c.id,
          eventId: noticeDeliveryId(notice.dedupeKey),
          eventSeq: seq,
          recordId: notice.source?.recordId ?? null,
          type: notice.kind,
          body,
          nextAttemptAt: s.now(),
          createdAt: s.now(),
        })),
      )
      .onConflictDoNothing();
  },
};
