// Applying a live change to what is on screen: a deal's card put into (or taken off) each board by
// that board's own filters, and the other queries a change concerns marked stale.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { applyDealToBoard, type BoardQueryMeta } from './board/board-cache.ts';
import { findCard } from './board/board-model.ts';
import { applyChange } from './live.ts';
import { keys } from './queries.ts';
import type { BoardDeal, DealBoard, LiveChange } from './types.ts';

const card = (over: Partial<BoardDeal> = {}): BoardDeal => ({
  id: 'd1', name: 'Acme renewal', companyId: null, companyName: null, valueCents: 500_00, currency: 'USD', pipelineId: 'p1', stage: 's1', probability: 20,
  ownerId: 'u1', ownerName: 'Uma', expectedCloseDate: '2026-12-20', stageChangedAt: '2026-12-01T00:00:00.000Z', outcome: null, source: null, risk: null,
  createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', ...over,
});
const stageIds = ['s1', 's2', 's3', 'won'];
/** A board whose columns hold these cards (all loaded), with their totals. */
const board = (deals: BoardDeal[]): DealBoard => ({
  pipeline: { id: 'p1', name: 'Sales', isDefault: true, stages: stageIds.map((id, position) => ({ id, name: id, position, defaultProbability: 20, isWon: id === 'won', isLost: false })) },
  sort: 'close',
  columns: stageIds.map((stageId) => {
    const here = deals.filter((d) => d.stage === stageId);
    return {
      stageId,
      count: here.length,
      totals: here.length ? [{ currency: 'USD', count: here.length, valueCents: here.reduce((n, d) => n + d.valueCents, 0), weightedCents: here.reduce((n, d) => n + (d.valueCents * d.probability) / 100, 0) }] : [],
      deals: here,
      next: null,
    };
  }),
  closedSince: '2026-11-03',
  stageNorms: [],
});
const stagesOf = (b: DealBoard) => b.columns.flatMap((c) => c.deals.map((d) => d.stage));
const teamOf = (userId: string) => (userId === 'u1' ? 't1' : null);

describe('a deal change on a board', () => {
  it.each([
    ['moved: replaces the card', [card()], card({ stage: 's2' }), {}, ['s2']],
    ['new on this board: added', [], card(), {}, ['s1']],
    ['deleted or no longer visible (null): removed', [card()], null, {}, []],
    ['another pipeline: removed', [card()], card({ pipelineId: 'p2' }), {}, []],
    ['closed before closedSince: removed', [card()], card({ outcome: 'won', stageChangedAt: '2026-10-01T00:00:00.000Z' }), {}, []],
    ['closed since closedSince: kept', [card()], card({ outcome: 'won', stage: 'won' }), {}, ['won']],
    ['no longer matching the owner filter: removed', [card()], card({ ownerId: 'u2' }), { ownerId: 'u1' }, []],
    ['now matching the team filter: added', [], card(), { teamId: 't1' }, ['s1']],
    ['not matching the value filter: not added', [], card({ valueCents: 10 }), { minValueCents: 100 }, []],
  ] as const)('%s', (_name, before, next, filters, stages) => {
    const after = applyDealToBoard(board([...before]), 'd1', next, filters, teamOf).board;
    expect(stagesOf(after)).toEqual(stages);
  });

  it('leaves other cards alone and answers the same board when nothing changed', () => {
    const other = card({ id: 'd2', name: 'Other' });
    const b = board([other]);
    expect(applyDealToBoard(b, 'd1', null, {}, teamOf).board).toBe(b);
  });
});

describe('applyChange', () => {
  const change = (over: Partial<LiveChange>): LiveChange => ({ seq: 1, type: 'deal.stage_changed', recordType: 'deal', recordId: 'd1', actorId: 'u1', occurredAt: '2026-12-02T00:00:00.000Z', ...over });

  it('puts the card into every cached board by its filters, and marks the deal, at-risk and reports stale', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.board(undefined, {}), board([card()]));
    qc.setQueryData(keys.board(undefined, { ownerId: 'u9' }), board([]));
    const stale: string[] = [];
    applyChange(qc, change({ deal: card({ stage: 's3' }) }), (key) => stale.push(JSON.stringify(key)));
    const moved = qc.getQueryData<DealBoard>(keys.board(undefined, {}))!;
    expect(stagesOf(moved)).toEqual(['s3']);
    expect(moved.columns.map((c) => c.count)).toEqual([0, 0, 1, 0]);
    expect(stagesOf(qc.getQueryData<DealBoard>(keys.board(undefined, { ownerId: 'u9' }))!)).toEqual([]);
    expect(stale).toEqual(expect.arrayContaining([JSON.stringify(keys.deal('d1')), JSON.stringify(keys.atRisk), JSON.stringify(keys.reports)]));
    // The card is patched in place: no board is asked for again.
    expect(stale.filter((k) => k.startsWith('["board"'))).toEqual([]);
  });

  it('a card whose old place was not loaded: shown at once, and only the totals asked for again', async () => {
    vi.useFakeTimers();
    try {
      const qc = new QueryClient();
      const key = keys.board(undefined, {});
      const fresh = board([card({ stage: 's3' }), card({ id: 'd9', stage: 's3' })]);
      const fetchTotals = vi.fn(async () => fresh);
      // Registered as the page registers it: the query carries how to ask for its totals.
      qc.getQueryCache().build(qc, { queryKey: key, meta: { fetchTotals } satisfies BoardQueryMeta });
      qc.setQueryData(key, board([]));
      applyChange(qc, change({ deal: card({ stage: 's3' }) }), () => undefined);
      expect(findCard(qc.getQueryData<DealBoard>(key)!, 'd1')!.stage).toBe('s3');
      await vi.advanceTimersByTimeAsync(300);
      expect(fetchTotals).toHaveBeenCalledTimes(1);
      expect(qc.getQueryData<DealBoard>(key)!.columns.map((c) => c.count)).toEqual([0, 0, 2, 0]);
      expect(stagesOf(qc.getQueryData<DealBoard>(key)!)).toEqual(['s3']);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['an activity: the deals it is linked to, tasks and timelines', change({ type: 'activity.created', recordType: 'activity', recordId: 'a1', dealIds: ['d7'] }), [keys.deal('d7'), keys.tasks, keys.activities]],
    ['a pipeline: pipelines and boards', change({ type: 'pipeline.updated', recordType: 'pipeline', recordId: 'p1' }), [keys.pipelines, keys.boardAll]],
    ['a member: members, teams and who I am', change({ type: 'member.updated', recordType: 'member', recordId: 'u2' }), [keys.members, keys.me]],
  ] as const)('%s', (_name, c, expected) => {
    const stale: string[] = [];
    applyChange(new QueryClient(), c as LiveChange, (key) => stale.push(JSON.stringify(key)));
    expect(stale).toEqual(expect.arrayContaining(expected.map((k) => JSON.stringify(k))));
  });
});
