// One sync run of one CRM connection: the initial import, then incremental pulls of what changed
// since the last one, object by object (companies, then contacts, then deals, so references
// resolve), page by page, each page written with its checkpoint in one transaction so a crash
// resumes after the last page written. One run at a time per connection (a unique index on the
// queued/running run). CRM calls are made outside any transaction, through the run's call guard
// (pacing, timeouts, retries); a revoked grant stops the run and leaves the connection waiting for
// an admin (credentials.ts marks it and the admins are notified), a rate limit that does not clear
// pauses the run, a failure leaves the checkpoints for the next run. A dry run reads the same pages
// and writes nothing but its own run-log entry.
import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import { CrmSyncError } from '../../../core/sync/errors.ts';
import { budgetMeter } from '../../../core/sync/rate-budget.ts';
import { mapStages } from '../../../core/sync/stages.ts';
import type { Ownership } from '../../../core/sync/ownership.ts';
import { systemActor } from '../../../core/roles.ts';
import type { CrmRunCounts, CrmSyncPlanEntry } from '../../../db/schema/crm.ts';
import { crmConnections, crmFieldMappings, crmSyncCheckpoints, crmSyncRuns, memberships, pipelines, pipelineStages, user } from '../../../db/schema/index.ts';
import { findConnection } from '../../integrations/connections.ts';
import { withCrmAccess, type CrmCallContext } from '../../integrations/credentials.ts';
import type { CrmRecordType } from '../../integrations/provider.ts';
import { CallGuard, defaultGuardOptions, type CallGuardOptions } from '../../integrations/sync/call-guard.ts';
import type { CrmPipeline, PullSession } from '../../integrations/sync/pull.ts';
import { inTenant, type Scope } from '../../platform/tenancy/scope.ts';
import { applyPage, emptyCounts, type ApplyContext, type LocalStage } from './sync-apply.ts';

export const syncOrder: readonly CrmRecordType[] = ['company', 'contact', 'deal'];

/** A run still "running" after this long died with its process: the next run takes over. */
const STALE_RUN_MS = 60 * 60_000;
/** A dry run reads at most this many pages of each object. */
const DRY_RUN_PAGES = 5;
/** A dry run's plan keeps at most this many entries (the counts cover everything read). */
const PLAN_LIMIT = 1000;

export interface SyncRunOptions {
  dryRun?: boolean;
  /** A queued run ("sync now") to take; else a new one is started. */
  runId?: string;
  /** Tests and the benchmark: shorter timeouts and waits. */
  guard?: Partial<Omit<CallGuardOptions, 'parseError' | 'headroomShare'>>;
}

export interface SyncRunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'paused';
  kind: 'initial' | 'incremental' | 'dry_run';
  counts: CrmRunCounts;
  objectCounts: Record<string, CrmRunCounts>;
  apiCalls: number;
  failedCalls: number;
  durationMs: number;
  error: { code: string; message: string } | null;
  plan: CrmSyncPlanEntry[] | null;
}

const addCounts = (into: CrmRunCounts, more: CrmRunCounts) => {
  for (const key of Object.keys(into) as (keyof CrmRunCounts)[]) into[key] += more[key];
};

const isUniqueViolation = (error: unknown): boolean => {
  for (let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505' || (typeof e.message === 'string' && e.message.includes('crm_sync_runs_one_active_uq'))) return true;
  }
  return false;
};

/** Takes the run: a queued one, or a new one; null when another run of the connection is active. */
async function claimRun(s: Scope, connectionId: string, kind: SyncRunResult['kind'], runId: string | undefined): Promise<string | null> {
  const now = s.now();
  await s.db
    .update(crmSyncRuns)
    .set({ status: 'failed', finishedAt: now, errorCode: 'interrupted', errorMessage: 'The run stopped without finishing (its process ended); the next run resumed from the last checkpoint' })
    .where(and(eq(crmSyncRuns.connectionId, connectionId), eq(crmSyncRuns.status, 'running'), lt(crmSyncRuns.startedAt, new Date(now.getTime() - STALE_RUN_MS))));
  if (runId) {
    const [taken] = await s.db
      .update(crmSyncRuns)
      .set({ status: 'running', kind, startedAt: now })
      .where(and(eq(crmSyncRuns.id, runId), eq(crmSyncRuns.connectionId, connectionId), eq(crmSyncRuns.status, 'queued')))
      .returning({ id: crmSyncRuns.id });
    return taken?.id ?? null;
  }
  const [active] = await s.db.select({ id: crmSyncRuns.id }).from(crmSyncRuns).where(and(eq(crmSyncRuns.connectionId, connectionId), inArray(crmSyncRuns.status, ['queued', 'running'])));
  if (active) return null;
  const [row] = await s.db.insert(crmSyncRuns).values({ orgId: s.orgId, connectionId, kind, status: 'running', startedAt: now }).returning({ id: crmSyncRuns.id });
  return row!.id;
}

