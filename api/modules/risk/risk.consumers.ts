// What follows, for risk, from changes elsewhere: closed deals define what is normal (the org's
// history), and tracked opens and clicks are engagement. Neither needs to be in the change's own
// transaction: the deal's own score was already recomputed there (risk.service.ts dealsChanged).
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { recomputeRisk, refreshOrgRiskStatsIfStale } from './risk.service.ts';

/** A deal closed, reopened, or a closed one deleted or restored: the org's history changed. */
export const riskHistory: EventConsumer = {
  name: 'risk-history',
  types: ['deal.closed_won', 'deal.closed_lost', 'deal.reopened', 'deal.deleted', 'deal.restored'],
  async handle(s, event) {
    if (event.type === 'deal.deleted' && !(event.data as { outcome?: string | null }).outcome) return;
    if (event.type === 'deal.restored' && !(event.data as { deal?: { outcome?: string | null } }).deal?.outcome) return;
    await refreshOrgRiskStatsIfStale(s);
  },
};

/** Counted opens and clicks rescore the deals the tracked email belongs to. */
export const riskEngagement: EventConsumer = {
  name: 'risk-engagement',
  types: ['email.opened', 'email.clicked'],
  async handle(s, event) {
    const dealIds = (event.data as { dealIds?: string[] }).dealIds ?? [];
    if (dealIds.length) await recomputeRisk(s, { dealIds });
  },
};
