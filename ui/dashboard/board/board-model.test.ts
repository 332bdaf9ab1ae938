import { describe, expect, it } from 'vitest';
import type { BoardDeal, DealBoard, Stage } from '../types.ts';
import { columnsOf, findCard, mainCurrency, movedCard, openTotals, placeCard, withPage, withTotalsOf } from './board-model.ts';
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
type ApiColumn = DealBoard['columns'][number];
/** A column as the API answers it: totals per currency over `all` (the cards and those not sent), the first `loaded` cards. */
const apiColumn = (stageId: string, all: BoardDeal[], loaded = all.length): ApiColumn => {
  const totals = new Map<string, ApiColumn['totals'][number]>();
  for (const d of all) {
    const t = totals.get(d.currency) ?? { currency: d.currency, count: 0, valueCents: 0, weightedCents: 0 };
    totals.set(d.currency, { ...t, count: t.count + 1, valueCents: t.valueCents + d.valueCents, weightedCents: t.weightedCents + (d.valueCents * d.probability) / 100 });
  }
  return { stageId, count: all.length, totals: [...totals.values()], deals: all.slice(0, loaded), next: loaded < all.length ? `after-${loaded}` : null };
};
const board = (columns: ApiColumn[], sort: DealBoard['sort'] = 'name'): DealBoard => ({
  pipeline: { id: 'p', name: 'Sales', isDefault: true, stages },
  sort,
  columns: stages.map((s) => columns.find((c) => c.stageId === s.id) ?? apiColumn(s.id, [])),
  closedSince: '2026-11-01',
  stageNorms: [{ stageId: 's1', medianDays: 6, stays: 9 } as DealBoard['stageNorms'][number]],
});
const namesIn = (b: DealBoard, stageId: string) => b.columns.find((c) => c.stageId === stageId)!.deals.map((d) => d.name);

describe('board columns', () => {
  it('one column per stage in pipeline order, with count, total and weighted value of the main currency', () => {
    const s1 = [deal({ valueCents: 1000_00, probability: 20 }), deal({ valueCents: 500_00, probability: 50 }), deal({ valueCents: 999_00, currency: 'EUR' })];
    // Only one card of s1 was sent: the totals are the API's, over all three.
    const { columns, currency } = columnsOf(board([apiColumn('s1', s1, 1), apiColumn('s2', [deal({ stage: 's2', valueCents: 300_00, probability: 40 })])]));
    expect(currency).toBe('USD');
    expect(columns.map((c) => c.stage.id)).toEqual(['s1', 's2', 'won', 'lost']);
    expect(columns[0]).toMatchObject({ count: 3, valueCents: 1500_00, weightedCents: 200_00 + 250_00, otherCurrencyDeals: 1, normDays: 6, next: 'after-1' });
    expect(columns[0]!.deals).toHaveLength(1);
    expect(columns[1]).toMatchObject({ count: 1, valueCents: 300_00, weightedCents: 120_00, normDays: null, next: null });
    expect(columns[2]).toMatchObject({ count: 0, valueCents: 0 });
  });

  it.each([
    ['most deals', ['EUR', 'EUR', 'USD'], 'EUR'],
    ['a tie goes to USD', ['EUR', 'USD'], 'USD'],
    ['nothing', [], 'USD'],
  ])('main currency: %s', (_name, currencies, expected) => {
    expect(mainCurrency(board([apiColumn('s1', currencies.map((c) => deal({ currency: c })), 0)]))).toBe(expected);
  });

  it('the open totals leave the won and lost columns out', () => {
    const b = board([apiColumn('s1', [deal({ valueCents: 100_00, probability: 50 })]), apiColumn('won', [deal({ stage: 'won', valueCents: 900_00, probability: 100, outcome: 'won' })])]);
    expect(openTotals(b)).toEqual({ count: 1, valueCents: 100_00, weightedCents: 50_00, currency: 'USD' });
  });
});

