// A workflow in words, for the builder's "whole flow at a glance" and the run log: one line for the
// trigger, one per condition, one per action. Names (stages, members) come from lookups the caller
// passes; an id nobody knows is shown as is.
import type { Action, Condition, ConditionGroup, Trigger, WorkflowDefinition } from './definition.ts';
import { fieldOf, type AutomationRecordKind } from './fields.ts';
import { recordKindOfTrigger } from './definition.ts';

export interface Names {
  stage?: (id: string) => string | undefined;
  member?: (id: string) => string | undefined;
}

const triggerWords: Record<string, string> = {
  'deal.created': 'a deal is created',
  'deal.updated': 'a deal is changed',
  'deal.stage_changed': 'a deal moves to another stage',
  'deal.owner_changed': 'a deal gets a new owner',
  'deal.closed_won': 'a deal is won',
  'deal.closed_lost': 'a deal is lost',
  'deal.entered_high_risk': 'a deal enters high risk',
  'contact.created': 'a contact is created',
  'contact.updated': 'a contact is changed',
  'task.completed': 'a task is completed',
  'email.logged': 'an email is logged',
  'email.opened': 'a tracked email is opened by a person',
};

export function describeTrigger(trigger: Trigger): string {
  if (trigger.type === 'event') return `When ${triggerWords[trigger.event] ?? trigger.event}`;
  switch (trigger.when) {
    case 'days_in_stage':
      return `When a deal has been ${trigger.days} days in its stage`;
    case 'no_two_way_activity':
      return `When a deal has had no email, call or meeting for ${trigger.days} days`;
    case 'close_date_passed':
      return trigger.days ? `When a deal is ${trigger.days} days past its close date` : 'When a deal’s close date has passed';
    case 'date_field_in':
      return `When a deal’s ${trigger.field ?? 'date'} is ${trigger.days} days away`;
  }
}

/** Operators in words (the builder's operator menu shows these). */
export const opWords: Record<string, string> = {
  eq: 'is', neq: 'is not', in: 'is one of', not_in: 'is none of', contains: 'contains', not_contains: 'does not contain', starts_with: 'starts with',
  gt: 'is more than', gte: 'is at least', lt: 'is less than', lte: 'is at most', before: 'is before', after: 'is after',
  within_next_days: 'is within the next (days)', older_than_days: 'is more than (days) ago', includes: 'includes', excludes: 'does not include',
  is_empty: 'is empty', is_not_empty: 'is set',
};

export function describeCondition(kind: AutomationRecordKind, c: Condition, names: Names = {}): string {
  const label = fieldOf(kind, c.field)?.label ?? c.field;
  const show = (v: unknown) => {
    if (typeof v === 'string' && c.field === 'stageId') return names.stage?.(v) ?? v;
    if (typeof v === 'string' && (c.field === 'ownerId')) return names.member?.(v) ?? v;
    return String(v);
  };
  const value = c.value === undefined ? '' : Array.isArray(c.value) ? ` ${c.value.map(show).join(', ')}` : ` ${show(c.value)}`;
  return `${label} ${opWords[c.op] ?? c.op}${value}`;
}

export function describeConditions(kind: AutomationRecordKind, group: ConditionGroup, names: Names = {}): string {
  if (group.conditions.length === 0) return 'always';
  const joiner = group.match === 'all' ? ' and ' : ' or ';
  return group.conditions.map((c) => ('match' in c ? `(${describeConditions(kind, c, names)})` : describeCondition(kind, c, names))).join(joiner);
}

export function describeStep(kind: AutomationRecordKind, a: Action, names: Names = {}): string {
  switch (a.type) {
    case 'create_task': {
      const due = a.dueInHours !== undefined ? ` due in ${a.dueInHours} hours` : a.dueInDays !== undefined ? ` due in ${a.dueInDays} days` : '';
      const who = a.assignee === 'record_owner' ? 'the owner' : (names.member?.(a.assignee.userId) ?? a.assignee.userId);
      return `Create the task “${a.subject}”${due} for ${who}`;
    }
    case 'assign_owner':
      return `Assign to ${names.member?.(a.userId) ?? a.userId}`;
    case 'update_field':
      return `Set ${fieldOf(kind, a.field)?.label ?? a.field} to ${JSON.stringify(a.value)}`;
    case 'move_stage':
      return `Move to stage ${names.stage?.(a.stageId) ?? a.stageId}`;
    case 'add_tag':
      return `Add the tag “${a.tag}”`;
    case 'remove_tag':
      return `Remove the tag “${a.tag}”`;
    case 'send_webhook':
      return `Send the webhook event workflow.${a.event}`;
    case 'wait':
      return `Wait ${[a.days ? `${a.days} days` : '', a.hours ? `${a.hours} hours` : ''].filter(Boolean).join(' and ')}`;
    case 'stop_unless':
      return `Stop unless ${describeConditions(kind, a.conditions, names)}`;
  }
}

/** The whole flow, one line per part. */
export function describeWorkflow(def: WorkflowDefinition, names: Names = {}): string[] {
  const kind = recordKindOfTrigger(def.trigger);
  return [describeTrigger(def.trigger), `If ${describeConditions(kind, def.conditions, names)}`, ...def.actions.map((a, i) => `${i + 1}. ${describeStep(kind, a, names)}`)];
}
