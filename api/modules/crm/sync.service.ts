// The sync as admins see it: the run log, "sync now" (queued for the scheduled job, one at a time
// per connection), the dry run (answered at once, nothing written), and the conflict journal with
// its resolutions. Everything is found through the organization's scope: another organization's
// connection, run or conflict is not found.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { AppError, notFound } from '../../../core/errors.ts';
import type { CrmConflict, CrmSyncRun } from '../../../core/schemas/crm.ts';
import { CrmSyncError } from '../../../core/sync/errors.ts';
import { companies, contacts, crmConflicts, crmExternalLinks, crmSyncRuns, deals, pipelineStages } from '../../../db/schema/index.ts';
import { withCrmAccess, type CrmCallContext } from '../../integrations/credentials.ts';
import type { CrmRecordType } from '../../integrations/provider.ts';
import { CallGuard, defaultGuardOptions } from '../../integrations/sync/call-guard.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { getConnection } from './crm.service.ts';
import { columnsOf } from './sync-apply.ts';
import { stageMap } from './sync-run.ts';

type RunRow = typeof crmSyncRuns.$inferSelect;
type ConflictRow = typeof crmConflicts.$inferSelect;

export function presentRun(row: RunRow): CrmSyncRun {
  return {
    id: row.id,
    connectionId: row.connectionId,
    kind: row.kind,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    counts: row.counts,
    objectCounts: row.objectCounts,
    apiCalls: row.apiCalls,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? row.errorCode } : null,
    plan: row.plan ?? null,
  };
}

export function presentConflict(row: ConflictRow): CrmConflict {
  return {
    id: row.id,
    connectionId: row.connectionId,
    recordType: row.recordType,
    localId: row.localId,
    externalObject: row.externalObject,
    externalId: row.externalId,
    field: row.field,
    inboxValue: row.inboxValue ?? null,
    crmValue: row.crmValue ?? null,
    reason: row.reason,
    status: row.status,
    resolution: row.resolution ?? null,
    resolvedBy: row.resolvedBy ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listRuns(s: Scope, connectionId: string) {
  await getConnection(s, connectionId);
  const rows = await s.db.select().from(crmSyncRuns).where(eq(crmSyncRuns.connectionId, connectionId)).orderBy(desc(crmSyncRuns.startedAt)).limit(50);
  return { data: rows.map(presentRun) };
}

export async function getRun(s: Scope, runId: string) {
  const [row] = await s.db.select().from(crmSyncRuns).where(eq(crmSyncRuns.id, runId));
  if (!row) throw notFound('Sync run');
  return presentRun(row);
}

/** "Sync now": a queued run the scheduled job takes within a minute. One queued or running run per connection. */
export async function requestSync(s: Scope, connectionId: string) {
  const connection = await getConnection(s, connectionId);
  if (connection.status !== 'active') throw new AppError('CONFLICT', `The ${connection.provider} connection is ${connection.status.replace('_', ' ')}: ${connection.statusReason ?? 'connect it again'}`);
  const [active] = await s.db.select().from(crmSyncRuns).where(and(eq(crmSyncRuns.connectionId, connectionId), inArray(crmSyncRuns.status, ['queued', 'running'])));
  if (active) throw new AppError('CONFLICT', `A sync of this connection is already ${active.status}`, { runId: active.id });
  const [row] = await s.db.insert(crmSyncRuns).values({ orgId: s.orgId, connectionId, kind: 'incremental', status: 'queued', startedAt: s.now() }).returning();
  return presentRun(row!);
}

export async function listConflicts(s: Scope, connectionId: string, status: 'open' | 'resolved') {
  await getConnection(s, connectionId);
  const rows = await s.db
    .select()
    .from(crmConflicts)
    .where(and(eq(crmConflicts.connectionId, connectionId), eq(crmConflicts.status, status)))
    .orderBy(desc(crmConflicts.createdAt))
    .limit(200);
  return { data: rows.map(presentConflict) };
}

export async function findOpenConflict(s: Scope, connectionId: string, conflictId: string) {
  await getConnection(s, connectionId);
  const [row] = await s.db.select().from(crmConflicts).where(and(eq(crmConflicts.id, conflictId), eq(crmConflicts.connectionId, connectionId)));
  if (!row) throw notFound('Conflict');
  if (row.status !== 'open') throw new AppError('CONFLICT', 'This conflict is already resolved');
  return row;
}

const tableOf = (recordType: CrmRecordType) => (recordType === 'company' ? companies : recordType === 'contact' ? contacts : deals);

/**
 * keep_crm: the CRM's value is written in the app, and becomes the agreed value. keep_inbox: the
 * app's value stays; the CRM's value becomes the agreed one, so the app's reads as the change to
 * send to the CRM (and is not journaled again).
 */
export async function resolveConflict(s: Scope, row: ConflictRow, resolution: 'keep_crm' | 'keep_inbox', stageOf: ReturnType<typeof stageMap> | null) {
  const now = s.now();
  const recordType = row.recordType as CrmRecordType;
  const [link] = await s.db
    .select()
    .from(crmExternalLinks)
    .where(and(eq(crmExternalLinks.connectionId, row.connectionId), eq(crmExternalLinks.externalObject, row.externalObject), eq(crmExternalLinks.externalId, row.externalId)));
  if (resolution === 'keep_crm') {
    const table = tableOf(recordType);
    const columns = columnsOf(recordType, { [row.field]: row.crmValue }, { stageOf: stageOf ?? new Map() } as never, now);
    if (Object.keys(columns).length === 0) throw new AppError('CONFLICT', 'The CRM\'s value no longer maps to anything in the app (its stage is gone); map the stage first');
    await s.db.update(table).set({ ...columns, updatedAt: now } as never).where(eq(table.id, row.localId));
  }
  if (link) await s.db.update(crmExternalLinks).set({ baseline: { ...link.baseline, [row.field]: row.crmValue }, syncedAt: now }).where(eq(crmExternalLinks.id, link.id));
  const [updated] = await s.db
    .update(crmConflicts)
    .set({ status: 'resolved', resolution, resolvedValue: resolution === 'keep_crm' ? row.crmValue : row.inboxValue, resolvedBy: s.actor.userId, resolvedAt: now })
    .where(eq(crmConflicts.id, row.id))
    .returning();
  return presentConflict(updated!);
}

/** A deal stage chosen in the CRM lands in a local stage by the stage mapping: read the CRM's pipelines for it (outside any transaction). */
export async function stageMapForConflict(ctx: CrmCallContext, row: ConflictRow, settings: Record<string, unknown>, inOrg: <T>(work: (s: Scope) => Promise<T>) => Promise<T>) {
  if (row.field !== 'crmStage') return null;
  try {
    const pipelines = await withCrmAccess(ctx, row.orgId, row.connectionId, ({ provider, endpoints, access }) =>
      provider.puller.pipelines({ endpoints, access, guard: new CallGuard({ ...defaultGuardOptions, headroomShare: ctx.crm.config.headroomShare, parseError: provider.parseError }) }),
    );
    const stages = await inOrg(async (s) => {
      const [deal] = await s.db.select({ pipelineId: deals.pipelineId }).from(deals).where(eq(deals.id, row.localId));
      return deal ? s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, deal.pipelineId)) : [];
    });
    return stageMap(pipelines, stages, settings);
  } catch (error) {
    if (error instanceof CrmSyncError) throw new AppError('UNAVAILABLE', `The CRM did not answer while reading its stages: ${error.message}`);
    throw error;
  }
}
