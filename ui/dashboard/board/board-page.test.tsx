// The pipeline page against the real API (an in-memory app on its own database; the browser's
// fetch is the only thing replaced): columns with their numbers, what each role may move, and a
// move the API refuses put back with the API's reason. Node's environment, with happy-dom's page
// added by hand: the API's modules must load as on the server (vite's browser transform would
// turn their file URLs into page URLs).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinEnvironments } from 'vitest/environments';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import type { DealBoard } from '../types.ts';

const page = await builtinEnvironments['happy-dom'].setup(globalThis, { happyDOM: { url: 'http://localhost:8787/app/board' } });
const { act, cleanup, fireEvent, render, renderHook, screen, waitFor, within } = await import('@testing-library/react');
const { keys } = await import('../queries.ts');
const { signedIn } = await import('../test-session.tsx');
const { BoardPage } = await import('./board-page.tsx');
const { useMoveDeal } = await import('./deal-mutations.ts');
const { findCard, loadedCards } = await import('./board-model.ts');
const cardIn = (board: DealBoard | undefined, id: string) => (board ? findCard(board, id) : undefined);

let t: TestApp;
let admin: Caller;
let manager: Caller;
let rep: Caller;
let other: Caller;
let readonly: Caller;
let stages: { id: string; name: string; isWon: boolean; isLost: boolean; defaultProbability: number }[];

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Board Co');
  admin = org.admin;
  manager = await org.member('manager', 'Mia Manager');
  rep = await org.member('rep', 'Remy Rep');
  other = await org.member('rep', 'Olga Other');
  readonly = await org.member('readonly', 'Rita Reader');
  stages = (await t.request('GET', '/api/v1/pipelines', { as: admin })).body.data[0].stages;
  const create = (as: Caller, name: string, valueCents: number, stage: string) =>
    t.request('POST', '/api/v1/deals', { as, body: { name, valueCents, stage } });
  await create(rep, 'Remy one', 1000_00, stages[0]!.id);
  await create(rep, 'Remy two', 3000_00, stages[0]!.id);
  await create(other, 'Olga one', 2000_00, stages[1]!.id);
});
afterAll(async () => {
  await t?.close();
  await page.teardown(globalThis);
});
afterEach(cleanup);

const setup = (caller: Caller, search = '') => signedIn(t, caller, `/board${search}`);

const columnOf = (stageName: string) => screen.getByRole('heading', { level: 2, name: stageName }).closest('section') as HTMLElement;

describe('the pipeline board', () => {
  it('shows a column per stage with its count, total and weighted value', async () => {
    const { wrapper } = await setup(manager);
    render(<BoardPage />, { wrapper });
    await screen.findByText('Remy one');
    const first = columnOf(stages[0]!.name);
    expect(within(first).getByLabelText('2 deals')).toBeTruthy();
    const p = stages[0]!.defaultProbability;
    expect(within(first).getByTitle('Total value: $4,000')).toBeTruthy();
    expect(within(first).getByTitle(`Weighted by probability: $${(4000 * p) / 100}`)).toBeTruthy();
    const second = columnOf(stages[1]!.name);
    expect(within(second).getByLabelText('1 deals')).toBeTruthy();
    expect(within(second).getByText('Olga one')).toBeTruthy();
    // A manager may move every deal.
    expect(screen.getAllByRole('button', { name: /^Move / })).toHaveLength(3);
  });

  it("a rep sees only their own deals; readonly sees all and may move none", async () => {
    const asRep = await setup(rep);
    render(<BoardPage />, { wrapper: asRep.wrapper });
    await screen.findByText('Remy one');
    expect(screen.queryByText('Olga one')).toBeNull();
    expect(screen.getAllByRole('button', { name: /^Move / })).toHaveLength(2);
    cleanup();

    const asReader = await setup(readonly);
    render(<BoardPage />, { wrapper: asReader.wrapper });
    await screen.findByText('Olga one');
    expect(screen.getByText('Remy one')).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^Move / })).toHaveLength(0);
    expect(screen.queryAllByRole('button', { name: /^Quick edit / })).toHaveLength(0);
  });

  it('filters in the URL narrow the board', async () => {
    const { wrapper } = await setup(manager, `?owner=${other.userId}`);
    render(<BoardPage />, { wrapper });
    await screen.findByText('Olga one');
    expect(screen.queryByText('Remy one')).toBeNull();
  });
});

describe('filters and quick edit', () => {
  it('choosing an owner puts the filter in the URL and narrows the board', async () => {
    const { wrapper, history } = await setup(manager);
    render(<BoardPage />, { wrapper });
    await screen.findByText('Remy one');
    const owner = screen.getByRole('combobox', { name: 'Owner' });
    await waitFor(() => expect(within(owner).getByRole('option', { name: 'Olga Other' })).toBeTruthy());
    fireEvent.change(owner, { target: { value: other.userId } });
    await waitFor(() => expect(screen.queryByText('Remy one')).toBeNull());
    expect(screen.getByText('Olga one')).toBeTruthy();
    expect(history.at(-1)).toBe(`/board?owner=${other.userId}`);
  });

  it('quick edit saves the value and close date through the API; a value that is not money is refused on the spot', async () => {
    const { wrapper } = await setup(rep);
    render(<BoardPage />, { wrapper });
    fireEvent.click(await screen.findByRole('button', { name: 'Quick edit Remy two' }));
    const value = await screen.findByRole('textbox', { name: 'Value (USD)' });
    fireEvent.change(value, { target: { value: 'lots' } });
    expect(screen.getByText('Enter an amount, e.g. 12500 or 12.5k')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(value, { target: { value: '42.5k' } });
    fireEvent.change(screen.getByLabelText('Expected close date'), { target: { value: '2027-02-15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Value (USD)' })).toBeNull());
    const deals = loadedCards((await t.request('GET', '/api/v1/deals/board', { as: rep })).body as DealBoard);
    expect(deals.find((d) => d.name === 'Remy two')).toMatchObject({ valueCents: 42_500_00, expectedCloseDate: '2027-02-15' });
  });
});

