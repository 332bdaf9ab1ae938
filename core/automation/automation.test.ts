import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateConditions } from './conditions.ts';
import { definitionIssues, WorkflowDefinition, type Condition } from './definition.ts';
import { decideStart, MAX_STEP_ATTEMPTS, originOf, retryPlan, taskDueAt, waitUntil } from './execution.ts';
import { timeTriggerOccurrence } from './time-triggers.ts';

const now = new Date('2026-06-15T12:00:00Z');
const deal = {
  name: 'Acme renewal',
  valueCents: 500_000,
  stageName: 'Proposal',
  stageId: '11111111-1111-4111-8111-111111111111',
  ownerId: null,
  riskBand: 'high',
  expectedCloseDate: '2026-06-20',
  stageChangedAt: '2026-06-01T09:00:00Z',
  'customFields.country': 'DE',
  tags: ['vip', 'Enterprise'],
};

describe('evaluateCondition', () => {
  const cases: [Condition, boolean][] = [
    [{ field: 'stageName', op: 'eq', value: 'proposal' }, true],
    [{ field: 'stageName', op: 'neq', value: 'Proposal' }, false],
    [{ field: 'valueCents', op: 'gt', value: 100_000 }, true],
    [{ field: 'valueCents', op: 'lte', value: 100_000 }, false],
    [{ field: 'valueCents', op: 'gte', value: 500_000 }, true],
    [{ field: 'name', op: 'contains', value: 'RENEW' }, true],
    [{ field: 'name', op: 'not_contains', value: 'renew' }, false],
    [{ field: 'name', op: 'starts_with', value: 'acme' }, true],
    [{ field: 'customFields.country', op: 'in', value: ['DE', 'FR'] }, true],
    [{ field: 'customFields.country', op: 'not_in', value: ['DE', 'FR'] }, false],
    [{ field: 'customFields.missing', op: 'is_empty' }, true],
    [{ field: 'ownerId', op: 'is_empty' }, true],
    [{ field: 'ownerId', op: 'is_not_empty' }, false],
    [{ field: 'riskBand', op: 'eq', value: 'high' }, true],
    [{ field: 'expectedCloseDate', op: 'within_next_days', value: 7 }, true],
    [{ field: 'expectedCloseDate', op: 'within_next_days', value: 3 }, false],
    [{ field: 'stageChangedAt', op: 'older_than_days', value: 14 }, true],
    [{ field: 'stageChangedAt', op: 'older_than_days', value: 15 }, false],
    [{ field: 'expectedCloseDate', op: 'before', value: '2026-07-01' }, true],
    [{ field: 'expectedCloseDate', op: 'after', value: '2026-07-01' }, false],
    [{ field: 'tags', op: 'includes', value: 'enterprise' }, true],
    [{ field: 'tags', op: 'excludes', value: 'vip' }, false],
    [{ field: 'name', op: 'gt', value: 3 }, false],
  ];
  it.each(cases)('%j → %s', (c, expected) => expect(evaluateCondition(c, deal, now)).toBe(expected));
});

describe('evaluateConditions (AND/OR groups)', () => {
  const cases: [string, Parameters<typeof evaluateConditions>[0], boolean][] = [
    ['empty group matches', { match: 'all', conditions: [] }, true],
    ['all: one fails', { match: 'all', conditions: [{ field: 'stageName', op: 'eq', value: 'Proposal' }, { field: 'valueCents', op: 'lt', value: 10 }] }, false],
    ['any: one holds', { match: 'any', conditions: [{ field: 'stageName', op: 'eq', value: 'Won' }, { field: 'valueCents', op: 'gt', value: 10 }] }, true],
    [
      'nested: all (stage, any (DE, US))',
      { match: 'all', conditions: [{ field: 'stageName', op: 'eq', value: 'Proposal' }, { match: 'any', conditions: [{ field: 'customFields.country', op: 'eq', value: 'US' }, { field: 'customFields.country', op: 'eq', value: 'DE' }] }] },
      true,
    ],
    ['nested any all fail', { match: 'any', conditions: [{ match: 'all', conditions: [{ field: 'riskBand', op: 'eq', value: 'low' }] }] }, false],
  ];
  it.each(cases)('%s', (_name, group, expected) => {
    const out = evaluateConditions(group, deal, now);
    expect(out.matched).toBe(expected);
    expect(out.explanation.length).toBe(group.conditions.length);
  });
  it('explains each leaf with the value it saw', () => {
    expect(evaluateConditions({ match: 'all', conditions: [{ field: 'valueCents', op: 'gt', value: 1 }] }, deal, now).explanation).toEqual(['valueCents gt 1: yes (is 500000)']);
  });
});

