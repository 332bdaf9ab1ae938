// Activities per rep and type, for the team activity view.
import type { ActivityType } from '../risk/types.ts';
import { byOwnerId, type ReportActivity } from './types.ts';

export type ActivityCountRow = { ownerId: string | null; total: number } & Record<ActivityType, number>;

/** Activities of one owner and type, counted. */
export interface ActivityTotals {
  ownerId: string | null;
  type: ActivityType;
  activities: number;
}

/** Counts activities with from <= occurredAt < to (either bound optional); busiest rep first. */
export function activityCounts(activities: readonly ReportActivity[], range: { from?: Date; to?: Date } = {}): ActivityCountRow[] {
  const from = range.from?.getTime() ?? -Infinity;
  const to = range.to?.getTime() ?? Infinity;
  return activityCountsFromTotals(
    activities.filter((a) => a.occurredAt.getTime() >= from && a.occurredAt.getTime() < to).map((a) => ({ ownerId: a.ownerId, type: a.type, activities: 1 })),
  );
}

export function activityCountsFromTotals(totals: readonly ActivityTotals[]): ActivityCountRow[] {
  const rows = new Map<string | null, ActivityCountRow>();
  for (const t of totals) {
    if (t.activities === 0) continue;
    let row = rows.get(t.ownerId);
    if (!row) {
      row = { ownerId: t.ownerId, email: 0, call: 0, meeting: 0, note: 0, task: 0, total: 0 };
      rows.set(t.ownerId, row);
    }
    row[t.type] += t.activities;
    row.total += t.activities;
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || byOwnerId(a.ownerId, b.ownerId));
}
