// /welcome/insights: the last onboarding step, the first insights from whatever came in: the
// pipeline by stage (every open deal, whatever its close date), the deals at risk with their
// reasons, and the forecast for this month and next. Opening it marks the step done.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import type { components } from '../../api-client/openapi.d.ts';
import { call, useApi } from '../api.ts';
import { count, money, month } from '../format.ts';
import { keys } from '../queries.ts';
import { useSession } from '../session.tsx';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '../shell/ui.tsx';
import { useOnboarding, useOnboardingActions } from './onboarding-queries.ts';
import './onboarding.css';

type PipelineReport = components['schemas']['PipelineByStageReport'];
type ForecastReport = components['schemas']['ForecastReport'];
const YEAR_MS = 365 * 86_400_000;

export function InsightsPage() {
  const api = useApi();
  const { isAdmin } = useSession();
  const onboarding = useOnboarding();
  const { patch } = useOnboardingActions();
  const marked = useRef(false);
  useEffect(() => {
    const step = onboarding.data?.steps.find((s) => s.id === 'insights');
    if (isAdmin && step?.status === 'todo' && !marked.current) {
      marked.current = true;
      patch.mutate({ steps: { insights: 'done' } });
    }
  }, [isAdmin, onboarding.data, patch]);

  // Open deals closing within a year either side of today: a new pipeline's, whatever its dates.
  const range = { from: new Date(Date.now() - YEAR_MS).toISOString(), to: new Date(Date.now() + YEAR_MS).toISOString() };
  const pipeline = useQuery({ queryKey: [...keys.reports, 'first-insights', 'pipeline'], queryFn: async () => (await call(api.GET('/reports/pipeline-by-stage', { params: { query: { scope: 'team', ...range } } }))) as PipelineReport });
  const atRisk = useQuery({ queryKey: [...keys.atRisk, 'first-insights'], queryFn: async () => (await call(api.GET('/deals/at-risk', { params: { query: { scope: 'team', minBand: 'medium', limit: 10 } } }))).data });
  const forecast = useQuery({ queryKey: [...keys.reports, 'first-insights', 'forecast'], queryFn: async () => (await call(api.GET('/reports/forecast', { params: { query: { scope: 'team' } } }))) as ForecastReport });
  const max = Math.max(1, ...(pipeline.data?.rows.map((r) => r.valueCents) ?? []));

  return (
    <div className="page insights-page">
      <p className="crumbs"><Link href="/welcome">Getting started</Link></p>
      <PageHeader title="Your first insights" subtitle={onboarding.data?.sampleData.loaded ? 'From the sample data: remove it on the getting-started page once your own data is in.' : 'From your data, as of now.'} actions={<Link href="/board" className="btn btn-primary">Open the pipeline</Link>} />
      <div className="home-grid">
        <div className="home-col">
          <section className="card-panel" aria-label="Pipeline by stage">
            <header><h2>Pipeline by stage</h2>{pipeline.data && <span className="muted">{count(pipeline.data.total.deals, 'open deal')} · {money(pipeline.data.total.valueCents, pipeline.data.currency)}</span>}</header>
            {pipeline.isPending ? <Skeleton lines={5} /> : pipeline.isError ? <ErrorState error={pipeline.error} retry={() => void pipeline.refetch()} /> : pipeline.data.total.deals === 0 ? (
              <EmptyState icon="board" title="No open deals yet">Bring data in (step 1) and the pipeline fills in here.</EmptyState>
            ) : (
              <table className="table compact pipeline-bars">
                <thead><tr><th scope="col">Stage</th><th scope="col" className="num">Deals</th><th scope="col">Value</th><th scope="col" className="num">Weighted</th></tr></thead>
                <tbody>
                  {pipeline.data.rows.map((r) => (
                    <tr key={r.stageId}>
                      <td>{r.stageName}</td>
                      <td className="num">{r.deals}</td>
                      <td className="nowrap"><span className="bar" style={{ width: `${Math.max(2, Math.round((r.valueCents / max) * 80))}px` }} aria-hidden="true" /> {money(r.valueCents, pipeline.data.currency)}</td>
                      <td className="num">{money(r.weightedValueCents, pipeline.data.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card-panel" aria-label="Forecast">
            <header><h2>Forecast</h2><Link href="/reports">Reports</Link></header>
            {forecast.isPending ? <Skeleton lines={3} /> : forecast.isError ? <ErrorState error={forecast.error} retry={() => void forecast.refetch()} /> : (
              <div className="stats">
                {forecast.data.months.map((m) => (
                  <div className="stat" key={m.month}>
                    <span className="stat-label">{month(m.month)}</span>
                    <strong>{money(m.weightedValueCents, forecast.data.currency)}</strong>
                    <span className="muted small"> weighted · {money(m.adjustedValueCents, forecast.data.currency)} risk-adjusted · {count(m.deals, 'deal')}</span>
                  </div>
                ))}
                {forecast.data.overdue.deals > 0 && <p className="small overdue">{count(forecast.data.overdue.deals, 'deal')} past their close date ({money(forecast.data.overdue.valueCents, forecast.data.currency)}).</p>}
              </div>
            )}
          </section>
        </div>
        <div className="home-col">
          <section className="card-panel" aria-label="Deals at risk">
            <header><h2>Deals at risk</h2><Link href="/board?risk=high&sort=risk">On the board</Link></header>
            {atRisk.isPending ? <Skeleton lines={5} /> : atRisk.isError ? <ErrorState error={atRisk.error} retry={() => void atRisk.refetch()} /> : atRisk.data.length === 0 ? (
              <EmptyState icon="check" title="No deal at risk">Every open deal is in the low band.</EmptyState>
            ) : (
              <ul className="risk-list">
                {atRisk.data.map((d) => (
                  <li key={d.id}>
                    <span className={`risk risk-${d.risk!.band}`}><span className="sr-only">Risk </span>{d.risk!.score}<span className="sr-only"> of 100</span></span>
                    <div>
                      <Link href={`/board?deal=${d.id}`} className="strong-link">{d.name}</Link>
                      <span className="muted"> · {money(d.valueCents, d.currency)} · {d.stageInfo.name}</span>
                      {d.risk!.reasons.slice(0, 2).map((r) => <div key={r.code} className="small">{r.sentence}</div>)}
                      <div className="small muted">Next: {d.risk!.nextAction.sentence}</div>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
