import type { Pipeline, SidebarDeal } from '../api-client/api-types.ts';
import { DealEdit } from './deal-edit.tsx';
import { formatDate, formatMoney, localDateInput } from './format.ts';
import { RiskSummary } from './risk-summary.tsx';
import { StageStrip, type StageMove } from './stage-strip.tsx';

export interface DealCardProps {
  deal: SidebarDeal;
  stages: Pipeline['stages'];
  locale: string;
  now: Date;
  /** The rep's address: their own deals say "you". */
  userEmail: string;
  pending?: boolean;
  /** The thread's emails are being logged: the risk shown is about to be recomputed. */
  riskUpdating?: boolean;
  onMove: (stage: StageMove) => void;
  onEdit: (patch: { valueCents?: number; expectedCloseDate?: string | null }) => void;
}

/** An open deal whose expected close date is before today (the rep's calendar day). */
export const closeDatePassed = (deal: Pick<SidebarDeal, 'expectedCloseDate' | 'outcome'>, now: Date) =>
  !deal.outcome && !!deal.expectedCloseDate && deal.expectedCloseDate < localDateInput(now);

export function DealCard({ deal, stages, locale, now, userEmail, pending = false, riskUpdating = false, onMove, onEdit }: DealCardProps) {
  const overdue = closeDatePassed(deal, now);
  const owner = deal.owner ? (deal.owner.email.toLowerCase() === userEmail.toLowerCase() ? 'you' : deal.owner.name) : null;
  return (
    <article className="crm-card" aria-label={`Deal ${deal.name}`}>
      <header>
        <h3>{deal.name}</h3>
        {pending && <span className="crm-badge crm-pending">Pending</span>}
      </header>
      <p className="crm-facts">
        <span>{formatMoney(deal.valueCents, deal.currency, locale)}</span>
        {' · '}
        {deal.expectedCloseDate ? (
          <span className={overdue ? 'crm-overdue' : undefined}>
            {overdue ? `Overdue: was to close ${formatDate(deal.expectedCloseDate, locale)}` : `Closes ${formatDate(deal.expectedCloseDate, locale)}`}
          </span>
        ) : (
          <span className="crm-muted">No close date</span>
        )}
      </p>
      <p className="crm-muted crm-small">{owner ? `Owner: ${owner}` : 'No owner'}</p>
      {deal.risk && <RiskSummary risk={deal.risk} updating={riskUpdating} />}
      <StageStrip deal={deal} stages={stages} onMove={onMove}>
        <DealEdit deal={deal} locale={locale} now={now} onSave={onEdit} />
      </StageStrip>
    </article>
  );
}
