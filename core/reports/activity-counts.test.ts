import { describe, expect, it } from 'vitest';
import { activityCounts } from './activity-counts.ts';
import type { ReportActivity } from './types.ts';

const a = (ownerId: string | null, type: ReportActivity['type'], iso: string): ReportActivity => ({ ownerId, type, occurredAt: new Date(iso) });

const activities = [
  a('u2', 'meeting', '2026-03-02T09:00:00Z'),
  a('u1', 'email', '2026-03-01T00:00:00Z'), // exactly at `from`: counted
  a('u1', 'email', '2026-03-10T00:00:00Z'),
  a('u1', 'email', '2026-03-11T00:00:00Z'),
  a('u1', 'call', '2026-03-12T00:00:00Z'),
  a('u2', 'meeting', '2026-03-03T09:00:00Z'),
  a('u2', 'note', '2026-03-04T09:00:00Z'),
  a('u2', 'task', '2026-03-31T23:59:59Z'),
  a(null, 'note', '2026-03-05T00:00:00Z'),
  a('u1', 'email', '2026-02-28T23:59:59Z'), // before the range
  a('u3', 'call', '2026-04-01T00:00:00Z'), // exactly at `to`: not counted
];

describe('activityCounts', () => {
  it('counts per rep and type in the range, busiest first, ties by rep, unassigned last', () => {
    expect(activityCounts(activities, { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') })).toEqual([
      // u1: 3 emails + 1 call = 4
      { ownerId: 'u1', email: 3, call: 1, meeting: 0, note: 0, task: 0, total: 4 },
      // u2: 2 meetings + 1 note + 1 task = 4
      { ownerId: 'u2', email: 0, call: 0, meeting: 2, note: 1, task: 1, total: 4 },
      { ownerId: null, email: 0, call: 0, meeting: 0, note: 1, task: 0, total: 1 },
    ]);
  });

  it('counts everything without a range', () => {
    const rows = activityCounts(activities);
    // u1 4 + the February email = 5; u2 4; u3 1; unassigned 1
    expect(rows.map((r) => [r.ownerId, r.total])).toEqual([['u1', 5], ['u2', 4], ['u3', 1], [null, 1]]);
  });
});
