// Time triggers: does a deal meet one now, and which occurrence is it? The occurrence key makes the
// scheduled job idempotent: it fires once per stage entry, per close date, per last activity, per
// date value, however often the job looks (the runs table's unique key holds it).
import type { Trigger } from './definition.ts';
import type { Facts } from './fields.ts';

const DAY_MS = 86_400_000;

export type TimeTriggerOf = Extract<Trigger, { type: 'time' }>;

/** Facts the time triggers read, beyond the deal's fields: the last two-way activity (email, call, meeting). */
export interface TimeFacts {
  outcome: unknown;
  stageChangedAt: string | null;
  expectedCloseDate: string | null;
  lastTwoWayActivityAt: string | null;
  createdAt: string;
  [field: string]: unknown;
}

/** The occurrence key when the trigger holds for the deal at `now`, else null. Closed deals never trigger. */
export function timeTriggerOccurrence(trigger: TimeTriggerOf, facts: TimeFacts | Facts, now: Date): string | null {
  if (facts.outcome) return null;
  const at = (v: unknown) => (typeof v === 'string' && v ? new Date(v).getTime() : Number.NaN);
  const days = trigger.days * DAY_MS;
  switch (trigger.when) {
    case 'days_in_stage': {
      const since = at(facts.stageChangedAt);
      return !Number.isNaN(since) && now.getTime() - since >= days ? `days_in_stage:${facts.stageChangedAt}` : null;
    }
    case 'no_two_way_activity': {
      // A deal never touched counts from its creation.
      const last = (facts.lastTwoWayActivityAt as string | null) ?? (facts.createdAt as string);
      const t = at(last);
      return !Number.isNaN(t) && now.getTime() - t >= days ? `no_two_way_activity:${last}` : null;
    }
    case 'close_date_passed': {
      const close = at(facts.expectedCloseDate);
      // The close date is a day: it has passed once that whole day (UTC) is over, plus N days.
      return !Number.isNaN(close) && now.getTime() >= close + DAY_MS + days ? `close_date_passed:${facts.expectedCloseDate}` : null;
    }
    case 'date_field_in': {
      const value = facts[trigger.field ?? ''];
      const t = at(value);
      if (Number.isNaN(t)) return null;
      // From N days before the date until the date itself.
      return now.getTime() >= t - days && now.getTime() < t + DAY_MS ? `date_field_in:${trigger.field}:${String(value)}` : null;
    }
  }
}
