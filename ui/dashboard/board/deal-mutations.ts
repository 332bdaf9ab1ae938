// Changing deals from the board, the table and the deal page: shown at once in every board on screen
// (optimistic), undone with the API's own reason when it refuses, then replaced by what the API
// answered. Bulk actions are all or nothing on the API's side.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RequestBody } from '../../api-client/api-types.ts';
import { call, errorMessage, useApi } from '../api.ts';
import { keys } from '../queries.ts';
import { useToast } from '../shell/ui.tsx';
import type { BoardDeal, DealBoard, Stage } from '../types.ts';
import { putCardsInBoards, snapshotBoards } from './board-cache.ts';
import { cardOfDeal, findCard as findInBoard, movedCard } from './board-model.ts';

type Snapshot = [readonly unknown[], DealBoard | undefined][];

function restore(queryClient: QueryClient, snapshot: Snapshot) {
  for (const [key, data] of snapshot) queryClient.setQueryData(key, data);
}

/** Cards changed here stay shown where they went, even past the cards a column has loaded. */
const putCards = (queryClient: QueryClient, cards: { id: string; card: BoardDeal | null }[]) => putCardsInBoards(queryClient, cards, { pin: true });

function findCard(queryClient: QueryClient, id: string): BoardDeal | null {
  for (const [, board] of snapshotBoards(queryClient)) {
    const card = board && findInBoard(board, id);
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
    // Not async: the card is in its new column in the same task as the drop, not a promise later.
    onMutate: ({ deal, stage }: MoveInput) => {
      // A board arriving now would put the card back where it was.
      void queryClient.cancelQueries({ queryKey: keys.boardAll });
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
