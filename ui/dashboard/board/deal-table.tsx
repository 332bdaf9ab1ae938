// The same deals as the board, as a table: sortable columns (the sort is in the URL), selection for
// bulk actions, each name opening the deal. Sorting is here, in the browser: the board's answer is
// already every deal the filters match.
import { useMemo } from 'react';
import { Link } from 'wouter';
import { daysInStage } from '../../../core/deals/stage-age.ts';
import { day, money } from '../format.ts';
import { RiskBadge } from '../shell/risk-badge.tsx';
import type { BoardDeal, Stage } from '../types.ts';
import type { TableColumn } from './board-filters.ts';

type Sort = { column: TableColumn; direction: 'asc' | 'desc' };

const headings: Record<TableColumn, string> = {
  name: 'Deal', company: 'Company', value: 'Value', stage: 'Stage', probability: 'Prob.', owner: 'Owner', close: 'Close date', risk: 'Risk', age: 'Days in stage', source: 'Source',
};

export function sortTable(deals: readonly BoardDeal[], sort: Sort, stagePosition: (id: string) => number, now: Date): BoardDeal[] {
  const key: Record<TableColumn, (d: BoardDeal) => string | number | null> = {
    name: (d) => d.name.toLowerCase(),
    company: (d) => d.companyName?.toLowerCase() ?? null,
    value: (d) => d.valueCents,
    stage: (d) => stagePosition(d.stage),
    probability: (d) => d.probability,
    owner: (d) => d.ownerName?.toLowerCase() ?? null,
    close: (d) => d.expectedCloseDate,
    risk: (d) => d.risk?.score ?? null,
    age: (d) => daysInStage(d.stageChangedAt, now),
    source: (d) => d.source?.toLowerCase() ?? null,
  };
  const get = key[sort.column];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...deals].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    // Empty cells last, whichever the direction.
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c * sign || a.name.localeCompare(b.name);
  });
}

export function DealTable({ deals, stages, sort, onSort, selected, onToggleSelect, onSelectAll, dealHref }: {
  deals: BoardDeal[];
  stages: Stage[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: ReadonlySet<string>;
  onToggleSelect: (id: string) => void;
  onSelectAll: (ids: string[]) => void;
  dealHref: (id: string) => string;
}) {
  const now = useMemo(() => new Date(), [deals]);
  const stageById = useMemo(() => new Map(stages.map((s) => [s.id, s])), [stages]);
  const rows = useMemo(() => sortTable(deals, sort, (id) => stageById.get(id)?.position ?? 0, now), [deals, sort, stageById, now]);
  const allSelected = rows.length > 0 && rows.every((d) => selected.has(d.id));
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <input type="checkbox" aria-label="Select all deals" checked={allSelected} onChange={() => onSelectAll(allSelected ? [] : rows.map((d) => d.id))} />
            </th>
            {(Object.keys(headings) as TableColumn[]).map((column) => {
              const active = sort.column === column;
              return (
                <th key={column} scope="col" aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={['value', 'probability', 'risk', 'age'].includes(column) ? 'num' : undefined}>
                  <button type="button" className="th-sort" onClick={() => onSort({ column, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' })}>
                    {headings[column]}
                    <span aria-hidden="true" className="sort-mark">{active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} className={selected.has(d.id) ? 'selected' : undefined} data-deal-id={d.id}>
              <td className="col-select"><input type="checkbox" aria-label={`Select ${d.name}`} checked={selected.has(d.id)} onChange={() => onToggleSelect(d.id)} /></td>
              <td><Link href={dealHref(d.id)} className="strong-link">{d.name}</Link></td>
              <td>{d.companyName ?? <span className="muted">—</span>}</td>
              <td className="num">{money(d.valueCents, d.currency)}</td>
              <td>{stageById.get(d.stage)?.name ?? '—'}</td>
              <td className="num">{d.probability}%</td>
              <td>{d.ownerName ?? <span className="muted">Unassigned</span>}</td>
              <td>{day(d.expectedCloseDate, now)}</td>
              <td className="num">{d.risk ? <RiskBadge risk={d.risk} /> : <span className="muted">—</span>}</td>
              <td className="num">{d.outcome === null ? daysInStage(d.stageChangedAt, now) : <span className="muted">{d.outcome}</span>}</td>
              <td>{d.source ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
