import { describe, expect, it } from 'vitest';
import type { BoardDeal, DealBoard, Stage } from '../types.ts';
import { columnsOf, mainCurrency, movedCard, sortDeals } from './board-model.ts';
import { readBoardView, writeBoardView } from './board-filters.ts';
import { sortTable } from './deal-table.tsx';

const stage = (id: string, position: number, extra: Partial<Stage> = {}): Stage => ({ id, name: `Stage ${id}`, position, defaultProbability: position * 20, isWon: false, isLost: false, ...extra });
const stages = [stage('s2', 2), stage('s1', 1), stage('won', 3, { isWon: true, defaultProbability: 100 }), stage('lost', 4, { isLost: true, defaultProbability: 0 })];
let n = 0;
const deal = (over: Partial<BoardDeal> = {}): BoardDeal => ({
  id: `d${++n}`, name: `Deal ${n}`, companyId: null, companyName: null, valueCents: 100_00, currency: 'USD', pipelineId: 'p', stage: 's1', probability: 20,
  ownerId: 'u1', ownerName: 'Uma One', expectedCloseDate: null, stageChangedAt: '2026-11-01T00:00:00.000Z', outcome: null, source: null,
  risk: { score: 40, band: 'medium', topReason: null }, createdAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-10-01T00:00:00.000Z', ...over,
});
const board = (deals: BoardDeal[]): DealBoard => ({ pipeline: { id: 'p', name: 'Sales', isDefault: true, stages }, deals, closedSince: '2026-11-01', stageNorms: [{ stageId: 's1', medianDays: 6, stays: 9 } as DealBoard['stageNorms'][number]], truncated: false });

describe('board columns', () => {
  it('one column per stage in pipeline order, with count, total and weighted value of the main currency', () => {
    const deals = [deal({ valueCents: 1000_00, probability: 20 }), deal({ valueCents: 500_00, probability: 50 }), deal({ stage: 's2', valueCents: 300_00, probability: 40 }), deal({ valueCents: 999_00, currency: 'EUR' })];
    const { columns, currency } = columnsOf(board(deals), 'close');
    expect(currency).toBe('USD');
    expect(columns.map((c) => c.stage.id)).toEqual(['s1', 's2', 'won', 'lost']);
    expect(columns[0]).toMatchObject({ count: 3, valueCents: 1500_00, weightedCents: 200_00 + 250_00, otherCurrencyDeals: 1, normDays: 6 });
    expect(columns[1]).toMatchObject({ count: 1, valueCents: 300_00, weightedCents: 120_00, normDays: null });
    expect(columns[2]).toMatchObject({ count: 0, valueCents: 0 });
  });

  it.each([
    ['most deals', ['EUR', 'EUR', 'USD'], 'EUR'],
    ['a tie goes to USD', ['EUR', 'USD'], 'USD'],
    ['nothing', [], 'USD'],
  ])('main currency: %s', (_name, currencies, expected) => {
    expect(mainCurrency(currencies.map((c) => deal({ currency: c })))).toBe(expected);
  });

  it.each([
    ['close date, undated last', 'close', [{ expectedCloseDate: '2026-12-10' }, { expectedCloseDate: null }, { expectedCloseDate: '2026-12-01' }], [2, 0, 1]],
    ['value, largest first', 'value', [{ valueCents: 1 }, { valueCents: 3 }, { valueCents: 2 }], [1, 2, 0]],
    ['risk, highest first, unscored last', 'risk', [{ risk: null }, { risk: { score: 90, band: 'high', topReason: null } }, { risk: { score: 10, band: 'low', topReason: null } }], [1, 2, 0]],
    ['days in stage, longest first', 'age', [{ stageChangedAt: '2026-11-20T00:00:00Z' }, { stageChangedAt: '2026-10-01T00:00:00Z' }], [1, 0]],
  ] as const)('cards sorted by %s', (_name, sort, overrides, order) => {
    const deals = overrides.map((o) => deal(o as Partial<BoardDeal>));
    expect(sortDeals(deals, sort, new Date('2026-12-01T00:00:00Z')).map((d) => d.id)).toEqual(order.map((i) => deals[i]!.id));
  });
});

