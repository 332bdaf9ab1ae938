// The board's filters and view live in the URL, so a filtered board (and the deal open over it) can
// be bookmarked and shared: one parameter per filter, money in whole units of the currency.
import type { DealFilters } from '../../../core/schemas/deal-filters.ts';
import type { CardSort } from './board-model.ts';

export interface BoardView {
  pipelineId?: string;
  filters: DealFilters;
  view: 'board' | 'table';
  sort: CardSort;
  /** The table's sort: a column and direction. */
  tableSort: { column: TableColumn; direction: 'asc' | 'desc' };
  /** The deal open in the drawer. */
  dealId?: string;
}

export const tableColumns = ['name', 'company', 'value', 'stage', 'probability', 'owner', 'close', 'risk', 'age', 'source'] as const;
export type TableColumn = (typeof tableColumns)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const sorts: CardSort[] = ['close', 'value', 'risk', 'age', 'name'];

const uuid = (v: string | null) => (v && UUID.test(v) ? v : undefined);
const dayOf = (v: string | null) => (v && DAY.test(v) ? v : undefined);
function int(v: string | null, min: number, max: number) {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}
/** Whole units (dollars) in the URL; cents in the API. */
function money(v: string | null) {
  const n = int(v, 0, 1e13);
  return n === undefined ? undefined : n * 100;
}

/** Reads the view from the URL's query; anything malformed is ignored rather than refused. */
export function readBoardView(params: URLSearchParams): BoardView {
  const risk = params.get('risk');
  const filters: DealFilters = {
    q: params.get('q')?.slice(0, 200) || undefined,
    ownerId: uuid(params.get('owner')),
    teamId: uuid(params.get('team')),
    stage: uuid(params.get('stage')),
    minProbability: int(params.get('pmin'), 0, 100),
    maxProbability: int(params.get('pmax'), 0, 100),
    minValueCents: money(params.get('vmin')),
    maxValueCents: money(params.get('vmax')),
    closeFrom: dayOf(params.get('from')),
    closeTo: dayOf(params.get('to')),
    risk: risk === 'low' || risk === 'medium' || risk === 'high' ? risk : undefined,
    source: params.get('source')?.slice(0, 100) || undefined,
  };
  const column = params.get('col') as TableColumn | null;
  return {
    pipelineId: uuid(params.get('pipeline')),
    filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as DealFilters,
    view: params.get('view') === 'table' ? 'table' : 'board',
    sort: sorts.includes(params.get('sort') as CardSort) ? (params.get('sort') as CardSort) : 'close',
    tableSort: { column: column && tableColumns.includes(column) ? column : 'close', direction: params.get('dir') === 'desc' ? 'desc' : 'asc' },
    dealId: uuid(params.get('deal')),
  };
}

/** The URL query of a view; defaults are left out so shared links stay short. */
export function writeBoardView(view: BoardView): URLSearchParams {
  const p = new URLSearchParams();
  const f = view.filters;
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') p.set(key, String(value));
  };
  set('pipeline', view.pipelineId);
  set('view', view.view === 'table' ? 'table' : undefined);
  set('q', f.q);
  set('owner', f.ownerId);
  set('team', f.teamId);
  set('stage', f.stage);
  set('pmin', f.minProbability);
  set('pmax', f.maxProbability);
  set('vmin', f.minValueCents === undefined ? undefined : Math.round(f.minValueCents / 100));
  set('vmax', f.maxValueCents === undefined ? undefined : Math.round(f.maxValueCents / 100));
  set('from', f.closeFrom);
  set('to', f.closeTo);
  set('risk', f.risk);
  set('source', f.source);
  set('sort', view.sort === 'close' ? undefined : view.sort);
  if (view.view === 'table' && (view.tableSort.column !== 'close' || view.tableSort.direction !== 'asc')) {
    set('col', view.tableSort.column);
    set('dir', view.tableSort.direction);
  }
  set('deal', view.dealId);
  return p;
}

/** The filters as the API's query parameters (the board, the table and the CSV export). */
export const filtersQuery = (view: BoardView) => ({ ...(view.pipelineId ? { pipelineId: view.pipelineId } : {}), ...view.filters });
