// A workflow's definition: what starts it (an event on a record, or a time condition the scheduled
// job finds), the conditions the record must meet (AND/OR groups), and the ordered actions. Checked
// in two passes: the shape (zod), then against the record kind the trigger implies (a deal trigger
// cannot test a contact's tags, "move stage" needs a deal), each problem with the field's path.
import { z } from 'zod';
import { fieldOf, type AutomationRecordKind, type FieldType } from './fields.ts';

/** Record events a workflow can start from; `deal.entered_high_risk` is a deal.risk_changed into high. */
export const eventTriggers = [
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.owner_changed',
  'deal.closed_won',
  'deal.closed_lost',
  'deal.entered_high_risk',
  'contact.created',
  'contact.updated',
  'task.completed',
  'email.logged',
  'email.opened',
] as const;
export type EventTrigger = (typeof eventTriggers)[number];

/** Time conditions on deals, found by the scheduled job (api/modules/automation/time-triggers.job.ts). */
export const timeTriggers = ['no_two_way_activity', 'days_in_stage', 'close_date_passed', 'date_field_in'] as const;
export type TimeTrigger = (typeof timeTriggers)[number];

export const operatorsByType: Record<FieldType, readonly string[]> = {
  text: ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'is_empty', 'is_not_empty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_empty', 'is_not_empty'],
  date: ['before', 'after', 'within_next_days', 'older_than_days', 'is_empty', 'is_not_empty'],
  id: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  tags: ['includes', 'excludes', 'is_empty', 'is_not_empty'],
  boolean: ['eq', 'is_empty', 'is_not_empty'],
  any: ['eq', 'neq', 'in', 'not_in', 'contains', 'gt', 'gte', 'lt', 'lte', 'is_empty', 'is_not_empty'],
};
export const operators = ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'before', 'after', 'within_next_days', 'older_than_days', 'includes', 'excludes', 'is_empty', 'is_not_empty'] as const;
export type Operator = (typeof operators)[number];

const Scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const Condition = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.enum(operators),
  value: z.union([Scalar, z.array(z.union([z.string().max(500), z.number()])).max(100)]).optional(),
});
export type Condition = z.infer<typeof Condition>;

/**
 * AND/OR groups two levels deep (e.g. all of: stage is Proposal, any of: country DE, country FR):
 * what a form-based builder shows, and a shape the OpenAPI document can describe without recursion.
 */
export const ConditionSubgroup = z.strictObject({ match: z.enum(['all', 'any']), conditions: z.array(Condition).max(50) }).meta({ id: 'WorkflowConditionSubgroup' });
export const ConditionGroup = z
  .strictObject({ match: z.enum(['all', 'any']), conditions: z.array(z.union([Condition, ConditionSubgroup])).max(50) })
  .meta({ id: 'WorkflowConditionGroup' });
export interface ConditionGroup {
  match: 'all' | 'any';
  conditions: (Condition | ConditionGroup)[];
}

export const Trigger = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('event'), event: z.enum(eventTriggers) }),
  z.strictObject({
    type: z.literal('time'),
    when: z.enum(timeTriggers),
    days: z.number().int().min(0).max(3650),
    /** date_field_in: a date field of the deal (expectedCloseDate or customFields.<key>). */
    field: z.string().max(100).optional(),
  }),
]);
export type Trigger = z.infer<typeof Trigger>;

/** Who an action's task or notice is for: the record's owner, or a named member. */
const Assignee = z.union([z.literal('record_owner'), z.strictObject({ userId: z.uuid() })]);

export const Action = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('create_task'),
    subject: z.string().trim().min(1).max(1000),
    dueInDays: z.number().min(0).max(3650).optional(),
    dueInHours: z.number().min(0).max(87_600).optional(),
    assignee: Assignee.default('record_owner'),
  }),
  z.strictObject({ type: z.literal('assign_owner'), userId: z.uuid() }),
  z.strictObject({ type: z.literal('update_field'), field: z.string().min(1).max(100), value: Scalar }),
  z.strictObject({ type: z.literal('move_stage'), stageId: z.uuid() }),
  z.strictObject({ type: z.literal('add_tag'), tag: z.string().trim().min(1).max(50) }),
  z.strictObject({ type: z.literal('remove_tag'), tag: z.string().trim().min(1).max(50) }),
  z.strictObject({ type: z.literal('send_webhook'), endpointId: z.uuid(), event: z.string().trim().min(1).max(100).regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, dots, dashes and underscores') }),
  z.strictObject({ type: z.literal('wait'), hours: z.number().min(0).max(8760).optional(), days: z.number().min(0).max(365).optional() }),
  z.strictObject({ type: z.literal('stop_unless'), conditions: ConditionGroup }),
]);
export type Action = z.infer<typeof Action>;
export type ActionType = Action['type'];

