import { describe, expect, it } from 'vitest';
import { computeOrgRiskStats, median, replyGapsInDays, stageStays, type ClosedDealHistory } from './stage-stats.ts';
import type { RiskActivity } from './types.ts';

const DAY = 86_400_000;
const start = Date.parse('2025-01-01T00:00:00Z');
const day = (d: number) => new Date(start + d * DAY);
// Noon on day d, so "same day" is unambiguous.
const at = (d: number) => new Date(start + d * DAY + DAY / 2);
const moves = (...steps: [string, number][]) => steps.map(([toStageId, d]) => ({ toStageId, changedAt: day(d) }));
const act = (type: RiskActivity['type'], direction: RiskActivity['direction'], d: number): RiskActivity => ({ type, direction, occurredAt: at(d) });

const closed: ClosedDealHistory[] = [
  {
    // Discovery 0→4 (4 days), Qualification 4→10 (6 days).
    outcome: 'won',
    closedAt: day(10),
    valueCents: 1_000_000,
    currency: 'USD',
    stageHistory: moves(['disc', 0], ['qual', 4], ['won', 10]),
    // Buyer-touch days 1 (a reply and a call), 3 (meeting), 7 (reply) → gaps 2, 4. Sent mail and notes are not buyer touches.
    activities: [act('email', 'inbound', 1), act('call', null, 1), act('meeting', null, 3), act('email', 'inbound', 7), act('email', 'outbound', 8), act('note', null, 9)],
  },
  {
    // Discovery 0→6, Qualification 6→8, back to Discovery 8→9, Qualification 9→20:
    // Discovery 6 + 1 = 7 days, Qualification 2 + 11 = 13 days.
    outcome: 'won',
    closedAt: day(20),
    valueCents: 3_000_000,
    currency: 'USD',
    // Listed out of order on purpose: the history is sorted by time first.
    stageHistory: moves(['won', 20], ['disc', 0], ['qual', 9], ['qual', 6], ['disc', 8]),
    // Touch days 2, 12 → gap 10. The reply after closing (day 25) is not part of the deal's rhythm.
    activities: [act('email', 'inbound', 2), act('email', 'inbound', 12), act('email', 'inbound', 25)],
  },
  {
    // Discovery 0→5, straight to won.
    outcome: 'won',
    closedAt: day(5),
    valueCents: 500_000,
    currency: 'EUR',
    stageHistory: moves(['disc', 0], ['won', 5]),
    activities: [],
  },
  {
    // Lost deals do not define normal: their 30-day Discovery and 50-day silence are ignored.
    outcome: 'lost',
    closedAt: day(60),
    valueCents: 9_000_000,
    currency: 'USD',
    stageHistory: moves(['disc', 0], ['qual', 30], ['lost', 60]),
    activities: [act('email', 'inbound', 0), act('email', 'inbound', 50)],
  },
];

describe('computeOrgRiskStats', () => {
  it('takes the median days per stage, the reply-gap norm and the median deal value from won deals', () => {
    expect(computeOrgRiskStats(closed)).toEqual({
      wonStageDays: {
        disc: { medianDays: 5, wonDeals: 3 }, // median of 4, 7, 5
        qual: { medianDays: 9.5, wonDeals: 2 }, // median of 6, 13 = (6 + 13) / 2
      },
      replyGapNormDays: 4, // median of gaps 2, 4, 10
      medianWonValueCents: { USD: 2_000_000, EUR: 500_000 }, // USD: (1,000,000 + 3,000,000) / 2
    });
  });

  it('has nothing to say without won deals', () => {
    expect(computeOrgRiskStats(closed.filter((d) => d.outcome === 'lost'))).toEqual({
      wonStageDays: {},
      replyGapNormDays: null,
      medianWonValueCents: {},
    });
  });
});

describe('stageStays', () => {
  it.each([
    { name: 'no history', history: [], stays: {} },
    { name: 'still in the first stage', history: moves(['disc', 0]), stays: {} },
    { name: 'two moves', history: moves(['disc', 0], ['qual', 3], ['prop', 10]), stays: { disc: 3 * DAY, qual: 7 * DAY } },
    { name: 'a return to a stage adds up', history: moves(['disc', 0], ['qual', 2], ['disc', 5], ['qual', 6]), stays: { disc: 3 * DAY, qual: 3 * DAY } },
  ])('$name', ({ history, stays }) => {
    expect(Object.fromEntries(stageStays(history))).toEqual(stays);
  });
});

describe('replyGapsInDays', () => {
  it('counts days with a buyer touch, not touches: a morning of back-and-forth is one day', () => {
    const hour = 3_600_000;
    const atHour = (d: number, h: number) => new Date(start + d * DAY + h * hour);
    const activities: RiskActivity[] = [
      { type: 'email', direction: 'inbound', occurredAt: atHour(0, 9) },
      { type: 'email', direction: 'inbound', occurredAt: atHour(0, 11) },
      { type: 'meeting', direction: null, occurredAt: atHour(0, 17) },
      { type: 'call', direction: null, occurredAt: atHour(3, 10) },
    ];
    expect(replyGapsInDays(activities, day(30))).toEqual([3]);
  });
});

describe('median', () => {
  it.each([
    { values: [], median: null },
    { values: [7], median: 7 },
    { values: [3, 1, 2], median: 2 },
    { values: [4, 1, 3, 2], median: 2.5 },
  ])('of $values is $median', ({ values, median: expected }) => {
    expect(median(values)).toBe(expected);
  });
});
