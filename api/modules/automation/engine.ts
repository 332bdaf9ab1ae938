// The workflow engine: starting runs (from an event or a time occurrence) and advancing them step
// by step. A run is unique per (version, trigger key), so an event delivered again, replayed, or a
// job retried never starts a second one. Each step commits with the run's cursor (next_step) in the
// same transaction as the action's own writes; a failing step is rolled back to a savepoint, logged
// with its error, and retried later with back-off from the step that failed (the resume job).
import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { evaluateConditions } from '../../../core/automation/conditions.ts';
import { recordKindOfTrigger, type WorkflowDefinition } from '../../../core/automation/definition.ts';
import { decideStart, retryPlan, waitUntil, type AutomationOrigin } from '../../../core/automation/execution.ts';
import type { AutomationRecordKind, Facts } from '../../../core/automation/fields.ts';
import { workflowRuns, workflowRunSteps, workflows, workflowVersions } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { performAction } from './actions.ts';
import { loadFacts } from './record-facts.ts';

type RunRow = typeof workflowRuns.$inferSelect;

export interface RunStart {
  workflowId: string;
  versionId: string;
  version: number;
  name: string;
  definition: WorkflowDefinition;
  triggerKey: string;
  eventId: string | null;
  eventType: string;
  recordId: string;
  origin: AutomationOrigin | null;
}

const HOUR_MS = 3_600_000;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** The active workflows listening to these trigger keys, with their current version. */
export async function activeWorkflowsFor(s: Scope, triggerKeys: string[]) {
  if (triggerKeys.length === 0) return [];
  return s.db
    .select({ id: workflows.id, name: workflows.name, versionId: workflowVersions.id, version: workflowVersions.version, definition: workflowVersions.definition })
    .from(workflows)
    .innerJoin(workflowVersions, eq(workflowVersions.id, workflows.currentVersionId))
    .where(and(eq(workflows.state, 'active'), inArray(workflows.triggerKey, triggerKeys)));
}

/**
 * Starts a run when the record meets the conditions and loop protection allows it; records a
 * skipped run (with the reason) when loop protection refuses. Returns the run, or null when the
 * conditions did not hold or this (version, trigger) already has a run.
 */
export async function startRun(s: Scope, start: RunStart, facts?: Facts | null): Promise<RunRow | null> {
  const kind = recordKindOfTrigger(start.definition.trigger);
  const recordFacts = facts === undefined ? await loadFacts(s, kind, start.recordId, start.eventId) : facts;
  if (!recordFacts) return null;
  if (!evaluateConditions(start.definition.conditions, recordFacts, s.now()).matched) return null;
  const [{ n }] = (await s.db
    .select({ n: sql<number>`count(*)::int` })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.workflowId, start.workflowId), eq(workflowRuns.recordId, start.recordId), gte(workflowRuns.createdAt, new Date(s.now().getTime() - HOUR_MS)), sql`${workflowRuns.status} <> 'skipped'`))) as [{ n: number }];
  const decision = decideStart({ workflowId: start.workflowId, origin: start.origin, runsForRecordLastHour: n });
  const [run] = await s.db
    .insert(workflowRuns)
    .values({
      orgId: s.orgId, workflowId: start.workflowId, versionId: start.versionId, triggerKey: start.triggerKey, eventId: start.eventId, eventType: start.eventType,
      recordType: kind, recordId: start.recordId, status: decision.start ? 'running' : 'skipped', depth: decision.start ? decision.depth : (start.origin?.depth ?? 0) + 1,
      reason: decision.start ? null : decision.reason, createdAt: s.now(), updatedAt: s.now(), finishedAt: decision.start ? null : s.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!run || run.status === 'skipped') return run ?? null;
  // The steps read the record afresh: another workflow's run on the same event may have changed it.
  return advanceRun(s, run.id, { definition: start.definition, workflow: { id: start.workflowId, name: start.name, version: start.version } });
}

/** The scope actions run in: the same transaction, with every event stamped as this run's doing. */
function actingScope(s: Scope, run: RunRow): Scope {
  const origin: AutomationOrigin = { workflowId: run.workflowId, runId: run.id, depth: run.depth };
  return { ...s, emit: (...events) => s.emit(...events.map((e) => ({ ...e, data: { ...(e.data ?? {}), automation: origin } }))) };
}

async function savepoint(s: Scope, verb: 'savepoint' | 'release savepoint' | 'rollback to savepoint') {
  await s.db.execute(sql.raw(`${verb} workflow_step`));
}

/**
 * Performs the run's remaining actions from `next_step`, until it waits, fails, stops or is done.
 * The run row is locked (skipping one another worker holds), so two workers never act on it at once.
 */
