// The scheduled CRM sync: every minute each organization's job looks at its connections and runs
// those that are due (a "sync now" queued by an admin, or the interval since the last run passed;
// default 10 minutes, `settings.syncIntervalMinutes`). pg-boss keeps one job per organization at a
// time; the run itself keeps one run per connection (sync-run.ts).
import { and, desc, eq, inArray } from 'drizzle-orm';
import { crmConnections, crmSyncRuns } from '../../../db/schema/index.ts';
import type { CrmDeps } from '../../integrations/crm-deps.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { runConnectionSync } from './sync-run.ts';

export const DEFAULT_SYNC_INTERVAL_MINUTES = 10;

/** The connections due now: their queued run, or a new run when the interval has passed. */
export async function dueConnections(s: Scope): Promise<{ connectionId: string; runId?: string }[]> {
  const connections = await s.db.select().from(crmConnections).where(eq(crmConnections.status, 'active'));
  const due: { connectionId: string; runId?: string }[] = [];
  for (const c of connections) {
    const [queued] = await s.db.select({ id: crmSyncRuns.id }).from(crmSyncRuns).where(and(eq(crmSyncRuns.connectionId, c.id), inArray(crmSyncRuns.status, ['queued'])));
    if (queued) {
      due.push({ connectionId: c.id, runId: queued.id });
      continue;
    }
    const [last] = await s.db.select({ startedAt: crmSyncRuns.startedAt }).from(crmSyncRuns).where(and(eq(crmSyncRuns.connectionId, c.id), inArray(crmSyncRuns.kind, ['initial', 'incremental']))).orderBy(desc(crmSyncRuns.startedAt)).limit(1);
    const minutes = Number(c.settings.syncIntervalMinutes ?? DEFAULT_SYNC_INTERVAL_MINUTES);
    if (!last || s.now().getTime() - last.startedAt.getTime() >= minutes * 60_000) due.push({ connectionId: c.id });
  }
  return due;
}

export const crmSyncJob = (crm: CrmDeps) =>
  defineJob({
    name: 'crm-sync',
    payload: OrgPayload,
    cron: '* * * * *',
    cronPayload: (orgId) => ({ orgId }),
    // A failed run leaves its checkpoints; the next minute's job resumes, so pg-boss need not retry.
    retry: { limit: 0, delaySeconds: 60 },
    async run(ctx, { orgId }) {
      const due = await ctx.inOrg(dueConnections);
      if (due.length === 0) return 'nothing-to-do';
      const outcome: Record<string, string | number> = {};
      for (const { connectionId, runId } of due) {
        const result = await runConnectionSync({ db: ctx.db, clock: () => new Date(), crm }, orgId, connectionId, { runId });
        outcome[connectionId] = result ? `${result.kind} ${result.status}: ${result.counts.created} created, ${result.counts.updated} updated, ${result.counts.conflicts} conflicts` : 'skipped (another run is active or the connection is not active)';
      }
      return outcome;
    },
  });
