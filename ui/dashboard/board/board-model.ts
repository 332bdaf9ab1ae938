// The board's arithmetic, apart from React so it is tested as a table: columns with their count,
// total and weighted value; the card a moved deal shows at once (before the API answers); the order
// of cards; a deal read back from the API as a card.
import { daysInStage } from '../../../core/deals/stage-age.ts';
import type { BoardDeal, Deal, DealBoard, Stage } from '../types.ts';

export type CardSort = 'close' | 'value' | 'risk' | 'age' | 'name';

export interface Column {
  stage: Stage;
  deals: BoardDeal[];
  count: number;
  /** In the board's main currency. */
  valueCents: number;
  /** Σ value × probability / 100, in the board's main currency. */
  weightedCents: number;
  /** Deals in other currencies, left out of the totals (and said so). */
  otherCurrencyDeals: number;
  normDays: number | null;
}

/** The currency most of the board's value is in: the one its totals add up. */
export function mainCurrency(deals: readonly BoardDeal[]): string {
  const byCurrency = new Map<string, number>();
  for (const d of deals) byCurrency.set(d.currency, (byCurrency.get(d.currency) ?? 0) + 1);
  let best = 'USD';
  let most = 0;
  for (const [currency, n] of byCurrency) if (n > most || (n === most && currency === 'USD')) [best, most] = [currency, n];
  return best;
}

const compare: Record<CardSort, (a: BoardDeal, b: BoardDeal, now: Date) => number> = {
  close: (a, b) => (a.expectedCloseDate ?? '9999').localeCompare(b.expectedCloseDate ?? '9999'),
  value: (a, b) => b.valueCents - a.valueCents,
  risk: (a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1),
  age: (a, b, now) => daysInStage(b.stageChangedAt, now) - daysInStage(a.stageChangedAt, now),
  name: () => 0,
};

export function sortDeals(deals: readonly BoardDeal[], sort: CardSort, now = new Date()): BoardDeal[] {
  return [...deals].sort((a, b) => compare[sort](a, b, now) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function columnsOf(board: DealBoard, sort: CardSort, now = new Date()): { columns: Column[]; currency: string } {
  const currency = mainCurrency(board.deals);
  const norms = new Map(board.stageNorms.map((n) => [n.stageId, n.medianDays]));
  const byStage = new Map<string, BoardDeal[]>();
  for (const d of board.deals) {
    const list = byStage.get(d.stage);
    if (list) list.push(d);
    else byStage.set(d.stage, [d]);
  }
  const columns = [...board.pipeline.stages]
    .sort((a, b) => a.position - b.position)
    .map((stage) => {
      const deals = sortDeals(byStage.get(stage.id) ?? [], sort, now);
      let valueCents = 0;
      let weighted = 0;
      let otherCurrencyDeals = 0;
      for (const d of deals) {
        if (d.currency !== currency) {
          otherCurrencyDeals++;
          continue;
        }
        valueCents += d.valueCents;
        weighted += d.valueCents * d.probability;
      }
      return { stage, deals, count: deals.length, valueCents, weightedCents: Math.round(weighted / 100), otherCurrencyDeals, normDays: norms.get(stage.id) ?? null };
    });
  return { columns, currency };
}

/**
 * The card of a deal just dropped on `stage`, as the API will answer it: the stage's default
 * probability, the stage clock restarted, the outcome of a won or lost stage. Shown at once; the
 * API's answer replaces it, or the move is undone if it refuses.
 */
export function movedCard(card: BoardDeal, stage: Stage, now: Date): BoardDeal {
  return {
    ...card,
    stage: stage.id,
    probability: stage.defaultProbability,
    stageChangedAt: now.toISOString(),
    outcome: stage.isWon ? 'won' : stage.isLost ? 'lost' : null,
    // A closed deal has no risk score; an open one keeps its own until the API rescored it.
    risk: stage.isWon || stage.isLost ? null : card.risk,
  };
}

export function withCard(board: DealBoard, card: BoardDeal): DealBoard {
  return { ...board, deals: board.deals.map((d) => (d.id === card.id ? card : d)) };
}

/** A deal as the deal routes answer it, as a card (the company name is not in that answer: kept from before). */
export function cardOfDeal(deal: Deal, before: Pick<BoardDeal, 'companyName'> | null): BoardDeal {
  return {
    id: deal.id,
    name: deal.name,
    companyId: deal.companyId,
    companyName: before?.companyName ?? null,
    valueCents: deal.valueCents,
    currency: deal.currency,
    pipelineId: deal.pipelineId,
    stage: deal.stage,
    probability: deal.probability,
    ownerId: deal.ownerId,
    ownerName: deal.owner?.name ?? null,
    expectedCloseDate: deal.expectedCloseDate,
    stageChangedAt: deal.stageChangedAt,
    outcome: deal.outcome,
    source: deal.source,
    risk: deal.risk ? { score: deal.risk.score, band: deal.risk.band, topReason: deal.risk.reasons[0] ? { code: deal.risk.reasons[0].code, sentence: deal.risk.reasons[0].sentence } : null } : null,
    createdAt: deal.createdAt,
    updatedAt: deal.updatedAt,
  };
}
