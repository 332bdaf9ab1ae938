// Stored deal risk: loads what core/risk's scoreDeal needs from the database, scores, and keeps
// deal_risk up to date. Called in the same transaction as every change that can move a score
// (deal fields and stage, activities linked to a deal, logged emails) and by the daily recompute.
// The org's history (won-deal stage durations, reply gaps, values) is stored in org_risk and
// refreshed when a deal closes, so scoring one deal reads only that deal's rows.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { scoreDeal, type RiskScore } from '../../core/risk/score.ts';
import { resolveRiskSettings, type RiskSettings } from '../../core/risk/settings.ts';
import { computeOrgRiskStats, type ClosedDealHistory } from '../../core/risk/stage-stats.ts';
import { isClosedStage, type OrgRiskStats, type RiskActivity, type RiskInput, type RiskStage, type StageChange } from '../../core/risk/types.ts';
import type { DealRisk } from '../../core/schemas/risk.ts';
import type { Tx } from '../../db/client.ts';
import { activities, activityLinks, dealContacts, dealRisk, deals, dealStageHistory, orgRisk, pipelineStages } from '../../db/schema.ts';
import { notifyDealEnteredHighRisk } from './notifications.service.ts';

type DealRow = typeof deals.$inferSelect;
type DealRiskRow = typeof dealRisk.$inferSelect;

/** A deal with everything scoring needs, as loaded (history in full; backtests rewind it). */
export interface LoadedDeal {
  row: DealRow;
  input: Omit<RiskInput, 'stats'>;
  /** When it was won or lost (its last move into a closed stage); null while open. */
  closedAt: Date | null;
}

const toRiskStage = (s: typeof pipelineStages.$inferSelect): RiskStage => ({ id: s.id, name: s.name, position: s.position, isWon: s.isWon, isLost: s.isLost });

/** Loads deals matching `where` (on the deals table) with their stages, history, activities and contact counts: five queries. */
export async function loadDeals(tx: Tx, orgId: string, where: SQL | undefined): Promise<LoadedDeal[]> {
  const rows = await tx.select().from(deals).where(and(eq(deals.orgId, orgId), where));
  if (rows.length === 0) return [];
  const ids = rows.map((d) => d.id);
  const pipelineIds = [...new Set(rows.map((d) => d.pipelineId))];
  const [stages, history, acts, contactCounts] = [
    await tx.select().from(pipelineStages).where(and(eq(pipelineStages.orgId, orgId), inArray(pipelineStages.pipelineId, pipelineIds))),
    await tx
      .select({ dealId: dealStageHistory.dealId, fromStageId: dealStageHistory.fromStageId, toStageId: dealStageHistory.toStageId, changedAt: dealStageHistory.changedAt })
      .from(dealStageHistory)
      .where(and(eq(dealStageHistory.orgId, orgId), inArray(dealStageHistory.dealId, ids)))
      .orderBy(asc(dealStageHistory.changedAt)),
    await tx
      .select({ dealId: activityLinks.dealId, type: activities.type, direction: activities.direction, occurredAt: activities.occurredAt })
      .from(activityLinks)
      .innerJoin(activities, and(eq(activities.id, activityLinks.activityId), eq(activities.orgId, activityLinks.orgId)))
      .where(and(eq(activityLinks.orgId, orgId), inArray(activityLinks.dealId, ids), isNull(activities.deletedAt))),
    await tx
      .select({ dealId: dealContacts.dealId, n: sql<number>`count(*)::int` })
      .from(dealContacts)
      .where(and(eq(dealContacts.orgId, orgId), inArray(dealContacts.dealId, ids)))
      .groupBy(dealContacts.dealId),
  ];
  const stagesByPipeline = groupBy(stages, (s) => s.pipelineId);
  const historyByDeal = groupBy(history, (h) => h.dealId);
  const activitiesByDeal = groupBy(acts, (a) => a.dealId ?? '');
  const contactsByDeal = new Map(contactCounts.map((c) => [c.dealId, Number(c.n)]));

  const loaded: LoadedDeal[] = [];
  for (const d of rows) {
    const pipelineStagesOfDeal = (stagesByPipeline.get(d.pipelineId) ?? []).map(toRiskStage);
    const stage = pipelineStagesOfDeal.find((s) => s.id === d.stageId);
    if (!stage) continue;
    const stageHistory: StageChange[] = (historyByDeal.get(d.id) ?? []).map((h) => ({ fromStageId: h.fromStageId, toStageId: h.toStageId, changedAt: h.changedAt }));
    const riskActivities: RiskActivity[] = (activitiesByDeal.get(d.id) ?? []).map((a) => ({ type: a.type, direction: a.direction, occurredAt: a.occurredAt }));
    loaded.push({
      row: d,
      closedAt: isClosedStage(stage) ? closedAtOf(d, stageHistory, pipelineStagesOfDeal) : null,
      input: {
        deal: {
          id: d.id,
          valueCents: d.valueCents,
          currency: d.currency,
          stage,
          expectedCloseDate: d.expectedCloseDate,
          createdAt: d.createdAt,
          stageChangedAt: d.stageChangedAt,
          contactCount: contactsByDeal.get(d.id) ?? 0,
        },
        pipelineStages: pipelineStagesOfDeal,
        stageHistory,
        activities: riskActivities,
        // Tracking engagement joins here once tracked emails are stored (issue 6).
        engagement: [],
      },
    });
  }
  return loaded;
}

function closedAtOf(d: DealRow, history: StageChange[], stages: RiskStage[]): Date {
  const closedIds = new Set(stages.filter(isClosedStage).map((s) => s.id));
  const last = [...history].reverse().find((h) => closedIds.has(h.toStageId));
  if (last) return last.changedAt;
  return d.actualCloseDate ? new Date(`${d.actualCloseDate}T00:00:00Z`) : d.updatedAt;
}

