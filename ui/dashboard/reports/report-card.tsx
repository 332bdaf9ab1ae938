// One report on the page: its chart, the same numbers as a table (one click away, and always for a
// screen reader through the toggle), and the CSV of exactly those numbers.
import { useId, useState, type ReactNode } from 'react';
import { download } from '../api.ts';
import { money, percent } from '../format.ts';
import { Button, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import { ReportChart } from './report-chart.tsx';
import { headerOf, tableCsv, type Cell, type Column, type ReportTable } from './report-tables.ts';

function display(column: Column, value: Cell, currency?: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  switch (column.kind) {
    case 'money':
      return money(value, currency);
    case 'percent':
      return percent(value, 1);
    case 'days':
      return `${(Math.round(value * 10) / 10).toLocaleString('en-US')} d`;
    case 'ratio':
      return value.toFixed(3);
    default:
      return value.toLocaleString('en-US');
  }
}

/** Nothing to draw: no rows, or every figure zero or missing. */
export const isEmptyTable = (t: ReportTable) =>
  t.rows.length === 0 || t.rows.every((r) => t.columns.every((c) => c.kind === 'text' || r[c.key] === null || r[c.key] === 0));

export function ReportTableView({ table, caption }: { table: ReportTable; caption: string }) {
  return (
    <div className="report-table-wrap">
      <table className="report-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className={c.kind === 'text' ? undefined : 'num'}>
                {c.kind === 'money' || c.kind === 'percent' ? headerOf(c, table.currency).replace(/ \((%|[A-Z]{3})\)$/, '') : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {table.columns.map((c, j) =>
                j === 0 ? (
                  <th key={c.key} scope="row">{display(c, row[c.key] ?? null, table.currency)}</th>
                ) : (
                  <td key={c.key} className={c.kind === 'text' ? undefined : 'num'}>{display(c, row[c.key] ?? null, table.currency)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ReportCardProps {
  id: string;
  title: string;
  /** What the numbers are, and what the date range selects for this report. */
  description: ReactNode;
  table: ReportTable | undefined;
  isLoading: boolean;
  error: unknown;
  retry: () => void;
  /** For the CSV's file name. */
  fileName: string;
  emptyText: string;
  /** Shown above the chart (key figures). */
  summary?: ReactNode;
  wide?: boolean;
}

export function ReportCard({ id, title, description, table, isLoading, error, retry, fileName, emptyText, summary, wide }: ReportCardProps) {
  const titleId = useId();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  // The key figures count as the picture of a report without a chart (sales velocity).
  const hasChart = !!table?.chart || !!summary;
  const showTable = view === 'table' || !hasChart;
  const empty = table ? isEmptyTable(table) : false;
  return (
    <section className={`report-card${wide ? ' report-card-wide' : ''}`} aria-labelledby={titleId} id={id} data-report={id}>
      <header className="report-card-header">
        <div>
          <h2 id={titleId}>{title}</h2>
          <p className="report-card-desc">{description}</p>
        </div>
        <div className="report-card-actions">
          {hasChart && (
            <div className="segmented" role="group" aria-label={`${title}: show as`}>
              <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>Chart</button>
              <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>Table</button>
            </div>
          )}
          <Button kind="ghost" icon="download" disabled={!table} aria-label={`Download ${title} as CSV`} onClick={() => table && download(tableCsv(table), `${fileName}.csv`)}>
            CSV
          </Button>
        </div>
      </header>
      {isLoading ? (
        <Skeleton lines={5} height={18} />
      ) : error ? (
        <ErrorState error={error} retry={retry} title={`${title} could not be loaded`} />
      ) : table ? (
        empty ? (
          <EmptyState title="Nothing to show yet" icon="reports">{emptyText}</EmptyState>
        ) : showTable ? (
          <ReportTableView table={table} caption={title} />
        ) : (
          <>
            {summary}
            <ReportChart table={table} title={title} />
          </>
        )
      ) : null}
    </section>
  );
}