describe('definition validation', () => {
  const base = { trigger: { type: 'event', event: 'deal.stage_changed' }, actions: [{ type: 'create_task', subject: 'Send proposal', dueInDays: 2 }] };
  const cases: [string, unknown, string | null][] = [
    ['a valid deal workflow', base, null],
    ['unknown trigger', { ...base, trigger: { type: 'event', event: 'deal.exploded' } }, 'trigger.event'],
    ['no actions', { ...base, actions: [] }, 'actions'],
    ['field the record lacks', { ...base, conditions: { match: 'all', conditions: [{ field: 'tags', op: 'includes', value: 'x' }] } }, 'conditions.conditions.0.field'],
    ['operator of another type', { ...base, conditions: { match: 'all', conditions: [{ field: 'valueCents', op: 'contains', value: 'x' }] } }, 'conditions.conditions.0.op'],
    ['number compared with text', { ...base, conditions: { match: 'all', conditions: [{ field: 'valueCents', op: 'gt', value: 'big' }] } }, 'conditions.conditions.0.value'],
    ['in without a list', { ...base, conditions: { match: 'all', conditions: [{ field: 'stageId', op: 'in', value: 'x' }] } }, 'conditions.conditions.0.value'],
    ['tag on a deal', { ...base, actions: [{ type: 'add_tag', tag: 'hot' }] }, 'actions.0.type'],
    ['tag on a contact', { trigger: { type: 'event', event: 'contact.created' }, actions: [{ type: 'add_tag', tag: 'hot' }] }, null],
    ['move stage on a contact', { trigger: { type: 'event', event: 'contact.created' }, actions: [{ type: 'move_stage', stageId: '11111111-1111-4111-8111-111111111111' }] }, 'actions.0.type'],
    ['update a read-only field', { ...base, actions: [{ type: 'update_field', field: 'stageId', value: 'x' }] }, 'actions.0.field'],
    ['update a number with text', { ...base, actions: [{ type: 'update_field', field: 'valueCents', value: 'x' }] }, 'actions.0.value'],
    ['update a custom field', { ...base, actions: [{ type: 'update_field', field: 'customFields.tier', value: 'gold' }] }, null],
    ['empty wait', { ...base, actions: [{ type: 'wait' }] }, 'actions.0.hours'],
    ['time trigger on a date field', { trigger: { type: 'time', when: 'date_field_in', days: 30, field: 'name' }, actions: base.actions }, 'trigger.field'],
    ['time trigger on a custom date', { trigger: { type: 'time', when: 'date_field_in', days: 30, field: 'customFields.renewal' }, actions: base.actions }, null],
    ['both due forms', { ...base, actions: [{ type: 'create_task', subject: 'x', dueInDays: 1, dueInHours: 2 }] }, 'actions.0.dueInHours'],
    ['stop_unless checked too', { ...base, actions: [{ type: 'stop_unless', conditions: { match: 'all', conditions: [{ field: 'nope', op: 'eq', value: 1 }] } }] }, 'actions.0.conditions.conditions.0.field'],
  ];
  it.each(cases)('%s', (_name, input, path) => {
    const parsed = WorkflowDefinition.safeParse(input);
    const paths = parsed.success ? definitionIssues(parsed.data).map((i) => i.path) : parsed.error.issues.map((i) => i.path.join('.'));
    if (path === null) expect(paths).toEqual([]);
    else expect(paths).toContain(path);
  });
});

