// How long a deal has been in its stage, against the team's norm for that stage (the median of
// finished stays there): the board's days-in-stage turns amber past the norm and red past twice it.
// Without enough history there is no norm, and nothing is coloured: no alarm without a baseline.
export const DAY_MS = 86_400_000;

/** Fewer finished stays than this in a stage and its median is not trusted as a norm. */
export const STAGE_NORM_MIN_STAYS = 5;

export type StageAgeLevel = 'normal' | 'over' | 'far-over';

/** Whole days since the deal entered its stage (0 on the first day; never negative). */
export function daysInStage(stageChangedAt: Date | string, now: Date): number {
  const since = typeof stageChangedAt === 'string' ? new Date(stageChangedAt) : stageChangedAt;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** 'over' past the norm, 'far-over' past twice the norm; 'normal' without a norm. */
export function stageAgeLevel(days: number, normDays: number | null): StageAgeLevel {
  if (normDays === null) return 'normal';
  // A norm under a day would turn every deal amber on its second day.
  const norm = Math.max(1, normDays);
  if (days > 2 * norm) return 'far-over';
  if (days > norm) return 'over';
  return 'normal';
}

/** The sentence behind the colour, for the badge's label and tooltip. */
export function stageAgeSentence(days: number, normDays: number | null, stageName: string): string {
  const inStage = `${days} ${days === 1 ? 'day' : 'days'} in ${stageName}`;
  if (normDays === null) return `${inStage} (not enough history for a norm yet)`;
  const norm = Math.max(1, Math.round(normDays));
  const level = stageAgeLevel(days, normDays);
  if (level === 'normal') return `${inStage}; deals usually stay ${norm} ${norm === 1 ? 'day' : 'days'}`;
  return `${inStage}: ${level === 'far-over' ? 'more than twice' : 'longer than'} the usual ${norm} ${norm === 1 ? 'day' : 'days'}`;
}
