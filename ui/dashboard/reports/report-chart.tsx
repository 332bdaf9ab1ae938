// A report's chart: chart.js on a canvas, with only the pieces the reports use registered (bars,
// lines, two scales, tooltip, legend), so this chunk stays small. The canvas is described to
// screen readers in one sentence; the numbers themselves are in the card's table.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'react';
import { chartLabels, chartSeries, type ColumnKind, type ReportTable } from './report-tables.ts';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

const palette = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6'];

function tickFormat(kind: ColumnKind, currency: string | undefined) {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD', notation: 'compact', maximumFractionDigits: 1 });
  return (value: number | string) => {
    const n = Number(value);
    if (kind === 'money') return money.format(n);
    if (kind === 'percent') return `${n}%`;
    return n.toLocaleString('en-US');
  };
}

export function ReportChart({ table, title }: { table: ReportTable; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const series = chartSeries(table);
  const labels = chartLabels(table);
  const kind = series[0]?.kind ?? 'count';
  const spec = table.chart;
  useEffect(() => {
    if (!canvas.current || !spec) return;
    const format = tickFormat(kind, table.currency);
    const valueAxis = {
      beginAtZero: true,
      stacked: spec.stacked,
      max: kind === 'percent' ? 100 : kind === 'ratio' ? 1 : undefined,
      ticks: { callback: format },
      grid: { color: '#eef0f4' },
    };
    const categoryAxis = { stacked: spec.stacked, grid: { display: false } };
    const config: ChartConfiguration<'bar' | 'line'> = {
      type: spec.type,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: palette[i % palette.length],
          borderColor: palette[i % palette.length],
          borderRadius: 4,
          maxBarThickness: 36,
        })),
      },
      options: {
        indexAxis: spec.horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: series.length > 1, position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(spec.horizontal ? ctx.parsed.x ?? 0 : ctx.parsed.y ?? 0)}` } },
        },
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
    // The table is rebuilt from the query's data; its JSON is the chart's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify({ labels, series, spec, currency: table.currency })]);
  if (!spec) return null;
  const height = spec.horizontal ? Math.max(160, labels.length * 34 + 60) : 260;
  return (
    <div className="report-chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={`${title}: a chart of ${series.map((s) => s.label.toLowerCase()).join(', ')} by ${labels.length} ${labels.length === 1 ? 'row' : 'rows'}; the numbers are in the table.`} />
    </div>
  );
}
