// Average and median days deals spent in each stage. Only finished stays count (a deal still in
// the stage has no end yet); a deal that came back to a stage counts once, with its total time.
import { median, stageStays } from '../risk/stage-stats.ts';
import { DAY_MS } from '../risk/types.ts';
import { historyByDeal, openStagesInOrder, round1, type ReportStage, type ReportStageChange } from './types.ts';

export interface DaysInStageRow {
  stageId: string;
  stageName: string;
  /** Deals with a finished stay in the stage. */
  deals: number;
  /** Rounded to 1 decimal; null without deals. */
  averageDays: number | null;
  medianDays: number | null;
}

export function daysInStage(stages: readonly ReportStage[], history: readonly ReportStageChange[]): DaysInStageRow[] {
  const daysByStage = new Map<string, number[]>();
  for (const moves of historyByDeal(history).values()) {
    for (const [stageId, ms] of stageStays(moves)) {
      const list = daysByStage.get(stageId) ?? [];
      list.push(ms / DAY_MS);
      daysByStage.set(stageId, list);
    }
  }
  return openStagesInOrder(stages).map((stage) => {
    const days = daysByStage.get(stage.id) ?? [];
    const mid = median(days);
    return {
      stageId: stage.id,
      stageName: stage.name,
      deals: days.length,
      averageDays: days.length === 0 ? null : round1(days.reduce((a, b) => a + b, 0) / days.length),
      medianDays: mid === null ? null : round1(mid),
    };
  });
}
