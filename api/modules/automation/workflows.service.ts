// Workflows as admins manage them: create (a draft), edit (in place while a draft, a new version
// once it has run), activate, pause, delete; their runs with each step's log; replay of failed runs;
// and "test on this record", a dry run that writes nothing. Admins change; managers read.
import { and, asc, desc, eq, max } from 'drizzle-orm';
import { evaluateConditions } from '../../../core/automation/conditions.ts';
import { definitionIssues, recordKindOfTrigger, WorkflowDefinition } from '../../../core/automation/definition.ts';
import { editMakesNewVersion, transition, type WorkflowTransition } from '../../../core/automation/lifecycle.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Actor } from '../../../core/roles.ts';
import { workflowRuns, workflowRunSteps, workflows, workflowVersions } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { assertMayUse } from '../billing/billing.service.ts';
import { describeAction } from './actions.ts';
import { replayFailedRuns } from './engine.ts';
import { loadFacts } from './record-facts.ts';

type WorkflowRow = typeof workflows.$inferSelect;
type VersionRow = typeof workflowVersions.$inferSelect;
type RunRow = typeof workflowRuns.$inferSelect;

const mayRead = (actor: Actor) => actor.role === 'admin' || actor.role === 'manager';
function assertReader(s: Scope) {
  if (!mayRead(s.actor)) throw forbidden('Only admins and managers can see workflows');
}
function assertEditor(s: Scope) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change workflows');
}

/** The shape check passed at the edge; this is the check against the record kind, as a 400 with each field's problem. */
function checkDefinition(definition: WorkflowDefinition) {
  const issues = definitionIssues(definition);
  if (issues.length) {
    throw new AppError('VALIDATION_FAILED', `definition.${issues[0]!.path}: ${issues[0]!.message}`, issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })));
  }
}

/** What the consumer looks workflows up by: the trigger's event name (as triggersOf names events), or `time`. */
const triggerKeyOf = (definition: WorkflowDefinition) => (definition.trigger.type === 'time' ? 'time' : definition.trigger.event);

export function presentWorkflow(w: WorkflowRow, v: VersionRow) {
  return { id: w.id, name: w.name, state: w.state, version: v.version, versionId: v.id, definition: v.definition, createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString() };
}

/** Another organization's workflow is 404 for every role, so the lookup comes before the role check. */
async function findWorkflow(s: Scope, id: string, assertRole: (s: Scope) => void) {
  const [row] = await s.db.select({ w: workflows, v: workflowVersions }).from(workflows).innerJoin(workflowVersions, eq(workflowVersions.id, workflows.currentVersionId)).where(eq(workflows.id, id));
  if (!row) throw notFound('Workflow');
  assertRole(s);
  return row;
}

export async function listWorkflows(s: Scope) {
  assertReader(s);
  const rows = await s.db.select({ w: workflows, v: workflowVersions }).from(workflows).innerJoin(workflowVersions, eq(workflowVersions.id, workflows.currentVersionId)).orderBy(asc(workflows.createdAt));
  return rows.map((r) => presentWorkflow(r.w, r.v));
}

export async function getWorkflow(s: Scope, id: string) {
  const { w, v } = await findWorkflow(s, id, assertReader);
  return presentWorkflow(w, v);
}

export async function createWorkflow(s: Scope, input: { name: string; definition: WorkflowDefinition }) {
  assertEditor(s);
  await assertMayUse(s, 'workflows');
  checkDefinition(input.definition);
  const [w] = await s.db.insert(workflows).values({ orgId: s.orgId, name: input.name, triggerKey: triggerKeyOf(input.definition), createdBy: s.actor.userId, createdAt: s.now(), updatedAt: s.now() }).returning();
  const [v] = await s.db.insert(workflowVersions).values({ orgId: s.orgId, workflowId: w!.id, version: 1, definition: input.definition, createdBy: s.actor.userId, createdAt: s.now() }).returning();
  const [done] = await s.db.update(workflows).set({ currentVersionId: v!.id }).where(eq(workflows.id, w!.id)).returning();
  return presentWorkflow(done!, v!);
}

export async function updateWorkflow(s: Scope, id: string, patch: { name?: string; definition?: WorkflowDefinition }) {
  await assertMayUse(s, 'workflows');
  const { w, v } = await findWorkflow(s, id, assertEditor);
  let version = v;
  if (patch.definition) {
    checkDefinition(patch.definition);
    if (editMakesNewVersion(w.state)) {
      const [{ latest }] = (await s.db.select({ latest: max(workflowVersions.version) }).from(workflowVersions).where(eq(workflowVersions.workflowId, id))) as [{ latest: number | null }];
      [version] = (await s.db.insert(workflowVersions).values({ orgId: s.orgId, workflowId: id, version: (latest ?? 0) + 1, definition: patch.definition, createdBy: s.actor.userId, createdAt: s.now() }).returning()) as [VersionRow];
    } else {
      [version] = (await s.db.update(workflowVersions).set({ definition: patch.definition }).where(eq(workflowVersions.id, v.id)).returning()) as [VersionRow];
    }
  }
  const [updated] = await s.db
    .update(workflows)
    .set({ name: patch.name ?? w.name, currentVersionId: version.id, triggerKey: triggerKeyOf(version.definition), updatedAt: s.now() })
    .where(eq(workflows.id, id))
    .returning();
  return presentWorkflow(updated!, version);
}

