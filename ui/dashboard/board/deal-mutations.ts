// Changing deals from the board, the table and the deal page: shown at once in every board on screen
// (optimistic), undone with the API's own reason when it refuses, then replaced by what the API
// answered. Bulk actions are all or nothing on the API's side.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DealFilters } from '../../../core/schemas/deal-filters.ts';
import type { RequestBody } from '../../api-client/api-types.ts';
import { call, errorMessage, useApi } from '../api.ts';
import { applyDealToBoard } from '../live.ts';
import { keys } from '../queries.ts';
import { useToast } from '../shell/ui.tsx';
import type { BoardDeal, DealBoard, Member, Stage } from '../types.ts';
import { cardOfDeal, movedCard } from './board-model.ts';

type Snapshot = [readonly unknown[], DealBoard | undefined][];

function snapshotBoards(queryClient: QueryClient): Snapshot {
  return queryClient.getQueriesData<DealBoard>({ queryKey: keys.boardAll });
}

function restore(queryClient: QueryClient, snapshot: Snapshot) {
  for (const [key, data] of snapshot) queryClient.setQueryData(key, data);
}

function teamOf(queryClient: QueryClient) {
  const members = queryClient.getQueryData<Member[]>(keys.members) ?? [];
  const teams = new Map(members.map((m) => [m.userId, m.teamId]));
  return (userId: string) => teams.get(userId) ?? null;
}

/** Puts cards into every board on screen, each by its own filters. */
function putCards(queryClient: QueryClient, cards: { id: string; card: BoardDeal | null }[]) {
  const team = teamOf(queryClient);
  for (const query of queryClient.getQueryCache().findAll({ queryKey: keys.boardAll })) {
    let board = query.state.data as DealBoard | undefined;
    if (!board) continue;
    const filters = (query.queryKey[2] ?? {}) as DealFilters;
    for (const { id, card } of cards) board = applyDealToBoard(board, id, card, filters, team);
    queryClient.setQueryData(query.queryKey, board);
  }
}

function findCard(queryClient: QueryClient, id: string): BoardDeal | null {
  for (const [, board] of snapshotBoards(queryClient)) {
    const card = board?.deals.find((d) => d.id === id);
    if (card) return card;
  }
  return null;
}

export interface MoveInput {
  deal: BoardDeal;
  stage: Stage;
  lostReason?: string | null;
}

export function useMoveDeal() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ deal, stage, lostReason }: MoveInput) =>
      call(api.PATCH('/deals/{id}', { params: { path: { id: deal.id } }, body: { stage: stage.id, ...(lostReason !== undefined ? { lostReason } : {}) } })),
    onMutate: async ({ deal, stage }: MoveInput) => {
      // A board arriving now would put the card back where it was.
      await queryClient.cancelQueries({ queryKey: keys.boardAll });
      const snapshot = snapshotBoards(queryClient);
      putCards(queryClient, [{ id: deal.id, card: movedCard(deal, stage, new Date()) }]);
      return { snapshot };
    },
    onError: (err, { deal, stage }, context) => {
      if (context) restore(queryClient, context.snapshot);
      toast(`${deal.name} was not moved to ${stage.name}: ${errorMessage(err)}`, 'error');
    },
    onSuccess: (updated, { deal, stage }) => {
      putCards(queryClient, [{ id: deal.id, card: cardOfDeal(updated, findCard(queryClient, deal.id) ?? deal) }]);
      if (stage.isWon) toast(`${deal.name} marked as won.`, 'success');
      else if (stage.isLost) toast(`${deal.name} marked as lost.`, 'info');
      void queryClient.invalidateQueries({ queryKey: keys.deal(deal.id) });
    },
  });
}

export type DealPatch = RequestBody<'patch', '/deals/{id}'>;

export function useUpdateDeal() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: DealPatch }) =>
      call(api.PATCH('/deals/{id}', { params: { path: { id } }, body: patch })),
    onError: (err) => toast(`Not saved: ${errorMessage(err)}`, 'error'),
    onSuccess: (updated) => {
      putCards(queryClient, [{ id: updated.id, card: cardOfDeal(updated, findCard(queryClient, updated.id)) }]);
      queryClient.setQueryData(keys.deal(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.deal(updated.id) });
    },
  });
}

export type BulkInput = RequestBody<'post', '/deals/bulk'>;

export function useBulkDeals() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: BulkInput) => call(api.POST('/deals/bulk', { body: input })),
    onError: (err) => toast(errorMessage(err), 'error'),
    onSuccess: (result, input) => {
      if (input.action === 'delete') putCards(queryClient, input.dealIds.map((id) => ({ id, card: null })));
      else putCards(queryClient, result.deals.map((card) => ({ id: card.id, card })));
      const what = input.action === 'delete' ? 'deleted (an admin can restore them from the trash for 30 days)' : input.action === 'move' ? 'moved' : 'reassigned';
      toast(`${result.count} ${result.count === 1 ? 'deal' : 'deals'} ${what}.`, 'success');
      void queryClient.invalidateQueries({ queryKey: keys.atRisk });
    },
  });
}
