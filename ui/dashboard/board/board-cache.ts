// The boards held in the query cache, changed in place: a deal's card put into every board on
// screen by that board's own filters (a drop here, a change made elsewhere arriving live), without
// asking the API for the board again. Where a card's old place was not loaded (a page not shown
// yet), the columns' counts and totals are asked for again, alone (GET /deals/board?perColumn=0).
import type { QueryClient } from '@tanstack/react-query';
import { dealMatchesFilters } from '../../../core/deals/filters.ts';
import type { DealFilters } from '../../../core/schemas/deal-filters.ts';
import { keys } from '../queries.ts';
import type { BoardDeal, DealBoard, Member } from '../types.ts';
import { placeCard, withTotalsOf } from './board-model.ts';

/** Carried by each board query (boardQueryOptions): how to ask for its counts and totals alone. */
export interface BoardQueryMeta extends Record<string, unknown> {
  fetchTotals: () => Promise<DealBoard>;
}

/** The deal table's query sits under the board's key with this last part; it holds a list, not columns. */
export const TABLE = 'table';
const isTable = (key: readonly unknown[]) => key[3] === TABLE;

export function teamLookup(queryClient: QueryClient) {
  const members = queryClient.getQueryData<Member[]>(keys.members) ?? [];
  const teams = new Map(members.map((m) => [m.userId, m.teamId]));
  return (userId: string) => teams.get(userId) ?? null;
}

/** Whether a card belongs on a board as its own query would have answered it. */
export function cardBelongs(board: DealBoard, card: BoardDeal, filters: DealFilters, teamOf: (userId: string) => string | null): boolean {
  return (
    card.pipelineId === board.pipeline.id &&
    (card.outcome === null || card.stageChangedAt.slice(0, 10) >= board.closedSince) &&
    dealMatchesFilters(card, filters, { teamOf })
  );
}

/** Puts a deal's current card into a board (or takes it off) as the board's own query would have. */
export function applyDealToBoard(board: DealBoard, dealId: string, card: BoardDeal | null, filters: DealFilters, teamOf: (userId: string) => string | null, pin = false) {
  return placeCard(board, dealId, card, { belongs: card !== null && cardBelongs(board, card, filters, teamOf), pin });
}

const totalsTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Asks for a board's counts and totals again, a little later (changes arriving together ask once). */
function refreshTotals(queryClient: QueryClient, queryKey: readonly unknown[], meta: BoardQueryMeta) {
  const id = JSON.stringify(queryKey);
  if (totalsTimers.has(id)) return;
  totalsTimers.set(
    id,
    setTimeout(() => {
      totalsTimers.delete(id);
      meta.fetchTotals().then(
        (fresh) => queryClient.setQueryData<DealBoard>(queryKey, (board) => (board ? withTotalsOf(board, fresh) : board)),
        // The board keeps its guessed totals; the next change or visit asks again.
        () => undefined,
      );
    }, 250),
  );
}

/**
 * Puts cards into every board on screen, each by its own filters; `pin` keeps them shown in their
 * column even past the cards loaded (cards this person moved). Deal tables are asked for again.
 */
export function putCardsInBoards(queryClient: QueryClient, cards: { id: string; card: BoardDeal | null }[], { pin }: { pin: boolean }) {
  const teamOf = teamLookup(queryClient);
  for (const query of queryClient.getQueryCache().findAll({ queryKey: keys.boardAll })) {
    if (isTable(query.queryKey)) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      continue;
    }
    let board = query.state.data as DealBoard | undefined;
    if (!board) continue;
    const filters = (query.queryKey[2] ?? {}) as DealFilters;
    let stale = false;
    for (const { id, card } of cards) {
      const placed = applyDealToBoard(board, id, card, filters, teamOf, pin);
      board = placed.board;
      stale ||= placed.totalsStale;
    }
    if (board !== query.state.data) queryClient.setQueryData(query.queryKey, board);
    const meta = query.meta as BoardQueryMeta | undefined;
    if (stale && meta?.fetchTotals) refreshTotals(queryClient, query.queryKey, meta);
  }
}

/** Every board (not table) in the cache with its data: for a snapshot before an optimistic change. */
export function snapshotBoards(queryClient: QueryClient): [readonly unknown[], DealBoard | undefined][] {
  return queryClient.getQueriesData<DealBoard>({ queryKey: keys.boardAll }).filter(([key]) => !isTable(key));
}