export async function referenceData(s: Scope, connectionId: string) {
  const members = await s.db
    .select({ userId: memberships.userId, email: user.email })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(isNull(memberships.deactivatedAt));
  const [pipeline] = await s.db.select().from(pipelines).where(eq(pipelines.isDefault, true));
  const anyPipeline = pipeline ?? (await s.db.select().from(pipelines).limit(1))[0];
  const stages = anyPipeline ? await s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, anyPipeline.id)) : [];
  const mappings = await s.db.select().from(crmFieldMappings).where(eq(crmFieldMappings.connectionId, connectionId));
  const checkpoints = await s.db.select().from(crmSyncCheckpoints).where(eq(crmSyncCheckpoints.connectionId, connectionId));
  const connection = await findConnection(s, connectionId);
  return { members, pipeline: anyPipeline, stages, mappings, checkpoints, connection };
}

/** `pipelineId/stageId` of the CRM → the local stage it lands in (core/sync/stages.ts; an admin's choices in settings.stageMapping). */
export function stageMap(crmPipelines: CrmPipeline[], stages: (typeof pipelineStages.$inferSelect)[], settings: Record<string, unknown>): Map<string, LocalStage> {
  const stageOf = new Map<string, LocalStage>();
  const overrides = (settings.stageMapping ?? {}) as Record<string, Record<string, string>>;
  const localStages = stages.map((st) => ({ id: st.id, name: st.name, position: st.position, isWon: st.isWon, isLost: st.isLost }));
  const byId = new Map(stages.map((st) => [st.id, st]));
  for (const p of crmPipelines) {
    for (const m of mapStages(p.stages, localStages, overrides[p.id] ?? {})) {
      const st = byId.get(m.localStageId)!;
      stageOf.set(`${p.id}/${m.crmStageId}`, { id: st.id, defaultProbability: st.defaultProbability, isWon: st.isWon, isLost: st.isLost });
    }
  }
  return stageOf;
}

