// The risk backtest on an org's closed deals: each deal rewound to N days before its close and
// scored by our score and by the baseline, side by side, plus our score with the outcomes
// shuffled (near 0.5 AUC when the measure is not fooling itself). The org history a deal is
// compared with is what was known at its cut-off: deals closed before that month began, so a
// deal's own ending never leaks into its score.
import { backtest, backtestWithShuffledOutcomes, riskScorer, type BacktestResult, type ClosedDeal } from '../../../core/risk/backtest.ts';
import { baselineScore } from '../../../core/risk/baseline.ts';
import { mulberry32 } from '../../../core/risk/random.ts';
import { computeOrgRiskStats } from '../../../core/risk/stage-stats.ts';
import { DAY_MS, type OrgRiskStats } from '../../../core/risk/types.ts';
import { closedDealHistory, loadClosedDeals, orgRiskSettings } from './risk.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export interface RiskBacktestReport {
  daysBeforeClose: number;
  closedDeals: number;
  ours: BacktestResult;
  baseline: BacktestResult;
  /** Our score against randomly reassigned outcomes. */
  oursShuffled: BacktestResult;
  /** ours.auc - baseline.auc; null when either is unknown. */
  aucGain: number | null;
}

export interface BacktestOptions {
  daysBeforeClose: number;
  seed?: number;
  /** Only these owners' deals (null or absent: the whole organization). */
  owners?: string[] | null;
  /** Only deals closed in [from, to). */
  from?: Date;
  to?: Date;
}

export async function riskBacktest(s: Scope, options: BacktestOptions): Promise<RiskBacktestReport> {
  const { daysBeforeClose } = options;
  const closed = (await loadClosedDeals(s)).sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const settings = await orgRiskSettings(s);
  const histories = closed.map(closedDealHistory);

  const snapshots = new Map<string, OrgRiskStats>();
  const statsAsOf = (asOf: Date): OrgRiskStats => {
    const monthStart = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1);
    const key = String(monthStart);
    let stats = snapshots.get(key);
    if (!stats) {
      stats = computeOrgRiskStats(histories.filter((h) => h.closedAt.getTime() < monthStart));
      snapshots.set(key, stats);
    }
    return stats;
  };

  // The org's whole history stays the comparison (statsAsOf); the filters choose which deals are scored.
  const owners = options.owners ? new Set(options.owners) : null;
  const chosen = closed.filter(
    (d) =>
      (!owners || (d.row.ownerId !== null && owners.has(d.row.ownerId))) &&
      (!options.from || d.closedAt >= options.from) &&
      (!options.to || d.closedAt < options.to),
  );
  const deals: ClosedDeal[] = chosen.map((d) => ({
    outcome: d.row.outcome!,
    closedAt: d.closedAt,
    input: { ...d.input, stats: statsAsOf(new Date(d.closedAt.getTime() - daysBeforeClose * DAY_MS)) },
  }));
  const ours = backtest(deals, riskScorer(settings), { daysBeforeClose });
  const baseline = backtest(deals, baselineScore, { daysBeforeClose });
  const oursShuffled = backtestWithShuffledOutcomes(deals, riskScorer(settings), { daysBeforeClose }, mulberry32(options.seed ?? 7));
  const aucGain = ours.auc === null || baseline.auc === null ? null : Math.round((ours.auc - baseline.auc) * 1000) / 1000;
  return { daysBeforeClose, closedDeals: chosen.length, ours, baseline, oursShuffled, aucGain };
}