describe('loop protection (decideStart)', () => {
  const wf = 'wf-1';
  const cases: [string, Parameters<typeof decideStart>[0], boolean | RegExp][] = [
    ['a person’s change', { workflowId: wf, origin: null, runsForRecordLastHour: 0 }, true],
    ['its own action', { workflowId: wf, origin: { workflowId: wf, runId: 'r', depth: 1 }, runsForRecordLastHour: 0 }, /itself/],
    ['another workflow’s action', { workflowId: wf, origin: { workflowId: 'wf-2', runId: 'r', depth: 1 }, runsForRecordLastHour: 0 }, true],
    ['a chain too deep', { workflowId: wf, origin: { workflowId: 'wf-2', runId: 'r', depth: 3 }, runsForRecordLastHour: 0 }, /chain of 3/],
    ['the hourly cap reached', { workflowId: wf, origin: null, runsForRecordLastHour: 10 }, /10 times in the last hour/],
    ['under a custom cap', { workflowId: wf, origin: null, runsForRecordLastHour: 2, cap: 3 }, true],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const d = decideStart(input);
    if (expected === true) expect(d.start).toBe(true);
    else expect(!d.start && d.reason).toMatch(expected as RegExp);
  });
  it('counts the chain depth', () => expect(decideStart({ workflowId: wf, origin: { workflowId: 'x', runId: 'r', depth: 2 }, runsForRecordLastHour: 0 })).toEqual({ start: true, depth: 3 }));
  it('reads an origin only when whole', () => {
    expect(originOf({ automation: { workflowId: 'w', runId: 'r', depth: 1 } })).toEqual({ workflowId: 'w', runId: 'r', depth: 1 });
    expect(originOf({ automation: { workflowId: 'w' } })).toBeNull();
    expect(originOf({})).toBeNull();
  });
});

describe('retries, waits and due dates', () => {
  const cases: [number, string | null][] = [
    [1, '2026-06-15T12:01:00.000Z'],
    [2, '2026-06-15T12:02:00.000Z'],
    [3, '2026-06-15T12:04:00.000Z'],
    [MAX_STEP_ATTEMPTS, null],
  ];
  it.each(cases)('failure %i → retry at %s', (attempt, at) => {
    const plan = retryPlan(attempt, now);
    expect('retryAt' in plan ? plan.retryAt.toISOString() : null).toBe(at);
  });
  it.each([
    [{ type: 'wait' as const, hours: 4 }, '2026-06-15T16:00:00.000Z'],
    [{ type: 'wait' as const, days: 2 }, '2026-06-17T12:00:00.000Z'],
    [{ type: 'wait' as const, days: 1, hours: 1 }, '2026-06-16T13:00:00.000Z'],
  ])('wait %j ends at %s', (action, at) => expect(waitUntil(action, now).toISOString()).toBe(at));
  it.each([
    [{ dueInDays: 2 }, '2026-06-17T12:00:00.000Z'],
    [{ dueInHours: 3 }, '2026-06-15T15:00:00.000Z'],
    [{}, null],
  ])('task due %j → %s', (due, at) => expect(taskDueAt({ type: 'create_task', subject: 's', assignee: 'record_owner', ...due }, now)?.toISOString() ?? null).toBe(at));
});

