// The baseline the backtest compares our score with: a rule list of the kind common in revenue
// tools, implemented exactly as issue 5 words it. Where the wording is open, the reading is:
// - "in negotiation" / "in discovery": the stage name contains that word, ignoring case.
// - "an email sent" / "an email received": an outbound / inbound email in the last 5 days, the
//   same window as "received within 5 days". A meeting counts within the last 7 days.
// - "within N days": now - occurredAt <= N days; activities after `now` do not count.
// - "nothing happened for more than 7 days": no activity of any type (notes and tasks included)
//   for more than 7 days; a deal without activities counts from its creation.
// - "a negotiation has had no email either way for 5 days": in negotiation and no email of either
//   direction in the last 5 days, however long the deal has been in negotiation.
// - "value above 5,000": above 5,000 in major units of the deal's currency (valueCents > 500,000).
// - The rules are summed first and the sum clamped to 0..1; bands include their lower bound:
//   >= 0.6 high, >= 0.4 medium, else low. Closed deals are not scored (null), as with scoreDeal.
import { bandOf } from './score.ts';
import { DAY_MS, isClosedStage, type RiskBand, type RiskInput } from './types.ts';

export type BaselineRule =
  | 'negotiation_start'
  | 'discovery_start'
  | 'email_sent'
  | 'email_received'
  | 'meeting_held'
  | 'nothing_happened'
  | 'negotiation_without_email'
  | 'value_over_5000';

export interface BaselineScore {
  score: number;
  band: RiskBand;
  /** The rules that applied, in the order above. */
  rules: BaselineRule[];
}

export const baselineBands = { medium: 0.4, high: 0.6 } as const;

const ruleEffect: Record<BaselineRule, number> = {
  negotiation_start: 0.3,
  discovery_start: 0.1,
  email_sent: -0.2,
  email_received: -0.3,
  meeting_held: -0.4,
  nothing_happened: 0.4,
  negotiation_without_email: 0.4,
  value_over_5000: 0.2,
};

export function baselineScore(input: RiskInput, now: Date): BaselineScore | null {
  const { deal } = input;
  if (isClosedStage(deal.stage)) return null;
  const t = now.getTime();
  const past = input.activities.filter((a) => a.occurredAt.getTime() <= t);
  const within = (days: number, test: (a: (typeof past)[number]) => boolean) =>
    past.some((a) => t - a.occurredAt.getTime() <= days * DAY_MS && test(a));

  const stageName = deal.stage.name.toLowerCase();
  const negotiation = stageName.includes('negotiation');
  const lastActivity = past.reduce((last, a) => Math.max(last, a.occurredAt.getTime()), deal.createdAt.getTime());

  const rules: BaselineRule[] = [];
  if (negotiation) rules.push('negotiation_start');
  else if (stageName.includes('discovery')) rules.push('discovery_start');
  if (within(5, (a) => a.type === 'email' && a.direction === 'outbound')) rules.push('email_sent');
  if (within(5, (a) => a.type === 'email' && a.direction === 'inbound')) rules.push('email_received');
  if (within(7, (a) => a.type === 'meeting')) rules.push('meeting_held');
  if (t - lastActivity > 7 * DAY_MS) rules.push('nothing_happened');
  if (negotiation && !within(5, (a) => a.type === 'email')) rules.push('negotiation_without_email');
  if (deal.valueCents > 500_000) rules.push('value_over_5000');

  const raw = rules.reduce((total, rule) => total + ruleEffect[rule], 0);
  // Rounding first keeps 0.3 - 0.2 from landing a hair under a band boundary.
  const score = Math.min(1, Math.max(0, Math.round(raw * 1000) / 1000));
  return { score, band: bandOf(score, baselineBands), rules };
}