export async function advanceRun(
  s: Scope,
  runId: string,
  known?: { definition: WorkflowDefinition; workflow: { id: string; name: string; version: number } },
): Promise<RunRow | null> {
  const [locked] = await s.db.select().from(workflowRuns).where(eq(workflowRuns.id, runId)).for('update', { skipLocked: true });
  if (!locked || !['running', 'waiting', 'retrying'].includes(locked.status)) return locked ?? null;
  let run: RunRow = locked;
  let definition = known?.definition;
  let workflow = known?.workflow;
  if (!definition || !workflow) {
    const [v] = await s.db
      .select({ definition: workflowVersions.definition, version: workflowVersions.version, name: workflows.name })
      .from(workflowVersions)
      .innerJoin(workflows, eq(workflows.id, workflowVersions.workflowId))
      .where(eq(workflowVersions.id, run.versionId));
    if (!v) return run;
    definition = v.definition;
    workflow = { id: run.workflowId, name: v.name, version: v.version };
  }
  const kind = run.recordType as AutomationRecordKind;
  let facts: Facts | null = null;
  const acting = actingScope(s, run);
  const update = async (set: Partial<RunRow>) => {
    const [next] = await s.db.update(workflowRuns).set({ ...set, updatedAt: s.now() }).where(eq(workflowRuns.id, run.id)).returning();
    run = next!;
  };
  // Every attempt of a step is one log row, numbered on from earlier ones (a replay's included).
  const logStep = async (index: number, status: 'completed' | 'failed' | 'stopped', input: Record<string, unknown>, result: Record<string, unknown> | null, error: string | null) => {
    const [{ last }] = (await s.db
      .select({ last: sql<number>`coalesce(max(${workflowRunSteps.attempt}), 0)::int` })
      .from(workflowRunSteps)
      .where(and(eq(workflowRunSteps.runId, run.id), eq(workflowRunSteps.stepIndex, index)))) as [{ last: number }];
    await s.db.insert(workflowRunSteps).values({ orgId: s.orgId, runId: run.id, stepIndex: index, actionType: definition.actions[index]!.type, attempt: last + 1, status, input, result, error, at: s.now() });
  };

  if (run.status !== 'running') await update({ status: 'running', resumeAt: null });
  while (run.nextStep < definition.actions.length) {
    const index = run.nextStep;
    const action = definition.actions[index]!;
    facts ??= await loadFacts(s, kind, run.recordId, run.eventId);
    if (!facts) {
      await logStep(index, 'stopped', action, null, 'The record no longer exists');
      await update({ status: 'stopped', reason: 'The record was deleted before this step', finishedAt: s.now() });
      return run;
    }
    if (action.type === 'wait') {
      const until = waitUntil(action, s.now());
      await logStep(index, 'completed', action, { waitUntil: until.toISOString() }, null);
      await update({ status: 'waiting', resumeAt: until, nextStep: index + 1, attempts: 0 });
      return run;
    }
    if (action.type === 'stop_unless') {
      const outcome = evaluateConditions(action.conditions, facts, s.now());
      if (!outcome.matched) {
        await logStep(index, 'stopped', action, { explanation: outcome.explanation }, null);
        await update({ status: 'stopped', reason: `Stopped at step ${index + 1}: the conditions no longer hold (${outcome.explanation.join('; ')})`, nextStep: index + 1, finishedAt: s.now() });
        return run;
      }
      await logStep(index, 'completed', action, { explanation: outcome.explanation }, null);
      await update({ nextStep: index + 1, attempts: 0 });
      continue;
    }
    await savepoint(s, 'savepoint');
    try {
      const result = await performAction(acting, action, { kind, recordId: run.recordId, facts, workflow, runId: run.id });
      await savepoint(s, 'release savepoint');
      await logStep(index, 'completed', action, result, null);
      await update({ nextStep: index + 1, attempts: 0 });
      // The action may have changed the record: later steps read it again.
      facts = null;
    } catch (err) {
      await savepoint(s, 'rollback to savepoint');
      await logStep(index, 'failed', action, null, message(err));
      const attempt = run.attempts + 1;
      const plan = retryPlan(attempt, s.now());
      if ('giveUp' in plan) await update({ status: 'failed', attempts: attempt, resumeAt: null, reason: `Step ${index + 1} (${action.type}) failed ${attempt} times: ${message(err)}`, finishedAt: s.now() });
      else await update({ status: 'retrying', attempts: attempt, resumeAt: plan.retryAt, reason: `Step ${index + 1} (${action.type}) failed: ${message(err)}; trying again at ${plan.retryAt.toISOString()}` });
      return run;
    }
  }
  await update({ status: 'completed', reason: null, resumeAt: null, finishedAt: s.now() });
  return run;
}

/** Runs whose wait is over or whose retry is due, oldest first. */
export async function dueRunIds(s: Scope, limit: number): Promise<string[]> {
  const rows = await s.db
    .select({ id: workflowRuns.id })
    .from(workflowRuns)
    .where(and(inArray(workflowRuns.status, ['waiting', 'retrying']), lte(workflowRuns.resumeAt, s.now())))
    .orderBy(workflowRuns.resumeAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * "Replay failed runs": each is queued to go on from the step that failed, with its attempts
 * counted afresh; the resume job performs it (off the request, as the system, like any run).
 */
export async function replayFailedRuns(s: Scope, workflowId: string, runIds?: string[]): Promise<string[]> {
  const rows = await s.db
    .update(workflowRuns)
    .set({ status: 'retrying', attempts: 0, resumeAt: s.now(), finishedAt: null, reason: 'Replayed', updatedAt: s.now() })
    .where(and(eq(workflowRuns.workflowId, workflowId), eq(workflowRuns.status, 'failed'), runIds ? inArray(workflowRuns.id, runIds) : undefined))
    .returning({ id: workflowRuns.id });
  return rows.map((r) => r.id);
}

export const latestRunsFirst = desc(workflowRuns.createdAt);