export async function changeWorkflowState(s: Scope, id: string, action: WorkflowTransition) {
  if (action === 'activate') await assertMayUse(s, 'workflows');
  const { w, v } = await findWorkflow(s, id, assertEditor);
  const next = transition(w.state, action);
  if ('refused' in next) throw new AppError('CONFLICT', next.refused);
  // Validate again before going live: a definition saved under older rules must still hold.
  if (action === 'activate') checkDefinition(WorkflowDefinition.parse(v.definition));
  const [updated] = await s.db.update(workflows).set({ state: next.state, updatedAt: s.now() }).where(eq(workflows.id, id)).returning();
  return presentWorkflow(updated!, v);
}

export async function deleteWorkflow(s: Scope, id: string) {
  await findWorkflow(s, id, assertEditor);
  await s.db.delete(workflows).where(eq(workflows.id, id));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentRun(r: RunRow, version: number, steps?: (typeof workflowRunSteps.$inferSelect)[]) {
  return {
    id: r.id, workflowId: r.workflowId, versionId: r.versionId, version, triggerKey: r.triggerKey, eventType: r.eventType, recordType: r.recordType, recordId: r.recordId,
    status: r.status, nextStep: r.nextStep, attempts: r.attempts, resumeAt: iso(r.resumeAt), reason: r.reason, createdAt: r.createdAt.toISOString(), finishedAt: iso(r.finishedAt),
    ...(steps
      ? { steps: steps.map((st) => ({ stepIndex: st.stepIndex, actionType: st.actionType, attempt: st.attempt, status: st.status, input: st.input, result: st.result, error: st.error, at: st.at.toISOString() })) }
      : {}),
  };
}

export async function listRuns(s: Scope, workflowId: string, q: { status?: RunRow['status']; recordId?: string; limit: number }) {
  await findWorkflow(s, workflowId, assertReader);
  const rows = await s.db
    .select({ r: workflowRuns, version: workflowVersions.version })
    .from(workflowRuns)
    .innerJoin(workflowVersions, eq(workflowVersions.id, workflowRuns.versionId))
    .where(and(eq(workflowRuns.workflowId, workflowId), q.status ? eq(workflowRuns.status, q.status) : undefined, q.recordId ? eq(workflowRuns.recordId, q.recordId) : undefined))
    .orderBy(desc(workflowRuns.createdAt), desc(workflowRuns.id))
    .limit(q.limit);
  return rows.map((row) => presentRun(row.r, row.version));
}

export async function getRun(s: Scope, workflowId: string, runId: string) {
  await findWorkflow(s, workflowId, assertReader);
  const [row] = await s.db
    .select({ r: workflowRuns, version: workflowVersions.version })
    .from(workflowRuns)
    .innerJoin(workflowVersions, eq(workflowVersions.id, workflowRuns.versionId))
    .where(and(eq(workflowRuns.workflowId, workflowId), eq(workflowRuns.id, runId)));
  if (!row) throw notFound('Run');
  const steps = await s.db.select().from(workflowRunSteps).where(eq(workflowRunSteps.runId, runId)).orderBy(asc(workflowRunSteps.stepIndex), asc(workflowRunSteps.attempt));
  return presentRun(row.r, row.version, steps);
}

/** Replays failed runs (all of the workflow's, or the ones named) from the step that failed. */
export async function replayRuns(s: Scope, workflowId: string, runIds?: string[]) {
  await findWorkflow(s, workflowId, assertEditor);
  const ids = await replayFailedRuns(s, workflowId, runIds);
  const out = [];
  for (const id of ids) out.push(await getRun(s, workflowId, id));
  return out;
}

/** "Test on this record": what the workflow would do to it now. Nothing is written. */
export async function testWorkflow(s: Scope, id: string, recordId: string) {
  const { v } = await findWorkflow(s, id, assertReader);
  const definition = WorkflowDefinition.parse(v.definition);
  const kind = recordKindOfTrigger(definition.trigger);
  if (kind === 'email') throw new AppError('VALIDATION_FAILED', 'A workflow on emails reads the email event itself: it cannot be tested on a record');
  const facts = await loadFacts(s, kind, recordId, null);
  if (!facts) return { recordFound: false, conditionsMet: false, explanation: [], actions: [], note: `No ${kind} with this id in this organization` };
  const outcome = evaluateConditions(definition.conditions, facts, s.now());
  return {
    recordFound: true,
    conditionsMet: outcome.matched,
    explanation: outcome.explanation,
    actions: outcome.matched ? definition.actions.map((a, index) => ({ index, type: a.type, wouldDo: describeAction(a, { facts }, s.now()) })) : [],
    note: outcome.matched
      ? `A dry run: nothing was written. Steps after a wait would read the ${kind} again when they run.`
      : `A dry run: the conditions do not hold for this ${kind}, so the workflow would not run.`,
  };
}
