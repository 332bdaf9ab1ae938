// How well a score separated won from lost deals: each closed deal is rewound to N days before its
// close, scored as it looked then, and the scores are compared with what actually happened.
import { scoreDeal } from './score.ts';
import type { RiskSettings } from './settings.ts';
import { DAY_MS, isClosedStage, type Outcome, type RiskBand, type RiskInput } from './types.ts';

/** A closed deal as loaded today: `input` holds its full history; backtest rewinds it. */
export interface ClosedDeal {
  outcome: Outcome;
  closedAt: Date;
  input: RiskInput;
}

/** Anything that scores an open deal as of a time: scoreDeal with settings, or baselineScore. */
export type RiskScorer = (input: RiskInput, now: Date) => { score: number; band: RiskBand } | null;

export interface BacktestOptions {
  daysBeforeClose: number;
}

export interface BandOutcome {
  band: RiskBand;
  deals: number;
  won: number;
  /** null when the band is empty. */
  winRate: number | null;
}

export interface BacktestResult {
  /** P(a lost deal scores higher than a won one), ties count half; null without both outcomes. */
  auc: number | null;
  /** Deals scored. */
  n: number;
  won: number;
  lost: number;
  /** Deals that did not exist yet, or were not in an open stage, at the cut-off. */
  skipped: number;
  /** low, medium, high. */
  bands: BandOutcome[];
}

export const riskScorer =
  (settings: RiskSettings): RiskScorer =>
  (input, now) =>
    scoreDeal(input, settings, now);

export function backtest(closedDeals: readonly ClosedDeal[], scorer: RiskScorer, options: BacktestOptions): BacktestResult {
  const { scored, skipped } = scoreAsOfCutoff(closedDeals, scorer, options);
  return summarize(scored, skipped);
}

/**
 * The same backtest with the outcomes randomly reassigned among the deals (Fisher–Yates with the
 * given PRNG). A score that is not fooling itself lands near 0.5 here.
 */
export function backtestWithShuffledOutcomes(
  closedDeals: readonly ClosedDeal[],
  scorer: RiskScorer,
  options: BacktestOptions,
  random: () => number,
): BacktestResult {
  const { scored, skipped } = scoreAsOfCutoff(closedDeals, scorer, options);
  const outcomes = scored.map((s) => s.outcome);
  for (let i = outcomes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [outcomes[i], outcomes[j]] = [outcomes[j]!, outcomes[i]!];
  }
  return summarize(
    scored.map((s, i) => ({ ...s, outcome: outcomes[i]! })),
    skipped,
  );
}

/**
 * The deal as it stood at `asOf`: the stage it had then (from the stage history), only what
 * happened before then. Fields without a history (contact count, value, expected close date) are
 * taken as given; pass values as of `asOf` if you have them. null when the deal did not exist yet
 * or was not in an open stage of its pipeline.
 */
export function riskInputAsOf(input: RiskInput, asOf: Date): RiskInput | null {
  const t = asOf.getTime();
  const { deal } = input;
  if (deal.createdAt.getTime() > t) return null;
  const history = input.stageHistory
    .filter((h) => h.changedAt.getTime() <= t)
    .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  const last = history.at(-1);
  const firstOpen = input.pipelineStages.filter((s) => !isClosedStage(s)).sort((a, b) => a.position - b.position)[0];
  const stageId = last?.toStageId ?? firstOpen?.id;
  const stage = input.pipelineStages.find((s) => s.id === stageId);
  if (!stage || isClosedStage(stage)) return null;
  return {
    ...input,
    deal: { ...deal, stage, stageChangedAt: last?.changedAt ?? deal.createdAt },
    stageHistory: history,
    activities: input.activities.filter((a) => a.occurredAt.getTime() < t),
    engagement: input.engagement.filter((e) => e.at.getTime() < t),
  };
}

/** Mann–Whitney AUC via average ranks, O(n log n): P(lost score > won score), ties count half. */
export function aucLostAboveWon(items: readonly { score: number; outcome: Outcome }[]): number | null {
  const lost = items.filter((i) => i.outcome === 'lost').length;
  const won = items.length - lost;
  if (lost === 0 || won === 0) return null;
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let lostRankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) if (sorted[k]!.outcome === 'lost') lostRankSum += averageRank;
    i = j;
  }
  return (lostRankSum - (lost * (lost + 1)) / 2) / (lost * won);
}

interface Scored {
  score: number;
  band: RiskBand;
  outcome: Outcome;
}

function scoreAsOfCutoff(closedDeals: readonly ClosedDeal[], scorer: RiskScorer, options: BacktestOptions) {
  const scored: Scored[] = [];
  let skipped = 0;
  for (const deal of closedDeals) {
    const asOf = new Date(deal.closedAt.getTime() - options.daysBeforeClose * DAY_MS);
    const input = riskInputAsOf(deal.input, asOf);
    const result = input && scorer(input, asOf);
    if (!result) {
      skipped++;
      continue;
    }
    scored.push({ score: result.score, band: result.band, outcome: deal.outcome });
  }
  return { scored, skipped };
}

function summarize(scored: readonly Scored[], skipped: number): BacktestResult {
  const won = scored.filter((s) => s.outcome === 'won').length;
  const bands = (['low', 'medium', 'high'] as const).map((band): BandOutcome => {
    const inBand = scored.filter((s) => s.band === band);
    const wonInBand = inBand.filter((s) => s.outcome === 'won').length;
    return { band, deals: inBand.length, won: wonInBand, winRate: inBand.length === 0 ? null : wonInBand / inBand.length };
  });
  return { auc: aucLostAboveWon(scored), n: scored.length, won, lost: scored.length - won, skipped, bands };
}