describe('a long column', () => {
  it('shows its first 25 cards and the count and total of all of them; "Show more" adds the rest from the API, in order', async () => {
    for (let i = 1; i <= 30; i++) await t.request('POST', '/api/v1/deals', { as: rep, body: { name: `Pile ${String(i).padStart(2, '0')}`, valueCents: 100_00, stage: stages[3]!.id } });
    const { wrapper } = await setup(manager, '?q=pile&sort=name');
    render(<BoardPage />, { wrapper });
    await screen.findByText('Pile 01');
    const column = columnOf(stages[3]!.name);
    expect(within(column).getByLabelText('30 deals')).toBeTruthy();
    expect(within(column).getByTitle('Total value: $3,000')).toBeTruthy();
    const names = () => [...column.querySelectorAll('article.card .card-title')].map((e) => e.textContent);
    // The first frame draws a screenful; the rest of the loaded cards follow.
    await waitFor(() => expect(names()).toEqual(Array.from({ length: 25 }, (_, i) => `Pile ${String(i + 1).padStart(2, '0')}`)));
    fireEvent.click(within(column).getByRole('button', { name: 'Show 5 more of 5' }));
    await waitFor(() => expect(names()).toHaveLength(30));
    expect(names()).toEqual(Array.from({ length: 30 }, (_, i) => `Pile ${String(i + 1).padStart(2, '0')}`));
    expect(within(column).queryByRole('button', { name: /Show .* more/ })).toBeNull();
  });
});

describe('bulk actions', () => {
  it('moving selected deals to a lost stage asks why first; the API then has them lost with that reason', async () => {
    const a = (await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Bulk lost A', stage: stages[0]!.id } })).body;
    const b = (await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Bulk lost B', stage: stages[1]!.id } })).body;
    const lost = stages.find((x) => x.isLost)!;
    const { wrapper } = await setup(manager);
    render(<BoardPage />, { wrapper });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select Bulk lost A' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Bulk lost B' }));
    const bar = screen.getByRole('region', { name: 'Selected deals' });
    expect(bar.textContent).toContain('2 deals selected');
    fireEvent.change(within(bar).getByRole('combobox', { name: 'Move selected deals to' }), { target: { value: lost.id } });
    fireEvent.click(await screen.findByRole('button', { name: 'Price' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mark as lost' }));
    await waitFor(async () => {
      const after = (await t.request('GET', `/api/v1/deals/${a.id}`, { as: manager })).body;
      expect(after).toMatchObject({ outcome: 'lost', lostReason: 'Price', stage: lost.id });
    });
    expect((await t.request('GET', `/api/v1/deals/${b.id}`, { as: manager })).body).toMatchObject({ outcome: 'lost', lostReason: 'Price' });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Selected deals' })).toBeNull());
  });
});

describe('moving a deal', () => {
  it('shows the move at once, and puts the card back with the API\'s reason when refused', async () => {
    const created = await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Doomed deal', stage: stages[0]!.id } });
    const { wrapper, queryClient } = await setup(manager);
    const board = (await t.request('GET', '/api/v1/deals/board', { as: manager })).body as DealBoard;
    const key = keys.board(undefined, {});
    queryClient.setQueryData(key, board);
    const card = cardIn(board, created.body.id)!;
    // Deleted by someone else before the drop: the API will refuse the move.
    await t.request('DELETE', `/api/v1/deals/${card.id}`, { as: admin });

    // Every stage the card is shown in, as the board would paint it.
    const shownIn: string[] = [];
    queryClient.getQueryCache().subscribe(() => {
      const stage = cardIn(queryClient.getQueryData<DealBoard>(key), card.id)?.stage;
      if (stage && stage !== shownIn.at(-1)) shownIn.push(stage);
    });
    const { result } = renderHook(() => useMoveDeal(), { wrapper });
    act(() => result.current.mutate({ deal: card, stage: stages[1]! as DealBoard['pipeline']['stages'][number] }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(shownIn).toEqual([stages[1]!.id, stages[0]!.id]);
    expect(cardIn(queryClient.getQueryData<DealBoard>(key), card.id)!.stage).toBe(stages[0]!.id);
    const toast = await screen.findByRole('alert');
    expect(toast.textContent).toContain(`Doomed deal was not moved to ${stages[1]!.name}`);
    expect(toast.textContent).toMatch(/not found/i);
  });

  it('a move the API accepts stays, with what the API answered', async () => {
    const created = await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Moving deal', stage: stages[0]!.id } });
    const { wrapper, queryClient } = await setup(rep);
    const key = keys.board(undefined, {});
    queryClient.setQueryData(key, (await t.request('GET', '/api/v1/deals/board', { as: rep })).body as DealBoard);
    const card = cardIn(queryClient.getQueryData<DealBoard>(key), created.body.id)!;
    const target = stages[2]!;
    const { result } = renderHook(() => useMoveDeal(), { wrapper });
    act(() => result.current.mutate({ deal: card, stage: target as DealBoard['pipeline']['stages'][number] }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(cardIn(queryClient.getQueryData<DealBoard>(key), card.id)!.stage).toBe(target.id);
    const history = (await t.request('GET', `/api/v1/deals/${card.id}/history`, { as: rep })).body.data;
    expect(history.at(-1)).toMatchObject({ fromStage: stages[0]!.id, toStage: target.id });
  });
});
