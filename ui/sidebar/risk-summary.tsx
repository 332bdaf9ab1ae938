import type { DealRisk } from '../api-client/api-types.ts';

export interface RiskSummaryProps {
  risk: DealRisk;
  /** Emails of this thread are being logged: the score will be recomputed with them in a moment. */
  updating?: boolean;
}

/**
 * A deal's risk on the one 0–100 scale the API answers: the band and points on the badge; opened,
 * what to do first (the next action), then each warning sign with the points it adds. A low score
 * says what speaks for the deal, so the rep can see why it is low.
 */
export function RiskSummary({ risk, updating = false }: RiskSummaryProps) {
  const band = risk.band.toLowerCase();
  const showStrengths = risk.strengths.length > 0 && (band === 'low' || risk.reasons.length === 0);
  return (
    <details className="crm-risk">
      <summary>
        <span className={`crm-badge crm-risk-${band}`}>
          Risk {risk.score} · {band}
        </span>
        {updating && <span className="crm-muted crm-small"> updating…</span>}
      </summary>
      <p className="crm-next-action">
        <strong>Next:</strong> {risk.nextAction.sentence}
      </p>
      {risk.reasons.length > 0 && (
        <ul className="crm-reasons" aria-label="Why this score">
          {risk.reasons.map((r) => (
            <li key={r.code}>
              <span className="crm-points" aria-label={`${r.weight} points`}>+{r.weight}</span> {r.sentence}
            </li>
          ))}
        </ul>
      )}
      {showStrengths && (
        <>
          <p className="crm-muted crm-small">{risk.reasons.length ? 'Also going well:' : 'Low because:'}</p>
          <ul className="crm-reasons" aria-label="What speaks for this deal">
            {risk.strengths.map((s) => (
              <li key={s.code}>
                <span className="crm-points crm-good" aria-hidden="true">✓</span> {s.sentence}
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
