// The deals of a contact or a company, each opening its deal page.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { call, useApi } from '../api.ts';
import { day, money } from '../format.ts';
import { keys } from '../queries.ts';
import { RiskBadge } from '../shell/risk-badge.tsx';
import { ErrorState, Skeleton } from '../shell/ui.tsx';

export function DealsOf({ query }: { query: { contactId?: string; companyId?: string } }) {
  const api = useApi();
  const deals = useQuery({ queryKey: [...keys.dealAll, 'of', query], queryFn: async () => (await call(api.GET('/deals', { params: { query: { ...query, limit: 50 } } }))).data });
  return (
    <section className="panel">
      <h3>Deals</h3>
      {deals.isPending ? <Skeleton lines={2} /> : deals.isError ? <ErrorState error={deals.error} /> : deals.data.length === 0 ? <p className="muted">No deals yet.</p> : (
        <ul className="plain-list deal-list">
          {deals.data.map((d) => (
            <li key={d.id}>
              <Link href={`/deals/${d.id}`} className="strong-link">{d.name}</Link>
              <span className="muted"> · {money(d.valueCents, d.currency)} · {d.stageInfo.name} · closes {day(d.expectedCloseDate)}</span>
              {d.risk && <> <RiskBadge risk={{ score: d.risk.score, band: d.risk.band, topReason: d.risk.reasons[0] ?? null }} /></>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
