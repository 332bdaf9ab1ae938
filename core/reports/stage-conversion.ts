// Stage-to-stage conversion from stage histories: of the deals that entered a stage, how many
// went on to the next stage, and how many to any later one (skipping stages counts as "later").
import { openStagesInOrder, pathsOf, type ReportStage, type ReportStageChange, type StagePath } from './types.ts';

export interface StageConversionRow {
  stageId: string;
  stageName: string;
  /** The next stage that is not a lost stage (after the last open stage: the won stage). */
  nextStageId: string | null;
  entered: number;
  reachedNext: number;
  reachedLater: number;
  /** Entered and still there (their latest move was into this stage): not decided yet. */
  stillInStage: number;
  /** reachedNext / entered; null when nobody entered. */
  nextRate: number | null;
  laterRate: number | null;
}

export function stageConversion(stages: readonly ReportStage[], history: readonly ReportStageChange[]): StageConversionRow[] {
  return stageConversionOfPaths(stages, pathsOf(history));
}

export function stageConversionOfPaths(stages: readonly ReportStage[], paths: readonly StagePath[]): StageConversionRow[] {
  const position = new Map(stages.map((s) => [s.id, s.position]));
  const lost = new Set(stages.filter((s) => s.isLost).map((s) => s.id));
  const forward = [...stages].filter((s) => !s.isLost).sort((a, b) => a.position - b.position);

  return openStagesInOrder(stages).map((stage) => {
    const next = forward.find((s) => s.position > stage.position) ?? null;
    let entered = 0;
    let reachedNext = 0;
    let reachedLater = 0;
    let stillInStage = 0;
    for (const { stageIds, deals } of paths) {
      const first = stageIds.indexOf(stage.id);
      if (first < 0) continue;
      entered += deals;
      const after = stageIds.slice(first + 1);
      if (next && after.includes(next.id)) reachedNext += deals;
      if (after.some((id) => !lost.has(id) && (position.get(id) ?? -Infinity) > stage.position)) reachedLater += deals;
      if (stageIds.at(-1) === stage.id) stillInStage += deals;
    }
    return {
      stageId: stage.id,
      stageName: stage.name,
      nextStageId: next?.id ?? null,
      entered,
      reachedNext,
      reachedLater,
      stillInStage,
      nextRate: entered === 0 ? null : reachedNext / entered,
      laterRate: entered === 0 ? null : reachedLater / entered,
    };
  });
}
