// Daily time decay: silence and stalls grow with the calendar, not only with changes, so every open
// deal of each organization is rescored once a day (one job per organization), after its history
// is refreshed. Deals that change band get deal.risk_changed events, whose consumers notify once per
// transition. A second run the same day finds every open deal already scored since the day began
// and exits.
import { and, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { dealRisk, deals } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recomputeRisk, refreshOrgRiskStats } from './risk.service.ts';

/** Whether some open deal has no score, or one computed before `since`. */
async function staleScoresExist(s: Scope, since: Date): Promise<boolean> {
  const [row] = await s.db
    .select({ id: deals.id })
    .from(deals)
    .leftJoin(dealRisk, sql`${dealRisk.dealId} = ${deals.id}`)
    .where(and(isNull(deals.outcome), isNull(deals.deletedAt), or(isNull(dealRisk.computedAt), lt(dealRisk.computedAt, since))))
    .limit(1);
  return row !== undefined;
}

export const riskRecomputeJob = defineJob({
  name: 'risk-recompute',
  payload: OrgPayload.extend({ day: z.iso.date() }),
  cron: '15 3 * * *',
  cronPayload: (orgId, now) => ({ orgId, day: now.toISOString().slice(0, 10) }),
  async run(ctx, { day }) {
    return ctx.inOrg(async (s) => {
      if (!(await staleScoresExist(s, new Date(`${day}T00:00:00Z`)))) return 'nothing-to-do';
      // Closes since a long history's last refresh are folded in here (see refreshOrgRiskStatsIfStale).
      await refreshOrgRiskStats(s);
      const scores = await recomputeRisk(s, 'all-open');
      return { deals: scores.size };
    });
  },
});