export async function runConnectionSync(ctx: CrmCallContext, orgId: string, connectionId: string, options: SyncRunOptions = {}): Promise<SyncRunResult | null> {
  const started = Date.now();
  const system = systemActor(orgId);
  const inOrg = <T>(work: (s: Scope) => Promise<T>) => inTenant(ctx.db, ctx.clock, system, work);
  const dryRun = options.dryRun ?? false;

  const ref = await inOrg((s) => referenceData(s, connectionId));
  if (ref.connection.status !== 'active') return null;
  const provider = ctx.crm.providers[ref.connection.provider];
  const puller = provider.puller;
  const phaseOf = new Map(ref.checkpoints.map((c) => [c.externalObject, c]));
  const initial = syncOrder.some((t) => phaseOf.get(puller.objectOf[t])?.phase !== 'incremental');
  const kind: SyncRunResult['kind'] = dryRun ? 'dry_run' : initial ? 'initial' : 'incremental';
  let runId: string | null;
  try {
    runId = await inOrg((s) => claimRun(s, connectionId, kind, options.runId));
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  if (!runId) return null;

  const guard = new CallGuard({ ...defaultGuardOptions, ...options.guard, headroomShare: ctx.crm.config.headroomShare, parseError: provider.parseError, lanes: puller.lanes ?? {} });
  const counts = emptyCounts();
  const objectCounts: Record<string, CrmRunCounts> = {};
  const plan: CrmSyncPlanEntry[] = [];
  const call = <T>(work: (session: PullSession) => Promise<T>) => withCrmAccess(ctx, orgId, connectionId, ({ endpoints, access }) => work({ endpoints, access, guard }));
  const progress = () => ({ counts: { ...counts }, objectCounts: structuredClone(objectCounts), apiCalls: guard.calls });

  let status: SyncRunResult['status'] = 'succeeded';
  let failure: { code: string; message: string } | null = null;
  try {
    const owners = await call((session) => puller.owners(session));
    const crmPipelines = await call((session) => puller.pipelines(session));
    const memberByEmail = new Map(ref.members.map((m) => [m.email.toLowerCase(), m.userId]));
    const ownerOf = new Map(owners.flatMap((o) => (memberByEmail.has(o.email.toLowerCase()) ? [[o.externalId, memberByEmail.get(o.email.toLowerCase())!] as const] : [])));
    const stageOf = stageMap(crmPipelines, ref.stages, ref.connection.settings);
    const ownershipOf = new Map(ref.mappings.map((m) => [`${m.recordType}:${m.localField}`, (m.status === 'paused' ? 'dont_sync' : m.ownership) as Ownership]));

    for (const recordType of syncOrder) {
      const externalObject = puller.objectOf[recordType];
      const applyCtx: ApplyContext = {
        connectionId,
        provider: ref.connection.provider,
        externalObject,
        objects: puller.objectOf,
        ownerOf,
        stageOf,
        localPipelineId: ref.pipeline?.id ?? '',
        ownership: (type, field) => ownershipOf.get(`${type}:${field}`) ?? 'most_recent',
        dryRun,
      };
      const checkpoint = phaseOf.get(externalObject);
      const phase = checkpoint?.phase ?? 'initial';
      // An incremental pull starts at the last modification read; a pull cut short resumes at its cursor.
      const since = checkpoint?.modifiedUpTo ?? null;
      let cursor = checkpoint?.cursor ?? null;
      objectCounts[externalObject] ??= emptyCounts();
      for (let pages = 0; ; pages++) {
        if (dryRun && pages >= DRY_RUN_PAGES) break;
        const page = await call((session) => puller.pullPage(session, recordType, since, cursor));
        const outcome = await inOrg(async (s) => {
          const applied = await applyPage(s, applyCtx, recordType, page.records);
          if (!dryRun) {
            addCounts(counts, applied.counts);
            addCounts(objectCounts[externalObject]!, applied.counts);
            const values = {
              phase: page.next ? phase : ('incremental' as const),
              cursor: page.next,
              // While a pull pages on, its start stays the resume point; once done, the latest stamp read.
              modifiedUpTo: page.next ? since : (page.modifiedUpTo ?? since),
              updatedAt: s.now(),
            };
            await s.db
              .insert(crmSyncCheckpoints)
              .values({ orgId: s.orgId, connectionId, externalObject, ...values })
              .onConflictDoUpdate({ target: [crmSyncCheckpoints.orgId, crmSyncCheckpoints.connectionId, crmSyncCheckpoints.externalObject], set: values });
            await s.db.update(crmSyncRuns).set(progress()).where(eq(crmSyncRuns.id, runId!));
          }
          return applied;
        });
        if (dryRun) {
          addCounts(counts, outcome.counts);
          addCounts(objectCounts[externalObject]!, outcome.counts);
          plan.push(...outcome.plan.slice(0, Math.max(0, PLAN_LIMIT - plan.length)));
        }
        if (!page.next) break;
        cursor = page.next;
      }
      // Deletions the pull cannot see (HubSpot archived records), since the last incremental pull.
      if (since && phase === 'incremental' && puller.deletedSince) {
        const gone = await call((session) => puller.deletedSince!(session, recordType, since));
        if (gone.length) {
          const records = gone.map((g) => ({ externalId: g.externalId, modifiedAt: g.deletedAt, deleted: true, values: {}, ownerExternalId: null, companyExternalId: null, contactExternalIds: [] }));
          const applied = await inOrg((s) => applyPage(s, applyCtx, recordType, records));
          addCounts(counts, applied.counts);
          addCounts(objectCounts[externalObject]!, applied.counts);
          if (dryRun) plan.push(...applied.plan.slice(0, Math.max(0, PLAN_LIMIT - plan.length)));
        }
      }
    }
  } catch (error) {
    const parsed = error instanceof CrmSyncError ? error : null;
    failure = { code: parsed?.code ?? 'failed', message: error instanceof Error ? error.message : String(error) };
    // Waiting is what helps a rate limit, a revoked grant (an admin reconnects) or a missing field
    // or permission (an admin fixes the CRM or the mapping): the run pauses, its data stays.
    status = parsed && ['rate_limited', 'auth_revoked', 'permission_missing', 'field_missing'].includes(parsed.code) ? 'paused' : 'failed';
    counts.errors++;
  }

  const durationMs = Date.now() - started;
  const meter = budgetMeter(guard.budget);
  await inOrg(async (s) => {
    await s.db
      .update(crmSyncRuns)
      .set({
        ...progress(),
        status,
        finishedAt: s.now(),
        errorCode: failure?.code ?? null,
        errorMessage: failure?.message ?? null,
        plan: dryRun ? plan : null,
        log: [{ at: s.now().toISOString(), message: `${kind} ${status} in ${durationMs} ms, ${guard.calls} API calls (${guard.failedCalls} failed)` }],
      })
      .where(eq(crmSyncRuns.id, runId!));
    const connectionUpdate: Partial<typeof crmConnections.$inferInsert> = {};
    if (meter) connectionUpdate.apiUsage = { used: meter.used, limit: meter.limit, at: s.now().toISOString() };
    if (failure) connectionUpdate.lastError = { ...failure, at: s.now().toISOString() };
    if (failure?.code === 'permission_missing') Object.assign(connectionUpdate, { status: 'paused', statusReason: 'The connected CRM user lacks a permission the sync needs' });
    if (Object.keys(connectionUpdate).length) await s.db.update(crmConnections).set({ ...connectionUpdate, updatedAt: s.now() }).where(and(eq(crmConnections.id, connectionId), eq(crmConnections.status, 'active')));
    if (!dryRun) {
      await s.emit({ type: status === 'succeeded' ? 'crm_sync.completed' : 'crm_sync.failed', recordId: runId!, data: { connectionId, provider: ref.connection.provider, kind, status, counts, error: failure } });
    }
  });
  return { runId, status, kind, counts, objectCounts, apiCalls: guard.calls, failedCalls: guard.failedCalls, durationMs, error: failure, plan: dryRun ? plan : null };
}