describe('time triggers', () => {
  const open = { outcome: null, stageChangedAt: '2026-06-01T09:00:00Z', expectedCloseDate: '2026-06-10', lastTwoWayActivityAt: '2026-06-08T00:00:00Z', createdAt: '2026-05-01T00:00:00Z', 'customFields.renewal': '2026-07-01' };
  const cases: [string, Parameters<typeof timeTriggerOccurrence>[0], Record<string, unknown>, string | null][] = [
    ['14 days in stage, reached', { type: 'time', when: 'days_in_stage', days: 14 }, open, 'days_in_stage:2026-06-01T09:00:00Z'],
    ['15 days in stage, not yet', { type: 'time', when: 'days_in_stage', days: 15 }, open, null],
    ['7 days without two-way activity', { type: 'time', when: 'no_two_way_activity', days: 7 }, open, 'no_two_way_activity:2026-06-08T00:00:00Z'],
    ['8 days without, not yet', { type: 'time', when: 'no_two_way_activity', days: 8 }, open, null],
    ['never touched counts from creation', { type: 'time', when: 'no_two_way_activity', days: 30 }, { ...open, lastTwoWayActivityAt: null }, 'no_two_way_activity:2026-05-01T00:00:00Z'],
    ['close date passed', { type: 'time', when: 'close_date_passed', days: 0 }, open, 'close_date_passed:2026-06-10'],
    ['close date passed + 5 days, not yet', { type: 'time', when: 'close_date_passed', days: 5 }, open, null],
    ['close date is today: not passed', { type: 'time', when: 'close_date_passed', days: 0 }, { ...open, expectedCloseDate: '2026-06-15' }, null],
    ['renewal in 30 days', { type: 'time', when: 'date_field_in', days: 30, field: 'customFields.renewal' }, open, 'date_field_in:customFields.renewal:2026-07-01'],
    ['renewal in 10 days: too early', { type: 'time', when: 'date_field_in', days: 10, field: 'customFields.renewal' }, open, null],
    ['closed deals never trigger', { type: 'time', when: 'days_in_stage', days: 1 }, { ...open, outcome: 'won' }, null],
  ];
  it.each(cases)('%s', (_name, trigger, facts, key) => expect(timeTriggerOccurrence(trigger, facts as never, now)).toBe(key));
});

import { editMakesNewVersion, transition } from './lifecycle.ts';
describe('lifecycle', () => {
  it.each([
    ['draft', 'activate', 'active'],
    ['paused', 'activate', 'active'],
    ['active', 'activate', null],
    ['active', 'pause', 'paused'],
    ['draft', 'pause', null],
    ['paused', 'pause', null],
  ] as const)('%s + %s → %s', (state, action, expected) => {
    const r = transition(state, action);
    expect('state' in r ? r.state : null).toBe(expected);
  });
  it.each([
    ['draft', false],
    ['active', true],
    ['paused', true],
  ] as const)('an edit in %s makes a new version: %s', (state, expected) => expect(editMakesNewVersion(state)).toBe(expected));
});

import { describeWorkflow } from './describe.ts';
describe('describeWorkflow', () => {
  it.each([
    [
      { trigger: { type: 'event', event: 'deal.stage_changed' }, conditions: { match: 'all', conditions: [{ field: 'stageId', op: 'eq', value: 's1' }] }, actions: [{ type: 'create_task', subject: 'Send proposal', dueInDays: 2, assignee: 'record_owner' }] },
      ['When a deal moves to another stage', 'If Stage is Proposal', '1. Create the task “Send proposal” due in 2 days for the owner'],
    ],
    [
      { trigger: { type: 'time', when: 'days_in_stage', days: 14 }, conditions: { match: 'any', conditions: [{ field: 'valueCents', op: 'gt', value: 5 }, { match: 'all', conditions: [{ field: 'riskBand', op: 'eq', value: 'high' }] }] }, actions: [{ type: 'wait', days: 1, hours: 2 }, { type: 'assign_owner', userId: 'u1' }] },
      ['When a deal has been 14 days in its stage', 'If Value (cents) is more than 5 or (Risk band (low, medium, high) is high)', '1. Wait 1 days and 2 hours', '2. Assign to Ana'],
    ],
  ] as const)('%#', (def, lines) => {
    expect(describeWorkflow(def as never, { stage: (id) => (id === 's1' ? 'Proposal' : undefined), member: (id) => (id === 'u1' ? 'Ana' : undefined) })).toEqual(lines);
  });
});
