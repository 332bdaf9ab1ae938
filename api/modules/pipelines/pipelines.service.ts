import { asc, eq, or, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { pipelineProblems, type StageShape } from '../../../core/pipelines.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { Pipeline, PipelineCreate, PipelineUpdate, StageCreate, StageUpdate } from '../../../core/schemas/pipelines.ts';
import { deals, dealStageHistory, pipelines, pipelineStages } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';

export type StageRow = typeof pipelineStages.$inferSelect;

const presentStage = (stage: StageRow) => ({
  id: stage.id,
  name: stage.name,
  position: stage.position,
  defaultProbability: stage.defaultProbability,
  isWon: stage.isWon,
  isLost: stage.isLost,
});

export async function listPipelines(s: Scope): Promise<Pipeline[]> {
  const [all, stages] = [
    await s.db.select().from(pipelines).orderBy(asc(pipelines.createdAt)),
    await s.db.select().from(pipelineStages).orderBy(asc(pipelineStages.position)),
  ];
  return all.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault,
    stages: stages.filter((stage) => stage.pipelineId === p.id).map(presentStage),
  }));
}

export async function getPipeline(s: Scope, id: string) {
  const pipeline = (await listPipelines(s)).find((p) => p.id === id);
  if (!pipeline) throw notFound('Pipeline');
  return pipeline;
}

export async function defaultPipelineId(s: Scope): Promise<string> {
  const [row] = await s.db.select({ id: pipelines.id }).from(pipelines).orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.createdAt)).limit(1);
  if (!row) throw new AppError('CONFLICT', 'This organization has no pipeline yet');
  return row.id;
}

export async function stagesOf(s: Scope, pipelineId: string): Promise<StageRow[]> {
  return s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipelineId)).orderBy(asc(pipelineStages.position));
}

export async function stageById(s: Scope, stageId: string): Promise<StageRow | undefined> {
  const [row] = await s.db.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
  return row;
}

/** Refuses, with 400 and every problem listed, stages that would contradict each other. */
function assertCoherent(stages: readonly StageShape[]) {
  const problems = pipelineProblems(stages);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `${problems[0]!.path}: ${problems[0]!.message}`, problems);
}

async function pipelineChanged(s: Scope, pipelineId: string, changes: Record<string, { old: unknown; new: unknown }>) {
  const pipeline = await getPipeline(s, pipelineId);
  await s.emit({ type: 'pipeline.updated', recordId: pipelineId, changes, data: { pipeline } });
  return pipeline;
}

export async function createPipeline(s: Scope, input: PipelineCreate) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  assertCoherent(input.stages);
  const [pipeline] = await s.db.insert(pipelines).values({ orgId: s.orgId, name: input.name }).returning();
  await s.db.insert(pipelineStages).values(input.stages.map((stage, position) => ({ orgId: s.orgId, pipelineId: pipeline!.id, position, ...stage })));
  const changes = { name: { old: null, new: input.name } };
  await recordAudit(s, 'create', 'pipeline', pipeline!.id, changes);
  const created = await getPipeline(s, pipeline!.id);
  await s.emit({ type: 'pipeline.created', recordId: created.id, changes, data: { pipeline: created } });
  return created;
}

export async function renamePipeline(s: Scope, pipelineId: string, patch: PipelineUpdate) {
  const before = await getPipeline(s, pipelineId);
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  if (before.name === patch.name) return before;
  await s.db.update(pipelines).set({ name: patch.name }).where(eq(pipelines.id, pipelineId));
  const changes = { name: { old: before.name, new: patch.name } };
  await recordAudit(s, 'update', 'pipeline', pipelineId, changes);
  return pipelineChanged(s, pipelineId, changes);
}

