// Activities per rep and type, for the team activity view.
import type { ActivityType } from '../risk/types.ts';
import { byOwnerId, type ReportActivity } from './types.ts';

export type ActivityCountRow = { ownerId: string | null; total: number } & Record<ActivityType, number>;

/** Counts activities with from <= occurredAt < to (either bound optional); busiest rep first. */
export function activityCounts(activities: readonly ReportActivity[], range: { from?: Date; to?: Date } = {}): ActivityCountRow[] {
  const from = range.from?.getTime() ?? -Infinity;
  const to = range.to?.getTime() ?? Infinity;
  const rows = new Map<string | null, ActivityCountRow>();
  for (const a of activities) {
    const at = a.occurredAt.getTime();
    if (at < from || at >= to) continue;
    let row = rows.get(a.ownerId);
    if (!row) {
      row = { ownerId: a.ownerId, email: 0, call: 0, meeting: 0, note: 0, task: 0, total: 0 };
      rows.set(a.ownerId, row);
    }
    row[a.type]++;
    row.total++;
  }
  return [...rows.values()].sort((a, b) => b.total - a.total || byOwnerId(a.ownerId, b.ownerId));
}
