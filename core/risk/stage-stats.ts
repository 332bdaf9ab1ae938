// The org history the risk score compares a deal against, computed from closed deals. Won deals
// define "normal": lost deals' long silences and stalls are exactly what we want to flag.
import { DAY_MS, isTwoWayTouch, type OrgRiskStats, type Outcome, type RiskActivity, type StageNorm } from './types.ts';

export interface ClosedDealHistory {
  outcome: Outcome;
  closedAt: Date;
  valueCents: number;
  currency: string;
  stageHistory: readonly { toStageId: string; changedAt: Date }[];
  activities: readonly RiskActivity[];
}

export function computeOrgRiskStats(closedDeals: readonly ClosedDealHistory[]): OrgRiskStats {
  const won = closedDeals.filter((d) => d.outcome === 'won');

  const daysByStage = new Map<string, number[]>();
  for (const deal of won) {
    for (const [stageId, ms] of stageStays(deal.stageHistory)) push(daysByStage, stageId, ms / DAY_MS);
  }
  const wonStageDays: Record<string, StageNorm> = {};
  for (const [stageId, days] of daysByStage) wonStageDays[stageId] = { medianDays: round1(median(days)!), wonDeals: days.length };

  const gaps = won.flatMap((d) => replyGapsInDays(d.activities, d.closedAt));
  const gapMedian = median(gaps);

  const valuesByCurrency = new Map<string, number[]>();
  for (const deal of won) push(valuesByCurrency, deal.currency, deal.valueCents);
  const medianWonValueCents: Record<string, number> = {};
  for (const [currency, values] of valuesByCurrency) medianWonValueCents[currency] = Math.round(median(values)!);

  return { wonStageDays, replyGapNormDays: gapMedian === null ? null : round1(gapMedian), medianWonValueCents };
}

/**
 * Total time (ms) a deal spent in each stage it left. The stage it is in now, or closed in, has no
 * end yet and is left out. Returning to a stage adds to its total.
 */
export function stageStays(history: readonly { toStageId: string; changedAt: Date }[]): Map<string, number> {
  const sorted = [...history].sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  const stays = new Map<string, number>();
  for (let i = 0; i + 1 < sorted.length; i++) {
    const entry = sorted[i]!;
    const next = sorted[i + 1]!;
    stays.set(entry.toStageId, (stays.get(entry.toStageId) ?? 0) + (next.changedAt.getTime() - entry.changedAt.getTime()));
  }
  return stays;
}

/**
 * Gaps in whole days between consecutive UTC days with a buyer touch, up to the close. Counting days
 * rather than touches keeps a same-afternoon back-and-forth from dragging the norm towards zero.
 */
export function replyGapsInDays(activities: readonly RiskActivity[], until: Date): number[] {
  const days = [
    ...new Set(
      activities
        .filter((a) => isTwoWayTouch(a) && a.occurredAt.getTime() <= until.getTime())
        .map((a) => Math.floor(a.occurredAt.getTime() / DAY_MS)),
    ),
  ].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push(days[i]! - days[i - 1]!);
  return gaps;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