export async function addStage(s: Scope, pipelineId: string, input: StageCreate) {
  await getPipeline(s, pipelineId);
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  const stages = await stagesOf(s, pipelineId);
  assertCoherent([...stages, input]);
  // By default a new open stage goes before the closed (won/lost) stages.
  const firstClosed = stages.findIndex((stage) => stage.isWon || stage.isLost);
  const position = Math.min(input.position ?? (firstClosed === -1 ? stages.length : firstClosed), stages.length);
  const [stage] = await s.db
    .insert(pipelineStages)
    .values({ orgId: s.orgId, pipelineId, name: input.name, defaultProbability: input.defaultProbability, isWon: input.isWon, isLost: input.isLost, position })
    .returning();
  const order = [...stages.slice(0, position), stage!, ...stages.slice(position)];
  await writeOrder(s, order.map((o) => o.id));
  const changes = { [`stages.${stage!.id}.name`]: { old: null, new: input.name } };
  await recordAudit(s, 'create', 'stage', stage!.id, { name: { old: null, new: input.name } });
  return pipelineChanged(s, pipelineId, changes);
}

export async function updateStage(s: Scope, pipelineId: string, stageId: string, patch: StageUpdate) {
  const stage = await stageById(s, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw notFound('Stage');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  const stages = await stagesOf(s, pipelineId);
  assertCoherent(stages.map((other) => (other.id === stageId ? { ...other, ...patch } : other)));
  const changes = fieldChanges(stage, patch);
  if (Object.keys(changes).length === 0) return getPipeline(s, pipelineId);
  await s.db.update(pipelineStages).set(patch).where(eq(pipelineStages.id, stageId));
  await recordAudit(s, 'update', 'stage', stageId, changes);
  return pipelineChanged(s, pipelineId, Object.fromEntries(Object.entries(changes).map(([field, change]) => [`stages.${stageId}.${field}`, change])));
}

export async function reorderStages(s: Scope, pipelineId: string, stageIds: string[]) {
  await getPipeline(s, pipelineId);
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  const current = await stagesOf(s, pipelineId);
  const same = stageIds.length === current.length && new Set(stageIds).size === current.length && current.every((stage) => stageIds.includes(stage.id));
  if (!same) throw new AppError('VALIDATION_FAILED', 'stageIds: must list every stage of the pipeline exactly once', [{ path: 'stageIds', message: 'must be a permutation of the pipeline\'s stages' }]);
  await writeOrder(s, stageIds);
  const changes = { stageOrder: { old: current.map((stage) => stage.id), new: stageIds } };
  await recordAudit(s, 'update', 'pipeline', pipelineId, changes);
  return pipelineChanged(s, pipelineId, changes);
}

async function writeOrder(s: Scope, stageIds: string[]) {
  for (const [position, id] of stageIds.entries()) {
    await s.db.update(pipelineStages).set({ position }).where(eq(pipelineStages.id, id));
  }
}

export async function deleteStage(s: Scope, pipelineId: string, stageId: string) {
  const stage = await stageById(s, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw notFound('Stage');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can edit pipelines');
  // Deleted deals keep their stage too: they can be restored for 30 days.
  const [used] = await s.db.select({ n: sql<number>`count(*)::int` }).from(deals).where(eq(deals.stageId, stageId));
  if (used && used.n > 0) throw new AppError('CONFLICT', `${used.n} deal(s) are in this stage; move them first`, { deals: used.n });
  const remaining = (await stagesOf(s, pipelineId)).filter((other) => other.id !== stageId);
  if (remaining.length < 2) throw new AppError('CONFLICT', 'A pipeline needs at least two stages');
  assertCoherent(remaining);
  // Stage history is a record of what happened; a stage that appears in it stays (rename it instead).
  const [history] = await s.db
    .select({ n: sql<number>`count(*)::int` })
    .from(dealStageHistory)
    .where(or(eq(dealStageHistory.fromStageId, stageId), eq(dealStageHistory.toStageId, stageId)));
  if (history && history.n > 0) throw new AppError('CONFLICT', 'Deals have passed through this stage; rename it instead of deleting it');
  await s.db.delete(pipelineStages).where(eq(pipelineStages.id, stageId));
  await writeOrder(s, remaining.map((other) => other.id));
  await recordAudit(s, 'delete', 'stage', stageId, { name: { old: stage.name, new: null } });
  return pipelineChanged(s, pipelineId, { [`stages.${stageId}.name`]: { old: stage.name, new: null } });
}
