// The two scheduled parts of the engine, per organization on pg-boss: resuming runs whose wait is
// over or whose failed step is due again (every minute), and time triggers (every 15 minutes): deals
// that have sat N days in a stage, gone N days without a two-way activity, passed their close date,
// or have a date field N days away. Each occurrence starts a run once (its key is in the run's
// unique key), however often the job looks.
import { and, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Trigger } from '../../../core/automation/definition.ts';
import { timeTriggerOccurrence } from '../../../core/automation/time-triggers.ts';
import { deals } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import { activeWorkflowsFor, advanceRun, dueRunIds, startRun } from './engine.ts';
import { dealFacts } from './record-facts.ts';

const BATCH = 200;
const DAY_MS = 86_400_000;

export const workflowResumeJob = defineJob({
  name: 'workflow-resume',
  payload: OrgPayload,
  cron: '* * * * *',
  cronPayload: (orgId) => ({ orgId }),
  async run(ctx) {
    let resumed = 0;
    for (;;) {
      const ids = await ctx.inOrg((s) => dueRunIds(s, BATCH));
      // Each run in its own transaction: one run's trouble holds back no other.
      for (const id of ids) await ctx.inOrg((s) => advanceRun(s, id));
      resumed += ids.length;
      if (ids.length < BATCH) break;
    }
    return resumed === 0 ? 'nothing-to-do' : { resumed };
  },
});

type TimeTrigger = Extract<Trigger, { type: 'time' }>;

export const workflowTimeTriggersJob = defineJob({
  name: 'workflow-time-triggers',
  payload: OrgPayload,
  cron: '*/15 * * * *',
  cronPayload: (orgId) => ({ orgId }),
  async run(ctx) {
    const active = await ctx.inOrg((s) => activeWorkflowsFor(s, ['time']));
    let started = 0;
    for (const wf of active) {
      const trigger = wf.definition.trigger as TimeTrigger;
      started += await ctx.inOrg(async (s) => {
        // A coarse filter in SQL (open deals that could qualify); the exact test is the pure one.
        const cutoff = new Date(ctx.now.getTime() - trigger.days * DAY_MS);
        const narrow =
          trigger.when === 'days_in_stage' ? lte(deals.stageChangedAt, cutoff)
          : trigger.when === 'close_date_passed' ? lte(deals.expectedCloseDate, cutoff.toISOString().slice(0, 10))
          : trigger.when === 'date_field_in' && trigger.field === 'expectedCloseDate' ? isNotNull(deals.expectedCloseDate)
          : trigger.when === 'no_two_way_activity' ? lte(deals.createdAt, cutoff)
          : undefined;
        const candidates = await s.db.select({ id: deals.id }).from(deals).where(and(isNull(deals.deletedAt), isNull(deals.outcome), narrow)).orderBy(sql`${deals.createdAt}`).limit(5000);
        let n = 0;
        for (let i = 0; i < candidates.length; i += BATCH) {
          const facts = await dealFacts(s, candidates.slice(i, i + BATCH).map((c) => c.id));
          for (const [dealId, f] of facts) {
            const occurrence = timeTriggerOccurrence(trigger, f as never, ctx.now);
            if (!occurrence) continue;
            const run = await startRun(
              s,
              { workflowId: wf.id, versionId: wf.versionId, version: wf.version, name: wf.name, definition: wf.definition, triggerKey: `time:${dealId}:${occurrence}`, eventId: null, eventType: `time.${trigger.when}`, recordId: dealId, origin: null },
              f,
            );
            if (run) n++;
          }
        }
        return n;
      });
    }
    return started === 0 ? 'nothing-to-do' : { started };
  },
});
