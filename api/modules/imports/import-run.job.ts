// Runs the organization's queued imports, oldest first, until none waits (a start queues this job;
// pg-boss keeps one queued and one running per organization, so an import started while another
// runs is taken by the same or the next run). An import is never retried automatically: a run that
// failed midway is marked failed with what it wrote kept, for the person to undo or start again.
import { systemActor } from '../../../core/roles.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import { inTenant } from '../../platform/tenancy/scope.ts';
import { claimQueuedImport, runImport } from './imports.service.ts';

export const IMPORT_RUN_JOB = 'import-run';

export const importRunJob = defineJob({
  name: IMPORT_RUN_JOB,
  payload: OrgPayload,
  retry: { limit: 0, delaySeconds: 60 },
  async run(ctx, payload) {
    let imported = 0;
    let rows = 0;
    for (;;) {
      const claimed = await ctx.inOrg((s) => claimQueuedImport(s));
      if (!claimed) break;
      // One transaction per stored chunk (progress shows between them), all at the run's time.
      const inOrg = <T>(work: (s: Parameters<Parameters<typeof ctx.inOrg>[0]>[0]) => Promise<T>) => inTenant(ctx.db, () => ctx.now, systemActor(payload.orgId), work);
      const done = await runImport(inOrg, claimed);
      imported++;
      rows += done.rowsDone;
    }
    return imported === 0 ? 'nothing-to-do' : { imports: imported, rows };
  },
});
