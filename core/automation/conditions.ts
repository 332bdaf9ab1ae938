// Evaluating a workflow's conditions against a record's facts, with the reason for each leaf so a
// run (and a dry run) can say why it went on or stopped. Pure: the time is passed in.
import type { Condition, ConditionGroup } from './definition.ts';
import type { Facts } from './fields.ts';

export interface ConditionOutcome {
  matched: boolean;
  /** One line per leaf evaluated, e.g. "stageName eq \"Proposal\": yes (was \"Proposal\")". */
  explanation: string[];
}

const DAY_MS = 86_400_000;
const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const same = (a: unknown, b: unknown) => norm(a) === norm(b) || (typeof a === 'number' && typeof b === 'string' && String(a) === b.trim());
const time = (v: unknown) => (typeof v === 'string' || v instanceof Date ? new Date(v).getTime() : Number.NaN);

export function evaluateCondition(c: Condition, facts: Facts, now: Date): boolean {
  const v = facts[c.field];
  const arg = c.value;
  switch (c.op) {
    case 'is_empty':
      return empty(v);
    case 'is_not_empty':
      return !empty(v);
    case 'eq':
      return same(v, arg);
    case 'neq':
      return !same(v, arg);
    case 'in':
      return Array.isArray(arg) && arg.some((a) => same(v, a));
    case 'not_in':
      return !(Array.isArray(arg) && arg.some((a) => same(v, a)));
    case 'contains':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase().includes(arg.toLowerCase());
    case 'not_contains':
      return !(typeof v === 'string' && typeof arg === 'string' && v.toLowerCase().includes(arg.toLowerCase()));
    case 'starts_with':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase().startsWith(arg.toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (typeof arg !== 'number' || Number.isNaN(n)) return false;
      return c.op === 'gt' ? n > arg : c.op === 'gte' ? n >= arg : c.op === 'lt' ? n < arg : n <= arg;
    }
    case 'before':
    case 'after': {
      const t = time(v);
      const ref = time(arg);
      if (Number.isNaN(t) || Number.isNaN(ref)) return false;
      return c.op === 'before' ? t < ref : t > ref;
    }
    case 'within_next_days': {
      const t = time(v);
      return !Number.isNaN(t) && typeof arg === 'number' && t >= now.getTime() - DAY_MS && t <= now.getTime() + arg * DAY_MS;
    }
    case 'older_than_days': {
      const t = time(v);
      return !Number.isNaN(t) && typeof arg === 'number' && t <= now.getTime() - arg * DAY_MS;
    }
    case 'includes':
      return Array.isArray(v) && v.some((tag) => same(tag, arg));
    case 'excludes':
      return !(Array.isArray(v) && v.some((tag) => same(tag, arg)));
  }
}

const show = (v: unknown) => (v === undefined ? 'empty' : JSON.stringify(v));

/** All (AND) or any (OR) of a group's conditions and subgroups; an empty group matches. */
export function evaluateConditions(group: ConditionGroup, facts: Facts, now: Date): ConditionOutcome {
  const explanation: string[] = [];
  const results = group.conditions.map((c) => {
    if ('match' in c) {
      const inner = evaluateConditions(c, facts, now);
      explanation.push(`${c.match === 'all' ? 'all of' : 'any of'} (${inner.explanation.join('; ')}): ${inner.matched ? 'yes' : 'no'}`);
      return inner.matched;
    }
    const ok = evaluateCondition(c, facts, now);
    explanation.push(`${c.field} ${c.op}${c.value === undefined ? '' : ` ${show(c.value)}`}: ${ok ? 'yes' : 'no'} (is ${show(facts[c.field])})`);
    return ok;
  });
  const matched = group.conditions.length === 0 || (group.match === 'all' ? results.every(Boolean) : results.some(Boolean));
  return { matched, explanation };
}
