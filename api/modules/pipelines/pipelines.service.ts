import { and, asc, eq, or, sql } from 'drizzle-orm';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Actor } from '../../../core/roles.ts';
import type { Pipeline, PipelineCreate, StageCreate, StageUpdate } from '../../../core/schemas/pipelines.ts';
import type { Tx } from '../../../db/client.ts';
import { deals, dealStageHistory, pipelines, pipelineStages } from '../../../db/schema/index.ts';
import { recordAudit } from '../records/audit.ts';
import { fieldChanges } from '../../../core/diff.ts';

export type StageRow = typeof pipelineStages.$inferSelect;

const presentStage = (s: StageRow) => ({
  id: s.id,
  name: s.name,
  position: s.position,
  defaultProbability: s.defaultProbability,
  isWon: s.isWon,
  isLost: s.isLost,
});

export async function listPipelines(tx: Tx): Promise<Pipeline[]> {
  const [all, stages] = [
    await tx.select().from(pipelines).orderBy(asc(pipelines.createdAt)),
    await tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position)),
  ];
  return all.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault,
    stages: stages.filter((s) => s.pipelineId === p.id).map(presentStage),
  }));
}

export async function getPipeline(tx: Tx, id: string) {
  const pipeline = (await listPipelines(tx)).find((p) => p.id === id);
  if (!pipeline) throw notFound('Pipeline');
  return pipeline;
}

export async function defaultPipelineId(tx: Tx): Promise<string> {
  const [row] = await tx.select({ id: pipelines.id }).from(pipelines).orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.createdAt)).limit(1);
  if (!row) throw new AppError('CONFLICT', 'This organization has no pipeline yet');
  return row.id;
}

export async function stagesOf(tx: Tx, pipelineId: string): Promise<StageRow[]> {
  return tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipelineId)).orderBy(asc(pipelineStages.position));
}

export async function stageById(tx: Tx, stageId: string): Promise<StageRow | undefined> {
  const [row] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
  return row;
}

export async function createPipeline(tx: Tx, actor: Actor, input: PipelineCreate) {
  if (!isAdmin(actor)) throw forbidden('Only admins can edit pipelines');
  const [pipeline] = await tx.insert(pipelines).values({ orgId: actor.orgId, name: input.name }).returning();
  await tx.insert(pipelineStages).values(
    input.stages.map((s, position) => ({ orgId: actor.orgId, pipelineId: pipeline!.id, position, ...s })),
  );
  await recordAudit(tx, actor, 'create', 'pipeline', pipeline!.id, { name: { old: null, new: input.name } });
  return getPipeline(tx, pipeline!.id);
}

export async function addStage(tx: Tx, actor: Actor, pipelineId: string, input: StageCreate) {
  await getPipeline(tx, pipelineId);
  if (!isAdmin(actor)) throw forbidden('Only admins can edit pipelines');
  const stages = await stagesOf(tx, pipelineId);
  // By default a new open stage goes before the closed (won/lost) stages.
  const firstClosed = stages.findIndex((s) => s.isWon || s.isLost);
  const position = Math.min(input.position ?? (firstClosed === -1 ? stages.length : firstClosed), stages.length);
  const [stage] = await tx
    .insert(pipelineStages)
    .values({ orgId: actor.orgId, pipelineId, name: input.name, defaultProbability: input.defaultProbability, isWon: input.isWon, isLost: input.isLost, position })
    .returning();
  const order = [...stages.slice(0, position), stage!, ...stages.slice(position)];
  await writeOrder(tx, order.map((s) => s.id));
  await recordAudit(tx, actor, 'create', 'stage', stage!.id, { name: { old: null, new: input.name } });
  return getPipeline(tx, pipelineId);
}

export async function updateStage(tx: Tx, actor: Actor, pipelineId: string, stageId: string, patch: StageUpdate) {
  const stage = await stageById(tx, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw notFound('Stage');
  if (!isAdmin(actor)) throw forbidden('Only admins can edit pipelines');
  const next = { ...stage, ...patch };
  if (next.isWon && next.isLost) throw new AppError('VALIDATION_FAILED', 'A stage cannot be both won and lost', [{ path: 'isWon', message: 'conflicts with isLost' }]);
  const changes = fieldChanges(stage, patch);
  await tx.update(pipelineStages).set(patch).where(eq(pipelineStages.id, stageId));
  await recordAudit(tx, actor, 'update', 'stage', stageId, changes);
  return getPipeline(tx, pipelineId);
}

export async function reorderStages(tx: Tx, actor: Actor, pipelineId: string, stageIds: string[]) {
  await getPipeline(tx, pipelineId);
  if (!isAdmin(actor)) throw forbidden('Only admins can edit pipelines');
  const current = await stagesOf(tx, pipelineId);
  const same = stageIds.length === current.length && new Set(stageIds).size === current.length && current.every((s) => stageIds.includes(s.id));
  if (!same) throw new AppError('VALIDATION_FAILED', 'stageIds: must list every stage of the pipeline exactly once', [{ path: 'stageIds', message: 'must be a permutation of the pipeline\'s stages' }]);
  await writeOrder(tx, stageIds);
  await recordAudit(tx, actor, 'update', 'pipeline', pipelineId, { stageOrder: { old: current.map((s) => s.id), new: stageIds } });
  return getPipeline(tx, pipelineId);
}

async function writeOrder(tx: Tx, stageIds: string[]) {
  for (const [position, id] of stageIds.entries()) {
    await tx.update(pipelineStages).set({ position }).where(eq(pipelineStages.id, id));
  }
}

export async function deleteStage(tx: Tx, actor: Actor, pipelineId: string, stageId: string) {
  const stage = await stageById(tx, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw notFound('Stage');
  if (!isAdmin(actor)) throw forbidden('Only admins can edit pipelines');
  // Deleted deals keep their stage too: they can be restored for 30 days.
  const [used] = await tx.select({ n: sql<number>`count(*)::int` }).from(deals).where(eq(deals.stageId, stageId));
  if (used && used.n > 0) throw new AppError('CONFLICT', `${used.n} deal(s) are in this stage; move them first`, { deals: used.n });
  const remaining = (await stagesOf(tx, pipelineId)).filter((s) => s.id !== stageId);
  if (remaining.length < 2) throw new AppError('CONFLICT', 'A pipeline needs at least two stages');
  // Stage history is a record of what happened; a stage that appears in it stays (rename it instead).
  const [history] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(dealStageHistory)
    .where(or(eq(dealStageHistory.fromStageId, stageId), eq(dealStageHistory.toStageId, stageId)));
  if (history && history.n > 0) throw new AppError('CONFLICT', 'Deals have passed through this stage; rename it instead of deleting it');
  await tx.delete(pipelineStages).where(and(eq(pipelineStages.id, stageId)));
  await writeOrder(tx, remaining.map((s) => s.id));
  await recordAudit(tx, actor, 'delete', 'stage', stageId, { name: { old: stage.name, new: null } });
  return getPipeline(tx, pipelineId);
}
