// Daily time decay: silence and stalls grow with the calendar, not only with changes, so every open
// deal of every organization is rescored once a day, after its org history is refreshed.
// recomputeRisk notifies a deal's owner and manager when it enters the high band, once per
// transition: a rerun (a retry, a second server) finds the band already stored and adds nothing.
import { organizations } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import { recomputeRisk, refreshOrgRiskStats } from './risk.service.ts';
import type { JobDefinition } from '../../platform/jobs/job.ts';

export const riskRecomputeJob: JobDefinition = {
  name: 'risk-recompute',
  cron: '15 3 * * *',
  async run({ db, log, now }) {
    const orgs = await db.select({ id: organizations.id }).from(organizations);
    let deals = 0;
    const failed: string[] = [];
    for (const { id: orgId } of orgs) {
      // One transaction per organization: one org's failure does not hold back the others.
      try {
        const scores = await withTenant(db, orgId, async (tx) => {
          // Closes since a long history's last refresh are folded in here (see refreshOrgRiskStatsIfStale).
          await refreshOrgRiskStats(tx, orgId, now);
          return recomputeRisk(tx, orgId, 'all-open', { now });
        });
        deals += scores.size;
      } catch (err) {
        failed.push(orgId);
        log.error('risk recompute failed for an organization', { orgId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    log.info('risk recomputed', { organizations: orgs.length, deals });
    // Failing the job makes pg-boss retry it; the organizations that succeeded just rescore again.
    if (failed.length) throw new Error(`risk recompute failed for ${failed.length} of ${orgs.length} organizations`);
  },
};
