// The board, the deal table's CSV and bulk actions, as each role meets them: what they see, the
// filters, all-or-nothing bulk changes, deleted deals in the admin's trash, other tenants' deals.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCards } from '../../../core/deals/board-order.ts';
import type { BoardDeal, BoardSort, DealBoard, DealBoardCards } from '../../../core/schemas/board.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let stranger: OrgFixture;
const stage = (i: number) => f.stageIds[i]!; // Discovery, Qualification, Proposal, Negotiation, Closed Won, Closed Lost
type Card = BoardDeal;
/** The cards of a board answer, column after column. */
const ids = (body: DealBoard) => body.columns.flatMap((c) => c.deals.map((d) => d.id));
const column = (body: DealBoard, stageId: string) => body.columns.find((c) => c.stageId === stageId)!;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Boardroom');
  stranger = await createOrgFixture(t, 'Elsewhere');
});
afterAll(() => t.close());

describe('GET /deals/board', () => {
  it('answers the default pipeline with its stages, the cards and closedSince; reps see their own', async () => {
    const asManager = await t.request('GET', '/api/v1/deals/board', { as: f.manager });
    expect(asManager.status).toBe(200);
    expect(asManager.body.pipeline.id).toBe(f.pipelineId);
    expect(asManager.body.pipeline.stages.map((s: { id: string }) => s.id)).toEqual(f.stageIds);
    expect(ids(asManager.body)).toEqual(expect.arrayContaining([f.dealId, f.otherRepDealId]));
    const card = column(asManager.body, stage(0)).deals.find((d: { id: string }) => d.id === f.dealId);
    expect(card).toMatchObject({ name: 'Boardroom expansion', companyName: 'Boardroom Industries', valueCents: 1_250_000, stage: stage(0), ownerId: f.rep.userId, outcome: null });
    expect(asManager.body.sort).toBe('close');
    expect(asManager.body.columns.map((c: { stageId: string }) => c.stageId)).toEqual(f.stageIds);

    const asRep = await t.request('GET', '/api/v1/deals/board', { as: f.rep });
    expect(ids(asRep.body)).toContain(f.dealId);
    expect(ids(asRep.body)).not.toContain(f.otherRepDealId);
    const asReadonly = await t.request('GET', '/api/v1/deals/board', { as: f.readonly });
    expect(ids(asReadonly.body)).toEqual(expect.arrayContaining([f.dealId, f.otherRepDealId]));
  });

  it('applies the filters (owner, value range, search by part of a word)', async () => {
    const byOwner = await t.request('GET', `/api/v1/deals/board?ownerId=${f.otherRep.userId}`, { as: f.manager });
    expect(ids(byOwner.body)).toEqual([f.otherRepDealId]);
    const byValue = await t.request('GET', '/api/v1/deals/board?minValueCents=1000000', { as: f.manager });
    expect(ids(byValue.body)).toEqual([f.dealId]);
    const byWord = await t.request('GET', '/api/v1/deals/board?q=expan', { as: f.manager });
    expect(ids(byWord.body)).toEqual([f.dealId]);
  });

  it.each([
    ['an unknown filter', '?colour=red'],
    ['a probability over 100', '?minProbability=150'],
    ['a malformed day', '?closeFrom=tomorrow'],
    ['a pipeline id that is not an id', '?pipelineId=1'],
  ])('refuses %s with a 400', async (_name, query) => {
    const res = await t.request('GET', `/api/v1/deals/board${query}`, { as: f.manager });
    expect(res.status).toBe(400);
  });

  it("another organization's pipeline is not found", async () => {
    const res = await t.request('GET', `/api/v1/deals/board?pipelineId=${stranger.pipelineId}`, { as: f.manager });
    expect(res.status).toBe(404);
    expect((await t.request('GET', `/api/v1/deals/board/cards?pipelineId=${stranger.pipelineId}`, { as: f.manager })).status).toBe(404);
  });
});

