// What each action does, through the records' own services: the same validation (the person-facing
// zod schemas), audit entries and domain events as a person's change. The scope it gets stamps every
// event with the workflow that caused it (data.automation), which is what loop protection reads.
import { and, eq } from 'drizzle-orm';
import type { Action } from '../../../core/automation/definition.ts';
import { taskDueAt } from '../../../core/automation/execution.ts';
import type { AutomationRecordKind, Facts } from '../../../core/automation/fields.ts';
import { AppError } from '../../../core/errors.ts';
import { ContactUpdate } from '../../../core/schemas/contacts.ts';
import { DealUpdate } from '../../../core/schemas/deals.ts';
import { TaskCreate } from '../../../core/schemas/activities.ts';
import { webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { createTask } from '../records/activities.service.ts';
import { getContact, updateContact } from '../records/contacts.service.ts';
import { updateDeal } from '../records/deals.service.ts';
import { linksFor } from './record-facts.ts';

export interface ActionContext {
  kind: AutomationRecordKind;
  recordId: string;
  facts: Facts;
  workflow: { id: string; name: string; version: number };
  runId: string;
}

/** What a step did, for the run log. */
export type ActionResult = Record<string, unknown>;

/** Parses with the person-facing schema: a bad value fails the step with the field's message. */
function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError('VALIDATION_FAILED', `${issue.path.map(String).join('.') || 'value'}: ${issue.message}`);
}

function fieldPatch(field: string, value: unknown, current: Facts): Record<string, unknown> {
  if (!field.startsWith('customFields.')) return { [field]: value };
  // Custom fields are written whole: keep the others.
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) if (k.startsWith('customFields.')) custom[k.slice(13)] = v;
  custom[field.slice(13)] = value;
  return { customFields: custom };
}

export async function performAction(s: Scope, action: Exclude<Action, { type: 'wait' | 'stop_unless' }>, ctx: ActionContext): Promise<ActionResult> {
  const { kind, recordId } = ctx;
  switch (action.type) {
    case 'create_task': {
      const ownerId = action.assignee === 'record_owner' ? ((ctx.facts.ownerId as string | null) ?? undefined) : action.assignee.userId;
      const dueAt = taskDueAt(action, s.now());
      const input = checked(TaskCreate, { subject: action.subject, ownerId, dueAt: dueAt?.toISOString() ?? null, ...linksFor(kind, recordId) });
      const task = await createTask(s, input);
      return { taskId: task.id, ownerId: task.ownerId, dueAt: task.dueAt };
    }
    case 'assign_owner':
      if (kind === 'deal') return { deal: (await updateDeal(s, recordId, checked(DealUpdate, { ownerId: action.userId }))).id, ownerId: action.userId };
      return { contact: (await updateContact(s, recordId, checked(ContactUpdate, { ownerId: action.userId }))).id, ownerId: action.userId };
    case 'update_field': {
      const patch = fieldPatch(action.field, action.value, ctx.facts);
      if (kind === 'deal') await updateDeal(s, recordId, checked(DealUpdate, patch));
      else await updateContact(s, recordId, checked(ContactUpdate, patch));
      return { field: action.field, value: action.value };
    }
    case 'move_stage': {
      const deal = await updateDeal(s, recordId, checked(DealUpdate, { stage: action.stageId }));
      return { stageId: deal.stage, stageName: deal.stageInfo.name };
    }
    case 'add_tag':
    case 'remove_tag': {
      const contact = await getContact(s, recordId);
      const has = contact.tags.some((t: string) => t.toLowerCase() === action.tag.toLowerCase());
      if (action.type === 'add_tag' ? has : !has) return { tags: contact.tags, unchanged: true };
      const tags = action.type === 'add_tag' ? [...contact.tags, action.tag] : contact.tags.filter((t: string) => t.toLowerCase() !== action.tag.toLowerCase());
      await updateContact(s, recordId, checked(ContactUpdate, { tags }));
      return { tags };
    }
    case 'send_webhook': {
      // Through the webhooks outbox: the sender signs, delivers, retries and logs it like any event.
      const [endpoint] = await s.db
        .select({ id: webhookEndpoints.id, enabled: webhookEndpoints.enabled })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, action.endpointId), eq(webhookEndpoints.kind, 'webhook')));
      if (!endpoint) throw new AppError('INVALID_REFERENCE', 'endpointId: no such webhook endpoint');
      if (!endpoint.enabled) throw new AppError('CONFLICT', 'The webhook endpoint is paused or disabled');
      const type = `workflow.${action.event}`;
      const body = JSON.stringify({
        type,
        timestamp: s.now().toISOString(),
        data: { workflow: ctx.workflow, runId: ctx.runId, record: { type: kind, id: recordId }, fields: ctx.facts },
      });
      await s.db
        .insert(webhookDeliveries)
        .values({ orgId: s.orgId, endpointId: endpoint.id, eventId: ctx.runId, recordId, type, body, nextAttemptAt: s.now(), createdAt: s.now() })
        .onConflictDoNothing();
      return { endpointId: endpoint.id, type };
    }
  }
}

/** What an action would do, in words, for a dry run: nothing is written. */
export function describeAction(action: Action, ctx: Pick<ActionContext, 'facts'>, now: Date): string {
  switch (action.type) {
    case 'create_task': {
      const due = taskDueAt(action, now);
      const who = action.assignee === 'record_owner' ? `the record’s owner (${String(ctx.facts.ownerId ?? 'nobody')})` : action.assignee.userId;
      return `Create the task “${action.subject}” for ${who}${due ? `, due ${due.toISOString()}` : ''}`;
    }
    case 'assign_owner':
      return `Assign the record to ${action.userId} (now ${String(ctx.facts.ownerId ?? 'nobody')})`;
    case 'update_field':
      return `Set ${action.field} to ${JSON.stringify(action.value)} (now ${JSON.stringify(ctx.facts[action.field] ?? null)})`;
    case 'move_stage':
      return `Move the deal to stage ${action.stageId} (now “${String(ctx.facts.stageName)}”)`;
    case 'add_tag':
      return `Add the tag “${action.tag}”`;
    case 'remove_tag':
      return `Remove the tag “${action.tag}”`;
    case 'send_webhook':
      return `Send the webhook event workflow.${action.event} to endpoint ${action.endpointId}`;
    case 'wait':
      return `Wait ${action.days ? `${action.days} day(s)` : ''}${action.days && action.hours ? ' and ' : ''}${action.hours ? `${action.hours} hour(s)` : ''}`;
    case 'stop_unless':
      return 'Stop unless the conditions still hold';
  }
}
