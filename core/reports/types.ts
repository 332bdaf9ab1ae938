// Plain rows the reports work on, shaped after db/schema.ts. The caller loads and scopes them
// (org, role, period); reports only do the arithmetic.
import type { ActivityType, Outcome } from '../risk/types.ts';

export interface ReportStage {
  id: string;
  name: string;
  position: number;
  isWon: boolean;
  isLost: boolean;
}

export interface ReportDeal {
  id: string;
  ownerId: string | null;
  stageId: string;
  valueCents: number;
  currency: string;
  /** 0..100, the deal's own probability. */
  probability: number;
  createdAt: Date;
  /** 'YYYY-MM-DD'. */
  expectedCloseDate: string | null;
  /** When it was won or lost; null while open. */
  closedAt: Date | null;
  /** null while open. */
  outcome: Outcome | null;
}

export interface ReportStageChange {
  dealId: string;
  toStageId: string;
  changedAt: Date;
}

export interface ReportActivity {
  ownerId: string | null;
  type: ActivityType;
  occurredAt: Date;
}

/** Money reports add up one currency at a time; call them once per currency the org uses. */
export interface CurrencyOption {
  currency: string;
}

export const openStagesInOrder = (stages: readonly ReportStage[]): ReportStage[] =>
  stages.filter((s) => !s.isWon && !s.isLost).sort((a, b) => a.position - b.position);

/** Owner ids in order, unassigned (null) last. */
export function byOwnerId(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Groups history rows by deal, each deal's rows oldest first. */
export function historyByDeal(history: readonly ReportStageChange[]): Map<string, ReportStageChange[]> {
  const byDeal = new Map<string, ReportStageChange[]>();
  for (const h of history) {
    const list = byDeal.get(h.dealId);
    if (list) list.push(h);
    else byDeal.set(h.dealId, [h]);
  }
  for (const list of byDeal.values()) list.sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  return byDeal;
}

/**
 * Deals that moved through the same stages in the same order (and ended the same way), counted once:
 * all the history-based reports need, and few rows even for a large pipeline.
 */
export interface StagePath {
  /** The stage of every move, oldest first. */
  stageIds: readonly string[];
  /** null while the deals are open. */
  outcome: Outcome | null;
  deals: number;
}

/** Stage histories folded into paths; `outcomes` by deal id (deals not in it count as open). */
export function pathsOf(history: readonly ReportStageChange[], outcomes: ReadonlyMap<string, Outcome | null> = new Map()): StagePath[] {
  const paths = new Map<string, StagePath>();
  for (const [dealId, moves] of historyByDeal(history)) {
    const stageIds = moves.map((m) => m.toStageId);
    const outcome = outcomes.get(dealId) ?? null;
    const key = `${outcome}|${stageIds.join(',')}`;
    const path = paths.get(key);
    if (path) path.deals++;
    else paths.set(key, { stageIds, outcome, deals: 1 });
  }
  return [...paths.values()];
}
