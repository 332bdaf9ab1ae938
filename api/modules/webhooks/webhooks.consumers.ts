// The fan-out: a domain event that is a public webhook event becomes one delivery per enabled
// endpoint (webhook or Slack) subscribed to it, written in the consumer's transaction (so an event
// handed over twice writes them once: api/platform/events/delivery.ts, plus a unique key). The
// sender (delivery-sender.ts) posts them.
import { and, eq, sql } from 'drizzle-orm';
import type { DomainEvent } from '../../../core/events.ts';
import { organizationDefaults, wants } from '../../../core/notify/preferences.ts';
import { sourceEventTypes, webhookPayload, webhookTypeOf, type WebhookEventType } from '../../../core/webhooks/events.ts';
import type { SlackDeal, SlackEvent } from '../../../core/webhooks/slack.ts';
import { domainEvents, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { organizationOverrides } from '../notifications/notify.service.ts';
import { getDeal } from '../records/deals.service.ts';

export const webhookFanOut: EventConsumer = {
  name: 'webhooks-fan-out',
  types: sourceEventTypes,
  async handle(s, event) {
    const type = webhookTypeOf(event);
    if (!type) return;
    const subscribed = await s.db
      .select({ id: webhookEndpoints.id, kind: webhookEndpoints.kind })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.eventTypes} @> ${JSON.stringify([type])}::jsonb`));
    // High-risk alerts are also a notification kind: the admins' "Slack" default for it (Settings →
    // Notification defaults) switches them off for every Slack connection at once.
    const slackMuted = type === 'deal.at_risk' && subscribed.some((e) => e.kind === 'slack') && !wants(organizationDefaults(await organizationOverrides(s)), 'deal_high_risk', 'slack');
    const endpoints = slackMuted ? subscribed.filter((e) => e.kind !== 'slack') : subscribed;
    if (endpoints.length === 0) return;
    // The event's place in the outbox orders deliveries about one record.
    const [{ seq } = { seq: null }] = await s.db.select({ seq: domainEvents.seq }).from(domainEvents).where(eq(domainEvents.id, event.id));
    const webhookBody = JSON.stringify(webhookPayload(event, type));
    const slackBody = endpoints.some((e) => e.kind === 'slack') ? JSON.stringify(await slackEventOf(s, event, type)) : '';
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
          body: e.kind === 'webhook' ? webhookBody : slackBody,
          nextAttemptAt: s.now(),
          createdAt: s.now(),
        })),
      )
      .onConflictDoNothing();
  },
};

interface DealSnapshot {
  id: string;
  name: string;
  valueCents: number;
  currency: string;
  stageInfo?: { name: string } | null;
  owner?: { name: string } | null;
}

const dealView = (d: DealSnapshot): SlackDeal => ({
  id: d.id, name: d.name, valueCents: d.valueCents, currency: d.currency, stageName: d.stageInfo?.name ?? null, ownerName: d.owner?.name ?? null,
});

/** What a Slack message says about the event; the sender renders it (core/webhooks/slack.ts). */
async function slackEventOf(s: Scope, event: DomainEvent, type: WebhookEventType): Promise<SlackEvent> {
  const d = event.data as Record<string, any>;
  if (type === 'deal.at_risk') {
    // A risk change carries no stage or owner names: read the deal as it is now.
    const deal = await getDeal(s, event.recordId).catch(() => null);
    const payload = webhookPayload(event, type).data as { score: number; reasons: { sentence: string }[]; nextAction: { sentence: string } };
    return {
      type,
      deal: deal ? dealView(deal) : { id: event.recordId, name: String(d.dealName ?? 'A deal'), valueCents: d.valueCents ?? null, currency: d.currency ?? null, stageName: null, ownerName: null },
      risk: { score: payload.score, reasons: payload.reasons, nextAction: payload.nextAction.sentence || null },
    };
  }
  if (type.startsWith('deal.') && d.deal) return { type, deal: dealView(d.deal as DealSnapshot) };
  const summary = ((): string => {
    switch (type) {
      case 'contact.created':
        return [d.contact?.firstName, d.contact?.lastName].filter(Boolean).join(' ') + (d.contact?.email ? ` (${d.contact.email})` : '');
      case 'email.logged':
        return `${d.subject ?? '(no subject)'} from ${d.from ?? 'unknown sender'}`;
      case 'email.opened':
        return `${d.recipientName ?? 'A recipient'} opened “${d.subject ?? '(no subject)'}”`;
      case 'task.created':
      case 'task.completed':
        return String(d.activity?.subject ?? 'A task');
      default:
        return `${d.member?.name ?? 'A member'} (${d.member?.email ?? ''})`;
    }
  })();
  return { type, summary };
}