/** The closed deals of an org, live ones only, with outcome and close time. */
export async function loadClosedDeals(tx: Tx, orgId: string) {
  const loaded = await loadDeals(tx, orgId, and(sql`${deals.outcome} is not null`, isNull(deals.deletedAt)));
  return loaded.filter((d): d is LoadedDeal & { closedAt: Date } => d.closedAt !== null && d.row.outcome !== null);
}

export const closedDealHistory = (d: LoadedDeal & { closedAt: Date }): ClosedDealHistory => ({
  outcome: d.row.outcome!,
  closedAt: d.closedAt,
  valueCents: d.row.valueCents,
  currency: d.row.currency,
  stageHistory: d.input.stageHistory,
  activities: d.input.activities,
});

/** Recomputes and stores the org's history statistics from its closed deals. */
export async function refreshOrgRiskStats(tx: Tx, orgId: string, now = new Date()): Promise<OrgRiskStats> {
  const stats = computeOrgRiskStats((await loadClosedDeals(tx, orgId)).map(closedDealHistory));
  await tx
    .insert(orgRisk)
    .values({ orgId, stats, statsComputedAt: now })
    .onConflictDoUpdate({ target: orgRisk.orgId, set: { stats, statsComputedAt: now } });
  return stats;
}

export interface OrgRiskProfile {
  settings: RiskSettings;
  stats: OrgRiskStats;
}

/** The org's risk settings: the defaults with its overrides on top. */
export async function orgRiskSettings(tx: Tx, orgId: string): Promise<RiskSettings> {
  const [row] = await tx.select({ settings: orgRisk.settings }).from(orgRisk).where(eq(orgRisk.orgId, orgId));
  return resolveRiskSettings(row?.settings ?? {});
}

export async function orgRiskProfile(tx: Tx, orgId: string, now = new Date()): Promise<OrgRiskProfile> {
  const [row] = await tx.select().from(orgRisk).where(eq(orgRisk.orgId, orgId));
  const settings = resolveRiskSettings(row?.settings ?? {});
  const stats = row?.stats ?? (await refreshOrgRiskStats(tx, orgId, now));
  return { settings, stats };
}

/**
 * Scores the given deals (or every open deal of the org) and stores the results; closed and
 * deleted deals lose their score. A deal that enters the high band notifies its owner and their
 * manager, once per transition. Returns the new scores by deal id.
 */
export async function recomputeRisk(
  tx: Tx,
  orgId: string,
  which: { dealIds: string[] } | 'all-open',
  options: { now?: Date; profile?: OrgRiskProfile } = {},
): Promise<Map<string, RiskScore>> {
  const now = options.now ?? new Date();
  const scores = new Map<string, RiskScore>();
  if (which !== 'all-open' && which.dealIds.length === 0) return scores;
  const where = which === 'all-open' ? and(isNull(deals.outcome), isNull(deals.deletedAt)) : inArray(deals.id, [...new Set(which.dealIds)]);
  const loaded = await loadDeals(tx, orgId, where);
  const open = loaded.filter((d) => d.row.deletedAt === null && d.closedAt === null);
  const clear = which === 'all-open' ? [] : which.dealIds.filter((id) => !open.some((d) => d.row.id === id));
  if (clear.length) await tx.delete(dealRisk).where(and(eq(dealRisk.orgId, orgId), inArray(dealRisk.dealId, clear)));
  if (open.length === 0) return scores;

  const profile = options.profile ?? (await orgRiskProfile(tx, orgId, now));
  const ids = open.map((d) => d.row.id);
  // Lock the stored rows so two writers cannot both see "not high yet" and both notify.
  const previous = new Map(
    (await tx.select({ dealId: dealRisk.dealId, band: dealRisk.band }).from(dealRisk).where(and(eq(dealRisk.orgId, orgId), inArray(dealRisk.dealId, ids))).for('update')).map(
      (r) => [r.dealId, r.band],
    ),
  );
  const rows: (typeof dealRisk.$inferInsert)[] = [];
  for (const d of open) {
    const score = scoreDeal({ ...d.input, stats: profile.stats }, profile.settings, now);
    if (!score) continue;
    scores.set(d.row.id, score);
    rows.push({ orgId, dealId: d.row.id, score: score.score, band: score.band, reasons: score.reasons, nextAction: score.nextAction, computedAt: now });
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insert(dealRisk)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [dealRisk.orgId, dealRisk.dealId],
        set: { score: sql`excluded.score`, band: sql`excluded.band`, reasons: sql`excluded.reasons`, nextAction: sql`excluded.next_action`, computedAt: sql`excluded.computed_at` },
      });
  }
  for (const d of open) {
    const score = scores.get(d.row.id);
    if (score?.band === 'high' && previous.get(d.row.id) !== 'high') {
      await notifyDealEnteredHighRisk(tx, orgId, { id: d.row.id, name: d.row.name, ownerId: d.row.ownerId }, score, now);
    }
  }
  return scores;
}

/**
 * The one call services make after changing a deal or something linked to it. A deal that just
 * closed also refreshes the org's history, since won and lost deals define what is normal.
 */
export async function dealsChanged(tx: Tx, orgId: string, dealIds: string[], options: { closed?: boolean } = {}) {
  if (options.closed) await refreshOrgRiskStats(tx, orgId);
  await recomputeRisk(tx, orgId, { dealIds });
}

export function presentRisk(row: DealRiskRow | null | undefined): DealRisk | null {
  if (!row) return null;
  return { score: row.score, band: row.band, reasons: row.reasons, nextAction: row.nextAction, computedAt: row.computedAt.toISOString() };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