describe('a column in pages: totals over every matching deal, cards a page at a time', () => {
  // Seven deals in Negotiation, one in euros, two without a close date, names in mixed case.
  const made: { id: string; name: string; valueCents: number; currency: string }[] = [];
  beforeAll(async () => {
    const specs = [
      ['Pager alpha', 500_000, 'USD', '2027-03-01'],
      ['pager Bravo', 120_000, 'USD', '2027-01-15'],
      ['Pager charlie', 900_000, 'USD', null],
      ['PAGER delta', 120_000, 'USD', '2027-01-15'],
      ['Pager echo', 75_000, 'EUR', '2027-02-01'],
      ['pager foxtrot', 310_000, 'USD', null],
      ['Pager golf', 42_000, 'USD', '2026-12-31'],
    ] as const;
    for (const [name, valueCents, currency, expectedCloseDate] of specs) {
      const res = await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name, valueCents, currency, expectedCloseDate, stage: stage(3) } });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      made.push(res.body);
    }
    // Someone else's deals with the same words: never in this organization's answers.
    await t.request('POST', '/api/v1/deals', { as: stranger.rep, body: { name: 'Pager stranger', valueCents: 1, stage: stranger.stageIds[3] } });
  });

  it('counts and sums the whole column in SQL, per currency, whatever the cards per column', async () => {
    const probability = (await t.request('GET', `/api/v1/deals/${made[0]!.id}`, { as: f.manager })).body.probability as number;
    const usd = made.filter((d) => d.currency === 'USD');
    const res = await t.request('GET', '/api/v1/deals/board?q=pager&perColumn=2', { as: f.manager });
    expect(res.status).toBe(200);
    const negotiation = column(res.body, stage(3));
    expect(negotiation.deals).toHaveLength(2);
    expect(negotiation.count).toBe(7);
    expect(negotiation.totals).toEqual([
      { currency: 'USD', count: 6, valueCents: usd.reduce((n, d) => n + d.valueCents, 0), weightedCents: usd.reduce((n, d) => n + d.valueCents * probability, 0) / 100 },
      { currency: 'EUR', count: 1, valueCents: 75_000, weightedCents: (75_000 * probability) / 100 },
    ]);
    // The filters count too: no column counts a deal the filters leave out.
    const small = await t.request('GET', '/api/v1/deals/board?q=pager&maxValueCents=130000&perColumn=0', { as: f.manager });
    expect(column(small.body, stage(3))).toMatchObject({ count: 4, deals: [], next: null });
    expect(column(small.body, stage(3)).totals.find((x: { currency: string }) => x.currency === 'USD')?.valueCents).toBe(120_000 + 120_000 + 42_000);
    // A rep's columns count only their own deals.
    expect(column((await t.request('GET', '/api/v1/deals/board?q=pager', { as: f.otherRep })).body, stage(3)).count).toBe(0);
  });

  it.each<BoardSort>(['close', 'value', 'risk', 'age', 'name'])('pages a column by %s without a gap or a repeat, in the order the web app keeps', async (sort) => {
    const first = (await t.request('GET', `/api/v1/deals/board?q=pager&sort=${sort}&perColumn=2`, { as: f.manager })).body as DealBoard;
    const pages: Card[][] = [column(first, stage(3)).deals];
    let next = column(first, stage(3)).next;
    while (next) {
      const res = await t.request('GET', `/api/v1/deals/board/cards?q=pager&sort=${sort}&stage=${stage(3)}&limit=2&after=${next}`, { as: f.manager });
      expect(res.status).toBe(200);
      const body = res.body as DealBoardCards;
      pages.push(body.deals);
      next = body.next;
    }
    const paged = pages.flat();
    expect(pages.length).toBe(4);
    expect(paged.map((d) => d.id).sort()).toEqual(made.map((d) => d.id).sort());
    expect(paged.map((d) => d.name)).toEqual([...paged].sort(compareCards(sort)).map((d) => d.name));
    // The deal table's one long page is the same order.
    const all = (await t.request('GET', `/api/v1/deals/board/cards?q=pager&sort=${sort}&limit=100`, { as: f.manager })).body as DealBoardCards;
    expect(all.next).toBeNull();
    expect(all.deals.map((d) => d.id)).toEqual(paged.map((d) => d.id));
  });

  it('orders by close date with the undated last, then by name whatever its case', async () => {
    const all = (await t.request('GET', '/api/v1/deals/board/cards?q=pager&limit=100', { as: f.manager })).body as DealBoardCards;
    expect(all.deals.map((d) => d.name)).toEqual(['Pager golf', 'pager Bravo', 'PAGER delta', 'Pager echo', 'Pager alpha', 'Pager charlie', 'pager foxtrot']);
  });

  it.each([
    ['a cursor that is not one', 'after=nonsense'],
    ['a cursor of another sort', 'after=__NAME__&sort=value'],
    ['a limit over 5,000', 'limit=5001'],
    ['an unknown sort', 'sort=colour'],
  ])('refuses %s with a 400', async (_name, query) => {
    const nameCursor = column((await t.request('GET', '/api/v1/deals/board?q=pager&sort=name&perColumn=1', { as: f.manager })).body, stage(3)).next as string;
    const res = await t.request('GET', `/api/v1/deals/board/cards?${query.replace('__NAME__', nameCursor)}`, { as: f.manager });
    expect(res.status).toBe(400);
  });
});

