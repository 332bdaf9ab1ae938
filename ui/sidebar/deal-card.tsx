import type { DealRisk, Pipeline, SidebarDeal } from '../api-client/api-types.ts';
import { DealEdit } from './deal-edit.tsx';
import { formatDate, formatMoney } from './format.ts';
import { StageSelect } from './stage-select.tsx';

export interface DealCardProps {
  deal: SidebarDeal;
  stages: Pipeline['stages'];
  locale: string;
  pending?: boolean;
  onMove: (stage: { id: string; name: string }) => void;
  onEdit: (patch: { valueCents?: number; expectedCloseDate?: string | null }) => void;
}

function RiskBadge({ risk }: { risk: DealRisk }) {
  const band = risk.band.toLowerCase();
  return (
    <details>
      <summary>
        <span className={`crm-badge crm-risk-${band}`}>Risk: {band} ({Math.round(risk.score * 100)})</span>
      </summary>
      <ul>
        {risk.reasons.map((r) => (
          <li key={r.code}>{r.sentence}</li>
        ))}
      </ul>
    </details>
  );
}

export function DealCard({ deal, stages, locale, pending = false, onMove, onEdit }: DealCardProps) {
  return (
    <article className="crm-card" aria-label={`Deal ${deal.name}`}>
      <header>
        <h3>{deal.name}</h3>
        {pending && <span className="crm-badge crm-pending">Pending</span>}
      </header>
      <p>
        <span>{formatMoney(deal.valueCents, deal.currency, locale)}</span>
        {' · '}
        <span>Stage: {deal.stageInfo.name}</span>
      </p>
      <p className="crm-muted">{deal.expectedCloseDate ? `Closes ${formatDate(deal.expectedCloseDate, locale)}` : 'No close date'}</p>
      {deal.risk && <RiskBadge risk={deal.risk} />}
      <StageSelect key={deal.stage} deal={deal} stages={stages} onMove={onMove} />
      <div className="crm-row">
        <DealEdit deal={deal} onSave={onEdit} />
      </div>
    </article>
  );
}
