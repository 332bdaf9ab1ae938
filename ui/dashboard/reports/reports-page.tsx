// Reports: the filters (owner, team, date range, pipeline; kept in the URL) and, loaded as a chunk
// of its own with chart.js, the charts. Reps see only their own numbers (the API narrows every
// report to them), so they get no owner or team filter.
import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { today } from '../format.ts';
import { useMembers, usePipelines, useTeams } from '../queries.ts';
import { useSession } from '../session.tsx';
import { Button, PageHeader, Skeleton } from '../shell/ui.tsx';
import { filtersFromSearch, presetOf, presetRange, rangePresets, searchOfFilters, type ReportFilters } from './report-filters.ts';
import './reports.css';

const ReportsBody = lazy(() => import('./reports-body.tsx'));

function FilterBar({ filters, onChange }: { filters: ReportFilters; onChange: (f: ReportFilters) => void }) {
  const { seesTeam } = useSession();
  const members = useMembers();
  const teams = useTeams();
  const pipelines = usePipelines();
  const now = new Date();
  const preset = presetOf(filters, now);
  const set = (patch: Partial<ReportFilters>) => onChange(Object.fromEntries(Object.entries({ ...filters, ...patch }).filter(([, v]) => v)) as ReportFilters);
  const pipelineList = pipelines.data ?? [];
  return (
    <form className="report-filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
      {seesTeam && (
        <>
          <label className="report-filter">
            <span>Owner</span>
            <select value={filters.ownerId ?? ''} onChange={(e) => set({ ownerId: e.target.value || undefined })}>
              <option value="">Everyone</option>
              {(members.data ?? []).map((m) => (
                <option key={m.userId} value={m.userId}>{m.name}{m.deactivatedAt ? ' (deactivated)' : ''}</option>
              ))}
            </select>
          </label>
          <label className="report-filter">
            <span>Team</span>
            <select value={filters.teamId ?? ''} onChange={(e) => set({ teamId: e.target.value || undefined })}>
              <option value="">All teams</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>{t.name}</option>
              ))}
            </select>
          </label>
        </>
      )}
      {pipelineList.length > 1 && (
        <label className="report-filter">
          <span>Pipeline</span>
          <select value={filters.pipelineId ?? ''} onChange={(e) => set({ pipelineId: e.target.value || undefined })}>
            <option value="">Default pipeline</option>
            {pipelineList.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        </label>
      )}
      <label className="report-filter">
        <span>From</span>
        <input type="date" value={filters.from ?? ''} max={filters.to ?? today(now)} onChange={(e) => set({ from: e.target.value || undefined })} />
      </label>
      <label className="report-filter">
        <span>To</span>
        <input type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => set({ to: e.target.value || undefined })} />
      </label>
      <div className="segmented report-presets" role="group" aria-label="Date range">
        {rangePresets.map((p) => (
          <button key={p.id} type="button" aria-pressed={preset === p.id} onClick={() => set({ from: undefined, to: undefined, ...presetRange(p.id, now) })}>
            {p.label}
          </button>
        ))}
      </div>
      {(filters.ownerId || filters.teamId || filters.pipelineId) && (
        <Button kind="ghost" icon="close" onClick={() => onChange({ from: filters.from, to: filters.to })}>
          Clear owner and team
        </Button>
      )}
    </form>
  );
}

export function ReportsPage() {
  const { seesTeam, me } = useSession();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  return (
    <div className="page reports-page">
      <PageHeader
        title="Reports"
        subtitle={seesTeam ? (me.role === 'manager' ? 'Your team\'s pipeline, conversion, win rates, activity and forecast.' : 'The organization\'s pipeline, conversion, win rates, activity and forecast.') : 'Your own pipeline, conversion, win rates, activity and forecast.'}
      />
      <FilterBar filters={filters} onChange={(f) => setSearch(new URLSearchParams(searchOfFilters(f)), { replace: true })} />
      <Suspense fallback={<div className="report-grid"><div className="report-card"><Skeleton lines={6} height={18} /></div><div className="report-card"><Skeleton lines={6} height={18} /></div></div>}>
        <ReportsBody filters={filters} />
      </Suspense>
    </div>
  );
}
