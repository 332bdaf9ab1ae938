// The board's arithmetic, apart from React so it is tested as a table. The API sends per column the
// count and totals of every matching deal and the first page of cards in the board's sort; here:
// the columns as shown (totals in the board's main currency), a card put into or taken off a board
// as a drop or a live change asks (keeping the totals right, or saying they need asking again), a
// further page joined to its column, the card a dropped deal shows at once, a deal read back as a card.
import { compareCards } from '../../../core/deals/board-order.ts';
import type { BoardDeal, Deal, DealBoard, Stage } from '../types.ts';

export type CardSort = DealBoard['sort'];
type ApiColumn = DealBoard['columns'][number];
type ColumnTotal = ApiColumn['totals'][number];

export interface Column {
  stage: Stage;
  /** The cards loaded so far, in the board's sort. */
  deals: BoardDeal[];
  /** Every deal in the column that matches the filters, loaded or not. */
  count: number;
  /** In the board's main currency. */
  valueCents: number;
  /** Σ value × probability / 100, in the board's main currency. */
  weightedCents: number;
  /** Deals in other currencies, left out of the totals (and said so). */
  otherCurrencyDeals: number;
  normDays: number | null;
  /** Where the column's next page starts; null: every card is loaded. */
  next: string | null;
}

/** The currency most of the board's deals are in: the one its totals add up (a tie goes to USD). */
export function mainCurrency(board: Pick<DealBoard, 'columns'>): string {
  const byCurrency = new Map<string, number>();
  for (const column of board.columns) for (const t of column.totals) byCurrency.set(t.currency, (byCurrency.get(t.currency) ?? 0) + t.count);
  let best = 'USD';
  let most = 0;
  for (const [currency, n] of byCurrency) if (n > most || (n === most && currency === 'USD')) [best, most] = [currency, n];
  return best;
}

export function columnsOf(board: DealBoard): { columns: Column[]; currency: string } {
  const currency = mainCurrency(board);
  const norms = new Map(board.stageNorms.map((n) => [n.stageId, n.medianDays]));
  const byStage = new Map(board.columns.map((c) => [c.stageId, c]));
  const columns = [...board.pipeline.stages]
    .sort((a, b) => a.position - b.position)
    .map((stage): Column => {
      const column = byStage.get(stage.id);
      const main = column?.totals.find((t) => t.currency === currency);
      const count = column?.count ?? 0;
      return {
        stage,
        deals: column?.deals ?? [],
        count,
        valueCents: main?.valueCents ?? 0,
        weightedCents: Math.round(main?.weightedCents ?? 0),
        otherCurrencyDeals: count - (main?.count ?? 0),
        normDays: norms.get(stage.id) ?? null,
        next: column?.next ?? null,
      };
    });
  return { columns, currency };
}

/** The open deals of the board, summed: the page's subtitle. */
export function openTotals(board: DealBoard): { count: number; valueCents: number; weightedCents: number; currency: string } {
  const { columns, currency } = columnsOf(board);
  const open = columns.filter((c) => !c.stage.isWon && !c.stage.isLost);
  return {
    count: open.reduce((n, c) => n + c.count, 0),
    valueCents: open.reduce((n, c) => n + c.valueCents, 0),
    weightedCents: open.reduce((n, c) => n + c.weightedCents, 0),
    currency,
  };
}

/** Every card loaded on the board, column after column. */
export const loadedCards = (board: DealBoard): BoardDeal[] => board.columns.flatMap((c) => c.deals);

export function findCard(board: DealBoard, id: string): BoardDeal | undefined {
  for (const column of board.columns) {
    const card = column.deals.find((d) => d.id === id);
    if (card) return card;
  }
  return undefined;
}

function addToTotals(column: ApiColumn, card: BoardDeal, sign: 1 | -1): ApiColumn {
  let found = false;
  const totals = column.totals
    .map((t): ColumnTotal => {
      if (t.currency !== card.currency) return t;
      found = true;
      return { ...t, count: t.count + sign, valueCents: t.valueCents + sign * card.valueCents, weightedCents: t.weightedCents + (sign * card.valueCents * card.probability) / 100 };
    })
    .filter((t) => t.count > 0);
  if (!found && sign === 1) totals.push({ currency: card.currency, count: 1, valueCents: card.valueCents, weightedCents: (card.valueCents * card.probability) / 100 });
  return { ...column, count: Math.max(0, column.count + sign), totals };
}

export interface PlaceOptions {
  /** Whether the card (when not null) belongs on this board: its pipeline, closed lately, the board's filters. */
  belongs: boolean;
  /** Shown in its column even where its place is past the cards loaded (a card this person just moved). */
  pin: boolean;
}

/**
 * A deal's card as it is now put into a board, or taken off (null or not belonging): the card
 * leaves the column it was loaded in and joins its stage's column at its place in the board's
 * sort, unless that place is in a page not loaded yet. The totals follow when the card was loaded
 * (its old value is known); when it was not, they are guessed and `totalsStale` says to ask again.
 */
export function placeCard(board: DealBoard, id: string, card: BoardDeal | null, { belongs, pin }: PlaceOptions): { board: DealBoard; totalsStale: boolean } {
  const before = findCard(board, id);
  const target = card !== null && belongs ? card : null;
  if (!before && !target) return { board, totalsStale: true };
  const order = compareCards(board.sort);
  const columns = board.columns.map((column) => {
    let next = column;
    if (before && column.stageId === before.stage) next = addToTotals({ ...next, deals: next.deals.filter((d) => d.id !== id) }, before, -1);
    if (target && column.stageId === target.stage) {
      const deals = next.deals.filter((d) => d.id !== id);
      const last = deals.at(-1);
      // Past the last loaded card of a column with more to load: a later page has it.
      const inLoaded = next.next === null || (last !== undefined && order(target, last) < 0);
      // A card on screen that stays in its column stays on screen (a live echo of this person's own move).
      if (inLoaded || pin || before?.stage === target.stage) {
        let at = deals.findIndex((d) => order(target, d) < 0);
        if (at === -1) at = deals.length;
        deals.splice(at, 0, target);
      }
      next = addToTotals({ ...next, deals }, target, 1);
    }
    return next;
  });
  return { board: { ...board, columns }, totalsStale: !before };
}

/** The counts and totals of a fresh answer (asked with perColumn 0), the cards kept. */
export function withTotalsOf(board: DealBoard, fresh: DealBoard): DealBoard {
  const byStage = new Map(fresh.columns.map((c) => [c.stageId, c]));
  return {
    ...board,
    columns: board.columns.map((c) => {
      const f = byStage.get(c.stageId);
      return f ? { ...c, count: f.count, totals: f.totals } : c;
    }),
  };
}

/** A further page of a column joined to it (cards already there, pinned or moved in, not twice). */
export function withPage(board: DealBoard, stageId: string, page: { deals: BoardDeal[]; next: string | null }): DealBoard {
  const order = compareCards(board.sort);
  return {
    ...board,
    columns: board.columns.map((c) => {
      if (c.stageId !== stageId) return c;
      const have = new Set(c.deals.map((d) => d.id));
      // A card of the page that has since moved to another column stays where it is now.
      const elsewhere = new Set(board.columns.filter((o) => o.stageId !== stageId).flatMap((o) => o.deals.map((d) => d.id)));
      const fresh = page.deals.filter((d) => !have.has(d.id) && !elsewhere.has(d.id) && d.stage === stageId);
      return { ...c, deals: [...c.deals, ...fresh].sort(order), next: page.next };
    }),
  };
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
