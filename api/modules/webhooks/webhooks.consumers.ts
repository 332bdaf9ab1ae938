// The fan-out: a domain event that is a public webhook event becomes one delivery per enabled
// webhook endpoint subscribed to it, written in the consumer's transaction (so an event handed
// over twice writes them once: api/platform/events/delivery.ts, plus a unique key). The sender
// (delivery-sender.ts) posts them. Slack is not here: it is a channel of the notification
// dispatcher (api/modules/slack/slack.channel.ts), whose deliveries the same sender posts.
import { and, eq, sql } from 'drizzle-orm';
import { sourceEventTypes, webhookPayload, webhookTypeOf } from '../../../core/webhooks/events.ts';
import { domainEvents, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';

export const webhookFanOut: EventConsumer = {
  name: 'webhooks-fan-out',
  types: sourceEventTypes,
  async handle(s, event) {
    const type = webhookTypeOf(event);
    if (!type) return;
    const endpoints = await s.db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.kind, 'webhook'), eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.eventTypes} @> ${JSON.stringify([type])}::jsonb`));
    if (endpoints.length === 0) return;
    // The event's place in the outbox orders deliveries about one record.
    const [{ seq } = { seq: null }] = await s.db.select({ seq: domainEvents.seq }).from(domainEvents).where(eq(domainEvents.id, event.id));
    const body = JSON.stringify(webhookPayload(event, type));
    await s.db
      .insert(webhookDeliveries)
      .values(
        endpoints.map((e) => ({
          orgId: s.orgId,
          endpointId: e.id,
          eventId: event.id,
          eventSeq: seq,
          recordId: event.recordId,
          type,
          body,
          nextAttemptAt: s.now(),
          createdAt: s.now(),
        })),
      )
      .onConflictDoNothing();
  },
};
