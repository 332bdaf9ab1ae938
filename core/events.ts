// The catalogue of domain events: every change a person or the system makes is one of these,
// written to the outbox in the same transaction as the change (api/platform/events). Consumers
// (risk, notifications, the live stream, and later webhooks, Slack, workflows, CRM push) subscribe
// by type. A type names its record kind before the dot.
import type { FieldChanges } from './diff.ts';

export const eventTypes = [
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.owner_changed',
  'deal.closed_won',
  'deal.closed_lost',
  'deal.reopened',
  'deal.risk_changed',
  'deal.deleted',
  'deal.restored',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.restored',
  'company.created',
  'company.updated',
  'company.deleted',
  'company.restored',
  'activity.created',
  'activity.updated',
  'activity.deleted',
  'activity.restored',
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'email.logged',
  'email.opened',
  'email.clicked',
  'member.added',
  'member.updated',
  'member.removed',
  'invitation.created',
  'invitation.revoked',
  'invitation.renewed',
  'team.created',
  'team.updated',
  'team.deleted',
  'api_key.created',
  'api_key.revoked',
  'pipeline.created',
  'pipeline.updated',
  'pipeline.deleted',
  'risk_settings.updated',
  'tracking_settings.updated',
  'crm_connection.connected',
  'crm_connection.disconnected',
  'crm_connection.needs_reconnecting',
  'crm_sync.completed',
  'crm_sync.failed',
  'billing.updated',
  'billing.payment_failed',
  'billing.trial_will_end',
] as const;

export type EventType = (typeof eventTypes)[number];

/** The kind of record an event is about: the part of its type before the dot. */
export type RecordKind = EventType extends `${infer K}.${string}` ? K : never;

export const recordKindOf = <T extends EventType>(type: T) => type.slice(0, type.indexOf('.')) as RecordKind;

export const isEventType = (value: string): value is EventType => (eventTypes as readonly string[]).includes(value);

/** What a service hands the outbox: the record, what changed, and a snapshot for consumers. */
export interface EventInput {
  type: EventType;
  recordId: string;
  changes?: FieldChanges;
  data?: Record<string, unknown>;
}

/** An event as stored and delivered. */
export interface DomainEvent {
  id: string;
  seq: number;
  orgId: string;
  type: EventType;
  recordType: RecordKind;
  recordId: string;
  /** Null: the system (a scheduled job, tracking, a consumer). */
  actorId: string | null;
  changes: FieldChanges;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * The events a deal update emits, from what changed: always `deal.updated`, plus the specific
 * transitions a consumer may want alone (a stage move, a new owner, a close or reopen).
 */
export function dealUpdateEvents(changes: FieldChanges): EventType[] {
  const types: EventType[] = ['deal.updated'];
  if (changes.stageId) types.push('deal.stage_changed');
  if (changes.ownerId) types.push('deal.owner_changed');
  if (changes.outcome) {
    const outcome = changes.outcome.new;
    types.push(outcome === 'won' ? 'deal.closed_won' : outcome === 'lost' ? 'deal.closed_lost' : 'deal.reopened');
  }
  return types;
}