describe('GET /deals/export', () => {
  it('answers the filtered deals as CSV, one line each, only those the caller may see', async () => {
    const res = await t.request('GET', '/api/v1/deals/export?status=all', { as: f.rep });
    expect(res.status).toBe(200);
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toContain(f.dealId);
    expect(rows.map((r) => r.id)).not.toContain(f.otherRepDealId);
    expect(rows.find((r) => r.id === f.dealId)).toMatchObject({ name: 'Boardroom expansion', company: 'Boardroom Industries', value: '12500.00', stage: 'Discovery' });
  });
});

describe('POST /deals/bulk', () => {
  it('moves and reassigns many deals, each with its stage history', async () => {
    const a = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Bulk A' } })).body;
    const b = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Bulk B' } })).body;
    const moved = await t.request('POST', '/api/v1/deals/bulk', { as: f.manager, body: { action: 'move', dealIds: [a.id, b.id], stage: stage(2) } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ action: 'move', count: 2 });
    expect(moved.body.deals.map((d: { stage: string; probability: number }) => [d.stage, d.probability])).toEqual([[stage(2), 50], [stage(2), 50]]);
    const history = (await t.request('GET', `/api/v1/deals/${a.id}/history`, { as: f.manager })).body.data;
    expect(history.at(-1)).toMatchObject({ fromStage: stage(0), toStage: stage(2), changedBy: f.manager.userId });

    const reassigned = await t.request('POST', '/api/v1/deals/bulk', { as: f.manager, body: { action: 'reassign', dealIds: [a.id, b.id], ownerId: f.otherRep.userId } });
    expect(reassigned.body.deals.every((d: { ownerId: string }) => d.ownerId === f.otherRep.userId)).toBe(true);
  });

  it('is all or nothing: one deal refused leaves every deal as it was, and the error names it', async () => {
    const mine = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Mine to move' } })).body;
    // The rep may not move the other rep's deal.
    const res = await t.request('POST', '/api/v1/deals/bulk', { as: f.rep, body: { action: 'move', dealIds: [mine.id, f.otherRepDealId], stage: stage(1) } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.details.dealId).toBe(f.otherRepDealId);
    expect((await t.request('GET', `/api/v1/deals/${mine.id}`, { as: f.rep })).body.stage).toBe(stage(0));
  });

  it('readonly members are refused, and nothing changes', async () => {
    const res = await t.request('POST', '/api/v1/deals/bulk', { as: f.readonly, body: { action: 'move', dealIds: [f.dealId], stage: stage(3) } });
    expect(res.status).toBe(403);
    expect((await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: f.manager })).body.stage).toBe(stage(0));
  });

  it("another organization's deal is not found, and nothing changes", async () => {
    const res = await t.request('POST', '/api/v1/deals/bulk', { as: f.manager, body: { action: 'delete', dealIds: [stranger.dealId] } });
    expect(res.status).toBe(404);
    expect((await t.request('GET', `/api/v1/deals/${stranger.dealId}`, { as: stranger.manager })).status).toBe(200);
  });

  it('deleted deals leave the board and wait in the admin\'s trash, from where they come back', async () => {
    const doomed = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Doomed' } })).body;
    const res = await t.request('POST', '/api/v1/deals/bulk', { as: f.manager, body: { action: 'delete', dealIds: [doomed.id] } });
    expect(res.body).toMatchObject({ action: 'delete', count: 1, deals: [] });
    expect(ids((await t.request('GET', '/api/v1/deals/board', { as: f.manager })).body)).not.toContain(doomed.id);
    const trash = await t.request('GET', '/api/v1/trash', { as: f.admin });
    expect(trash.body.data.map((item: { id: string }) => item.id)).toContain(doomed.id);
    expect((await t.request('GET', '/api/v1/trash', { as: f.manager })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/deals/${doomed.id}/restore`, { as: f.admin })).status).toBe(200);
    expect(ids((await t.request('GET', '/api/v1/deals/board', { as: f.manager })).body)).toContain(doomed.id);
  });

  it.each([
    ['no deals', { action: 'delete', dealIds: [] }],
    ['an unknown action', { action: 'archive', dealIds: ['0b5a3c1e-8f5e-4b8e-9a37-1f2d3c4b5a69'] }],
    ['a move without a stage', { action: 'move', dealIds: ['0b5a3c1e-8f5e-4b8e-9a37-1f2d3c4b5a69'] }],
  ])('refuses %s with a 400', async (_name, body) => {
    expect((await t.request('POST', '/api/v1/deals/bulk', { as: f.manager, body })).status).toBe(400);
  });
});