export const WorkflowDefinition = z.strictObject({
  trigger: Trigger,
  conditions: ConditionGroup.default({ match: 'all', conditions: [] }),
  actions: z.array(Action).min(1).max(25),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;

export interface DefinitionIssue {
  path: string;
  message: string;
}

/** The kind of record a trigger's runs are about. */
export function recordKindOfTrigger(trigger: Trigger): AutomationRecordKind {
  if (trigger.type === 'time') return 'deal';
  return trigger.event.slice(0, trigger.event.indexOf('.')) as AutomationRecordKind;
}

/** The domain event type a trigger listens to (entering high risk is a risk change). */
export function sourceEventOf(trigger: Trigger): string | null {
  if (trigger.type === 'time') return null;
  return trigger.event === 'deal.entered_high_risk' ? 'deal.risk_changed' : trigger.event;
}

function checkGroup(kind: AutomationRecordKind, group: ConditionGroup, path: string, issues: DefinitionIssue[]) {
  group.conditions.forEach((c, i) => {
    const at = `${path}.conditions.${i}`;
    if ('match' in c) return checkGroup(kind, c, at, issues);
    const field = fieldOf(kind, c.field);
    if (!field) return issues.push({ path: `${at}.field`, message: `a ${kind} has no field “${c.field}”` });
    if (!operatorsByType[field.type].includes(c.op)) {
      return issues.push({ path: `${at}.op`, message: `“${c.op}” does not apply to ${field.type} field “${c.field}” (use ${operatorsByType[field.type].join(', ')})` });
    }
    const needs = valueNeeded(c.op, field.type);
    const v = c.value;
    if (needs === 'none') return;
    if (needs === 'list' && !Array.isArray(v)) return issues.push({ path: `${at}.value`, message: `“${c.op}” takes a list of values` });
    if (needs === 'days' && (typeof v !== 'number' || v < 0)) return issues.push({ path: `${at}.value`, message: `“${c.op}” takes a number of days` });
    if (needs === 'number' && typeof v !== 'number') return issues.push({ path: `${at}.value`, message: `“${c.field}” is a number: compare it with a number` });
    if (needs === 'date' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) return issues.push({ path: `${at}.value`, message: `“${c.op}” takes a date (YYYY-MM-DD or an ISO time)` });
    if (needs === 'scalar' && (v === undefined || Array.isArray(v))) return issues.push({ path: `${at}.value`, message: `“${c.op}” takes one value` });
  });
}

function valueNeeded(op: Operator, type: FieldType): 'none' | 'list' | 'days' | 'number' | 'date' | 'scalar' {
  if (op === 'is_empty' || op === 'is_not_empty') return 'none';
  if (op === 'in' || op === 'not_in') return 'list';
  if (op === 'within_next_days' || op === 'older_than_days') return 'days';
  if (op === 'before' || op === 'after') return 'date';
  if (type === 'number' && ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'].includes(op)) return 'number';
  return 'scalar';
}

/** Problems a definition has for its record kind, beyond its shape; empty when it can be saved. */
export function definitionIssues(def: WorkflowDefinition): DefinitionIssue[] {
  const kind = recordKindOfTrigger(def.trigger);
  const issues: DefinitionIssue[] = [];
  if (def.trigger.type === 'time' && def.trigger.when === 'date_field_in') {
    const field = def.trigger.field ? fieldOf('deal', def.trigger.field) : undefined;
    if (!field || (field.type !== 'date' && field.type !== 'any')) issues.push({ path: 'trigger.field', message: 'name a date field of the deal (e.g. expectedCloseDate or customFields.renewalDate)' });
  }
  checkGroup(kind, def.conditions, 'conditions', issues);
  const ownsRecord = kind === 'deal' || kind === 'contact';
  def.actions.forEach((a, i) => {
    const at = `actions.${i}`;
    switch (a.type) {
      case 'create_task':
        if (a.dueInDays !== undefined && a.dueInHours !== undefined) issues.push({ path: `${at}.dueInHours`, message: 'give the due date in days or in hours, not both' });
        break;
      case 'assign_owner':
        if (!ownsRecord) issues.push({ path: `${at}.type`, message: `a workflow on ${kind}s cannot assign an owner (deals and contacts only)` });
        break;
      case 'update_field': {
        const field = ownsRecord ? fieldOf(kind, a.field) : undefined;
        if (!field?.writable) issues.push({ path: `${at}.field`, message: `“${a.field}” is not a field a workflow can update on a ${kind}` });
        else if (field.type === 'number' && typeof a.value !== 'number') issues.push({ path: `${at}.value`, message: `“${a.field}” is a number` });
        else if (field.type === 'date' && a.value !== null && (typeof a.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(a.value))) issues.push({ path: `${at}.value`, message: `“${a.field}” is a date (YYYY-MM-DD) or null` });
        else if (field.type === 'text' && a.value !== null && typeof a.value !== 'string') issues.push({ path: `${at}.value`, message: `“${a.field}” is text` });
        break;
      }
      case 'move_stage':
        if (kind !== 'deal') issues.push({ path: `${at}.type`, message: 'only a workflow on deals can move a stage' });
        break;
      case 'add_tag':
      case 'remove_tag':
        // Deals have no tags in this CRM; contacts do.
        if (kind !== 'contact') issues.push({ path: `${at}.type`, message: 'only contacts have tags: use a workflow on contacts' });
        break;
      case 'wait':
        if ((a.hours ?? 0) + (a.days ?? 0) <= 0) issues.push({ path: `${at}.hours`, message: 'wait for some hours or days' });
        break;
      case 'stop_unless':
        checkGroup(kind, a.conditions, `${at}.conditions`, issues);
        break;
      case 'send_webhook':
        break;
    }
  });
  return issues;
}