describe('the card shown at once when a deal is dropped', () => {
  const now = new Date('2026-12-02T10:00:00.000Z');
  it.each([
    ['an open stage: its default probability, the clock restarted, the risk kept', stages[0]!, { stage: 's2', probability: 40, outcome: null, stageChangedAt: now.toISOString(), risk: { score: 40, band: 'medium', topReason: null } }],
    ['won: outcome won, no risk', stages[2]!, { stage: 'won', probability: 100, outcome: 'won', risk: null }],
    ['lost: outcome lost, no risk', stages[3]!, { stage: 'lost', probability: 0, outcome: 'lost', risk: null }],
  ])('%s', (_name, target, expected) => {
    expect(movedCard(deal(), target, now)).toMatchObject(expected);
  });
});

describe('the board view in the URL', () => {
  const ID = '0b5a3c1e-8f5e-4b8e-9a37-1f2d3c4b5a69';
  it('round-trips every filter, the view, the sorts and the open deal', () => {
    const query = `pipeline=${ID}&view=table&q=acme&owner=${ID}&team=${ID}&stage=${ID}&pmin=10&pmax=90&vmin=1000&vmax=50000&from=2026-12-01&to=2026-12-31&risk=high&source=referral&sort=value&col=risk&dir=desc&deal=${ID}`;
    const view = readBoardView(new URLSearchParams(query));
    expect(view).toEqual({
      pipelineId: ID,
      view: 'table',
      filters: { q: 'acme', ownerId: ID, teamId: ID, stage: ID, minProbability: 10, maxProbability: 90, minValueCents: 1000_00, maxValueCents: 50000_00, closeFrom: '2026-12-01', closeTo: '2026-12-31', risk: 'high', source: 'referral' },
      sort: 'value',
      tableSort: { column: 'risk', direction: 'desc' },
      dealId: ID,
    });
    expect(readBoardView(writeBoardView(view))).toEqual(view);
  });

  it('ignores what is malformed instead of refusing the page', () => {
    const view = readBoardView(new URLSearchParams('owner=bob&pmin=120&vmin=-5&from=yesterday&risk=extreme&view=cards&sort=random&col=password&deal=1'));
    expect(view).toEqual({ pipelineId: undefined, view: 'board', filters: {}, sort: 'close', tableSort: { column: 'close', direction: 'asc' }, dealId: undefined });
  });

  it('leaves the defaults out, so a plain board is a plain link', () => {
    expect(writeBoardView(readBoardView(new URLSearchParams(''))).toString()).toBe('');
  });
});

describe('the table', () => {
  const a = deal({ name: 'Alpha', valueCents: 300, companyName: null, stage: 's2' });
  const b = deal({ name: 'Bravo', valueCents: 100, companyName: 'Zeta', stage: 's1' });
  const c = deal({ name: 'Charlie', valueCents: 200, companyName: 'Acme', stage: 's1' });
  const position = (id: string) => stages.find((s) => s.id === id)!.position;
  const now = new Date('2026-12-01T00:00:00Z');
  it.each([
    ['value ascending', { column: 'value', direction: 'asc' }, ['Bravo', 'Charlie', 'Alpha']],
    ['value descending', { column: 'value', direction: 'desc' }, ['Alpha', 'Charlie', 'Bravo']],
    ['company, empty last both ways (asc)', { column: 'company', direction: 'asc' }, ['Charlie', 'Bravo', 'Alpha']],
    ['company, empty last both ways (desc)', { column: 'company', direction: 'desc' }, ['Bravo', 'Charlie', 'Alpha']],
    ['stage by pipeline position, then name', { column: 'stage', direction: 'asc' }, ['Bravo', 'Charlie', 'Alpha']],
  ] as const)('sorts by %s', (_name, sort, names) => {
    expect(sortTable([a, b, c], sort, position, now).map((d) => d.name)).toEqual(names);
  });
});
