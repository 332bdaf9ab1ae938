// The events customers' systems (outgoing webhooks) and Slack channels can subscribe to, the
// domain events they come from, and the public payload of each. The payload shapes are zod
// schemas so the OpenAPI document describes exactly what is sent (api/modules/webhooks).
import { z } from 'zod';
import type { DomainEvent, EventType } from '../events.ts';
import { Activity } from '../schemas/activities.ts';
import { Id, Timestamp } from '../schemas/common.ts';
import { Contact } from '../schemas/contacts.ts';
import { Deal } from '../schemas/deals.ts';
import { Member } from '../schemas/org.ts';

export const webhookEventTypes = [
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.at_risk',
  'deal.closed_won',
  'deal.closed_lost',
  'contact.created',
  'email.logged',
  'email.opened',
  'task.created',
  'task.completed',
  'member.added',
  'member.removed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
export const WebhookEventType = z.enum(webhookEventTypes);

/** The test event ("send test event"): always sent, whatever the endpoint subscribes to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Domain events whose public name is the same. */
const sameName: readonly EventType[] = [
  'deal.created', 'deal.updated', 'deal.stage_changed', 'deal.closed_won', 'deal.closed_lost', 'contact.created',
  'email.logged', 'email.opened', 'task.created', 'task.completed', 'member.added', 'member.removed',
];

/** The domain events the fan-out consumer listens to. */
export const sourceEventTypes: readonly EventType[] = [...sameName, 'deal.risk_changed'];

/** The public event a domain event is, if any: a risk change is `deal.at_risk` only when it entered the high band. */
export function webhookTypeOf(event: Pick<DomainEvent, 'type' | 'changes'>): WebhookEventType | null {
  if (event.type === 'deal.risk_changed') {
    const band = event.changes.band;
    return band && band.new === 'high' && band.old !== 'high' ? 'deal.at_risk' : null;
  }
  return sameName.includes(event.type) ? (event.type as WebhookEventType) : null;
}

const Changes = z
  .record(z.string(), z.object({ old: z.unknown(), new: z.unknown() }))
  .meta({ description: 'The fields this change touched, with their old and new values' });

const RiskReasonPayload = z.object({ code: z.string(), sentence: z.string() });

const dataSchemas = {
  'deal.created': z.object({ deal: Deal }),
  'deal.updated': z.object({ deal: Deal, changes: Changes }),
  'deal.stage_changed': z.object({ deal: Deal, changes: Changes }),
  'deal.closed_won': z.object({ deal: Deal, changes: Changes }),
  'deal.closed_lost': z.object({ deal: Deal, changes: Changes }),
  'deal.at_risk': z.object({
    dealId: Id,
    dealName: z.string(),
    valueCents: z.number().nullable(),
    currency: z.string().nullable(),
    ownerId: Id.nullable(),
    score: z.number().int().min(0).max(100).meta({ description: 'Risk 0–100 when the deal entered the high band' }),
    reasons: z.array(RiskReasonPayload),
    nextAction: RiskReasonPayload,
  }),
  'contact.created': z.object({ contact: Contact }),
  'email.logged': z.object({
    activityId: Id,
    messageId: z.string(),
    threadId: z.string().nullable(),
    subject: z.string().nullable(),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    from: z.string().nullable(),
    occurredAt: Timestamp,
    contactIds: z.array(Id),
    companyIds: z.array(Id),
    dealIds: z.array(Id),
  }),
  'email.opened': z.object({
    trackedMessageId: Id,
    activityId: Id.nullable(),
    dealIds: z.array(Id),
    subject: z.string().nullable(),
    messageId: z.string().nullable(),
    threadId: z.string().nullable(),
    openedAt: Timestamp,
  }),
  'task.created': z.object({ task: Activity }),
  'task.completed': z.object({ task: Activity, changes: Changes }),
  'member.added': z.object({ member: Member }),
  'member.removed': z.object({ member: Member }),
} satisfies Record<WebhookEventType, z.ZodType>;

/** The body of every delivery, per Standard Webhooks: `{ type, timestamp, data }`. */
export const webhookPayloadSchema = (type: WebhookEventType) =>
  z
    .object({
      type: z.literal(type),
      timestamp: Timestamp.meta({ description: 'When the change happened' }),
      data: dataSchemas[type],
    })
    .meta({ id: `WebhookEvent_${type.replace('.', '_')}` });

export interface WebhookPayload {
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  timestamp: string;
  data: Record<string, unknown>;
}

const pick = (data: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, data[k] ?? null]));
const points = (score: unknown) => Math.round(Number(score ?? 0) * 100);

/** The public payload of a domain event as `type`: the record's snapshot and what changed, nothing internal. */
export function webhookPayload(event: DomainEvent, type: WebhookEventType): WebhookPayload {
  const d = event.data;
  const timestamp = event.occurredAt.toISOString();
  const withChanges = { changes: event.changes };
  const data = ((): Record<string, unknown> => {
    switch (type) {
      case 'deal.created':
        return { deal: d.deal };
      case 'deal.updated':
      case 'deal.stage_changed':
      case 'deal.closed_won':
      case 'deal.closed_lost':
        return { deal: d.deal, ...withChanges };
      case 'deal.at_risk': {
        const reasons = (d.reasons as { code: string; sentence: string }[] | undefined) ?? [];
        const next = d.nextAction as { code: string; sentence: string } | undefined;
        return {
          dealId: event.recordId,
          dealName: d.dealName,
          valueCents: d.valueCents ?? null,
          currency: d.currency ?? null,
          ownerId: d.ownerId ?? null,
          score: points(event.changes.score?.new),
          reasons: reasons.map((r) => ({ code: r.code, sentence: r.sentence })),
          nextAction: { code: next?.code ?? '', sentence: next?.sentence ?? '' },
        };
      }
      case 'contact.created':
        return { contact: d.contact };
      case 'email.logged':
        return { activityId: event.recordId, ...pick(d, ['messageId', 'threadId', 'subject', 'direction', 'from', 'occurredAt']), contactIds: d.contactIds ?? [], companyIds: d.companyIds ?? [], dealIds: d.dealIds ?? [] };
      case 'email.opened':
        return { trackedMessageId: event.recordId, ...pick(d, ['activityId', 'subject', 'messageId', 'threadId', 'openedAt']), dealIds: d.dealIds ?? [] };
      case 'task.created':
        return { task: d.activity };
      case 'task.completed':
        return { task: d.activity, ...withChanges };
      case 'member.added':
      case 'member.removed':
        return { member: d.member };
    }
  })();
  return { type, timestamp, data };
}

/** The "send test event" body. */
export const testPayload = (at: Date): WebhookPayload => ({ type: TEST_EVENT_TYPE, timestamp: at.toISOString(), data: { message: 'A test event from Inbox CRM: your endpoint is reachable and can verify our signature.' } });