describe('a card put into a board', () => {
  const a = () => deal({ name: 'Alpha', valueCents: 100_00, probability: 20 });
  it.each<[string, (x: BoardDeal) => { b: DealBoard; card: BoardDeal | null; belongs?: boolean; pin?: boolean }, { s1: string[]; s2: string[]; s1Count: number; s2Count: number; s2Value: number; stale: boolean }]>([
    ['moved between loaded columns: out of one, into the other at its place, totals moved with it', (x) => ({
      b: board([apiColumn('s1', [x]), apiColumn('s2', [deal({ name: 'Aaron', stage: 's2' }), deal({ name: 'Zed', stage: 's2' })])]),
      card: { ...x, stage: 's2', probability: 40 },
    }), { s1: [], s2: ['Aaron', 'Alpha', 'Zed'], s1Count: 0, s2Count: 3, s2Value: 300_00, stale: false }],
    ['moved to where a later page has it (someone else): counted, not shown', (x) => ({
      b: board([apiColumn('s1', [x]), apiColumn('s2', [deal({ name: 'Aaron', stage: 's2' }), deal({ name: 'Abe', stage: 's2' }), deal({ name: 'Zed', stage: 's2' })], 2)]),
      card: { ...x, stage: 's2' },
    }), { s1: [], s2: ['Aaron', 'Abe'], s1Count: 0, s2Count: 4, s2Value: 400_00, stale: false }],
    ['moved there by this person (pinned): shown at its place', (x) => ({
      b: board([apiColumn('s1', [x]), apiColumn('s2', [deal({ name: 'Aaron', stage: 's2' }), deal({ name: 'Abe', stage: 's2' }), deal({ name: 'Zed', stage: 's2' })], 2)]),
      card: { ...x, stage: 's2' },
      pin: true,
    }), { s1: [], s2: ['Aaron', 'Abe', 'Alpha'], s1Count: 0, s2Count: 4, s2Value: 400_00, stale: false }],
    ['not loaded before (new, or from a page not shown): shown, counted, and the totals asked for again', (x) => ({
      b: board([apiColumn('s2', [deal({ name: 'Zed', stage: 's2' })])]),
      card: { ...x, stage: 's2' },
    }), { s1: [], s2: ['Alpha', 'Zed'], s1Count: 0, s2Count: 2, s2Value: 200_00, stale: true }],
    ['deleted or no longer visible (null): taken off and out of the totals', (x) => ({
      b: board([apiColumn('s1', [x, deal({ name: 'Bravo' })])]),
      card: null,
    }), { s1: ['Bravo'], s2: [], s1Count: 1, s2Count: 0, s2Value: 0, stale: false }],
    ['no longer matching the filters: taken off', (x) => ({ b: board([apiColumn('s1', [x])]), card: { ...x, valueCents: 1 }, belongs: false }), { s1: [], s2: [], s1Count: 0, s2Count: 0, s2Value: 0, stale: false }],
    ['changed in place: stays where it is on screen even past the loaded cards', (x) => ({
      b: board([apiColumn('s1', [deal({ name: 'Aaron' }), x, deal({ name: 'Bravo' })], 2)]),
      card: { ...x, name: 'Zulu' },
    }), { s1: ['Aaron', 'Zulu'], s2: [], s1Count: 3, s2Count: 0, s2Value: 0, stale: false }],
  ])('%s', (_name, make, expected) => {
    const x = a();
    const { b, card, belongs = true, pin = false } = make(x);
    const placed = placeCard(b, x.id, card, { belongs: belongs && card !== null, pin });
    const { columns } = columnsOf(placed.board);
    expect({
      s1: namesIn(placed.board, 's1'),
      s2: namesIn(placed.board, 's2'),
      s1Count: columns.find((c) => c.stage.id === 's1')!.count,
      s2Count: columns.find((c) => c.stage.id === 's2')!.count,
      s2Value: columns.find((c) => c.stage.id === 's2')!.valueCents,
      stale: placed.totalsStale,
    }).toEqual(expected);
  });

  it('the weighted value follows the probability of the moved card', () => {
    const x = a();
    const placed = placeCard(board([apiColumn('s1', [x])]), x.id, { ...x, stage: 's2', probability: 40 }, { belongs: true, pin: true });
    expect(columnsOf(placed.board).columns.find((c) => c.stage.id === 's2')).toMatchObject({ count: 1, valueCents: 100_00, weightedCents: 40_00 });
    expect(columnsOf(placed.board).columns.find((c) => c.stage.id === 's1')).toMatchObject({ count: 0, valueCents: 0, weightedCents: 0 });
  });

  it('leaves the other columns as the same objects, so they are not drawn again', () => {
    const x = a();
    const b = board([apiColumn('s1', [x]), apiColumn('s2', [])]);
    const placed = placeCard(b, x.id, { ...x, name: 'Alpha two' }, { belongs: true, pin: false }).board;
    expect(placed.columns.filter((c, i) => c !== b.columns[i]).map((c) => c.stageId)).toEqual(['s1']);
  });

  it.each([
    ['close date, undated last', 'close', [{ name: 'U', expectedCloseDate: null }, { name: 'L', expectedCloseDate: '2026-12-10' }, { name: 'E', expectedCloseDate: '2026-12-01' }], ['E', 'L', 'U']],
    ['value, largest first', 'value', [{ name: 'a', valueCents: 1 }, { name: 'b', valueCents: 3 }], ['b', 'a']],
    ['risk, highest first, unscored last', 'risk', [{ name: 'n', risk: null }, { name: 'h', risk: { score: 90, band: 'high', topReason: null } }], ['h', 'n']],
    ['days in stage, longest first', 'age', [{ name: 'new', stageChangedAt: '2026-11-20T00:00:00.000Z' }, { name: 'old', stageChangedAt: '2026-10-01T00:00:00.000Z' }], ['old', 'new']],
    ['name, whatever the case', 'name', [{ name: 'bravo' }, { name: 'Alpha' }, { name: 'Charlie' }], ['Alpha', 'bravo', 'Charlie']],
  ] as const)('a card goes where the sort puts it: %s', (_name, sort, cards, order) => {
    const [first, ...rest] = cards.map((c) => deal(c as Partial<BoardDeal>));
    const b = placeCard(board([apiColumn('s1', [])], sort), first!.id, first!, { belongs: true, pin: false }).board;
    const all = rest.reduce((acc, c) => placeCard(acc, c.id, c, { belongs: true, pin: false }).board, b);
    expect(namesIn(all, 's1')).toEqual(order);
  });
});

describe('pages and totals asked for later', () => {
  it('a further page joins its column in order, without the cards already there or moved elsewhere', () => {
    const [aaron, bravo, charlie, delta] = ['Aaron', 'Bravo', 'Charlie', 'Delta'].map((name) => deal({ name }));
    const b = board([apiColumn('s1', [aaron!, bravo!, charlie!, delta!], 1), apiColumn('s2', [{ ...charlie!, stage: 's2' }])]);
    const paged = withPage(b, 's1', { deals: [bravo!, charlie!, delta!], next: null });
    expect(namesIn(paged, 's1')).toEqual(['Aaron', 'Bravo', 'Delta']);
    expect(paged.columns.find((c) => c.stageId === 's1')!.next).toBeNull();
    expect(findCard(paged, charlie!.id)!.stage).toBe('s2');
  });

  it('fresh totals replace the guessed ones and keep the cards', () => {
    const x = deal();
    const b = board([apiColumn('s1', [x])]);
    const fresh = board([apiColumn('s1', [x, deal(), deal()], 0)]);
    const merged = withTotalsOf(b, fresh);
    expect(columnsOf(merged).columns[0]).toMatchObject({ count: 3, valueCents: 300_00 });
    expect(namesIn(merged, 's1')).toEqual([x.name]);
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
