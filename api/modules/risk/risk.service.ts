// Stored deal risk: loads what core/risk's scoreDeal needs from the database, scores, and keeps
// deal_risk up to date. Scoring the deals a change touches stays in that change's transaction
// (deal fields and stage, activities linked to a deal, logged emails): the answer to the change and
// the next read show the new risk. Everything that follows from a new score runs later, in
// consumers of the deal.risk_changed event this writes (the high-risk notification). The org's
// history (won-deal stage durations, reply gaps, values) is stored in org_risk, aggregated in SQL
// (org-risk-stats.ts) by a consumer when a deal closes (at most hourly for a long history) and
// daily, so scoring one deal reads only that deal's rows. The reads and writes of scoring are
// set-based (risk-scoring.ts): one deal or a hundred thousand, the same few statements. Tracked
// emails' counted opens and clicks are its engagement (see engagementOf).
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { scoreDeal, type RiskScore } from '../../../core/risk/score.ts';
import { defaultRiskSettings, resolveRiskSettings, type RiskSettings } from '../../../core/risk/settings.ts';
import type { ClosedDealHistory } from '../../../core/risk/stage-stats.ts';
import {
  isClosedStage,
  type EngagementEvent,
  type OrgRiskStats,
  type RiskActivity,
  type RiskInput,
  type RiskStage,
  type StageChange,
} from '../../../core/risk/types.ts';
import { isPersonActivityType, trackingActivityTypes } from '../../../core/schemas/activities.ts';
import type { DealRisk } from '../../../core/schemas/risk.ts';
import {
  activities,
  activityLinks,
  dealContacts,
  dealRisk,
  deals,
  dealStageHistory,
  orgRisk,
  pipelineStages,
  trackingActivities,
  trackingCounts,
} from '../../../db/schema/index.ts';
import { aggregateOrgRiskStats } from './org-risk-stats.ts';
import { clearRiskScores, dealsToScore, loadStages, readDealsToScore, readScoringInput, storeRiskScores, type DealRows, type WhichDeals } from './risk-scoring.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

type DealRow = typeof deals.$inferSelect;
type DealRiskRow = typeof dealRisk.$inferSelect;

/** A deal with everything scoring needs, as loaded (history in full; backtests rewind it). */
export interface LoadedDeal {
  row: DealRow;
  input: Omit<RiskInput, 'stats'>;
  /** When it was won or lost (its last move into a closed stage); null while open. */
  closedAt: Date | null;
}

const toRiskStage = (stage: typeof pipelineStages.$inferSelect): RiskStage => ({ id: stage.id, name: stage.name, position: stage.position, isWon: stage.isWon, isLost: stage.isLost });

/** Loads deals matching `where` (on the deals table) with their stages, history, activities, contact counts and engagement: six queries. */
export async function loadDeals(s: Scope, where: SQL | undefined): Promise<LoadedDeal[]> {
  const rows = await s.db.select().from(deals).where(where);
  if (rows.length === 0) return [];
  const ids = rows.map((d) => d.id);
  const pipelineIds = [...new Set(rows.map((d) => d.pipelineId))];
  const [stages, history, acts, contactCounts] = [
    await s.db.select().from(pipelineStages).where(and(inArray(pipelineStages.pipelineId, pipelineIds))),
    await s.db
      .select({ dealId: dealStageHistory.dealId, fromStageId: dealStageHistory.fromStageId, toStageId: dealStageHistory.toStageId, changedAt: dealStageHistory.changedAt })
      .from(dealStageHistory)
      .where(and(inArray(dealStageHistory.dealId, ids)))
      // Moves at the same instant in id order, as the SQL aggregates (org-risk-stats.ts) take them.
      .orderBy(asc(dealStageHistory.changedAt), asc(dealStageHistory.id)),
    await s.db
      .select({ dealId: activityLinks.dealId, type: activities.type, direction: activities.direction, occurredAt: activities.occurredAt })
      .from(activityLinks)
      .innerJoin(activities, and(eq(activities.id, activityLinks.activityId), eq(activities.orgId, activityLinks.orgId)))
      .where(and(inArray(activityLinks.dealId, ids), isNull(activities.deletedAt))),
    await s.db
      .select({ dealId: dealContacts.dealId, n: sql<number>`count(*)::int` })
      .from(dealContacts)
      .where(and(inArray(dealContacts.dealId, ids)))
      .groupBy(dealContacts.dealId),
  ];
  const engagementByDeal = groupBy(await engagementOf(s, ids), (e) => e.dealId);
  const stagesByPipeline = groupBy(stages, (stage) => stage.pipelineId);
  const historyByDeal = groupBy(history, (h) => h.dealId);
  const activitiesByDeal = groupBy(acts, (a) => a.dealId ?? '');
  const contactsByDeal = new Map(contactCounts.map((c) => [c.dealId, Number(c.n)]));

  const loaded: LoadedDeal[] = [];
  for (const d of rows) {
    const pipelineStagesOfDeal = (stagesByPipeline.get(d.pipelineId) ?? []).map(toRiskStage);
    const stage = pipelineStagesOfDeal.find((s) => s.id === d.stageId);
    if (!stage) continue;
    const stageHistory: StageChange[] = (historyByDeal.get(d.id) ?? []).map((h) => ({ fromStageId: h.fromStageId, toStageId: h.toStageId, changedAt: h.changedAt }));
    // Tracked opens and clicks are on the timeline too, but they count as engagement, below.
    const riskActivities: RiskActivity[] = (activitiesByDeal.get(d.id) ?? []).flatMap((a) =>
      isPersonActivityType(a.type) ? [{ type: a.type, direction: a.direction, occurredAt: a.occurredAt }] : [],
    );
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
        engagement: (engagementByDeal.get(d.id) ?? []).map((e) => ({ kind: e.kind, at: e.at })),
      },
    });
  }
  return loaded;
}

/**
 * Counted (human) opens and clicks of the tracked emails whose timeline entries are linked to these
 * deals: one event per message, kind, link and UTC day (a prospect reopening a mail ten times in an
 * afternoon engaged once that day), read from the rolled-up counts, which outlive the raw hits.
 */
async function engagementOf(s: Scope, dealIds: string[]): Promise<(EngagementEvent & { dealId: string })[]> {
  const rows = await s.db
    .select({
      dealId: activityLinks.dealId,
      kind: trackingCounts.kind,
      at: sql<Date>`min(${trackingCounts.firstAt})`.mapWith(trackingCounts.firstAt),
    })
    .from(activityLinks)
    .innerJoin(trackingActivities, and(eq(trackingActivities.orgId, activityLinks.orgId), eq(trackingActivities.activityId, activityLinks.activityId)))
    .innerJoin(
      trackingCounts,
      and(eq(trackingCounts.orgId, trackingActivities.orgId), eq(trackingCounts.trackedMessageId, trackingActivities.trackedMessageId), eq(trackingCounts.counts, true)),
    )
    .where(and(inArray(activityLinks.dealId, dealIds), inArray(activityLinks.type, [...trackingActivityTypes])))
    .groupBy(activityLinks.dealId, trackingCounts.trackedMessageId, trackingCounts.kind, trackingCounts.linkIndex, trackingCounts.day);
  return rows.map((r) => ({ dealId: r.dealId!, kind: r.kind, at: r.at }));
}

function closedAtOf(d: DealRow, history: StageChange[], stages: RiskStage[]): Date {
  const closedIds = new Set(stages.filter(isClosedStage).map((stage) => stage.id));
  const last = [...history].reverse().find((h) => closedIds.has(h.toStageId));
  if (last) return last.changedAt;
  return d.actualCloseDate ? new Date(`${d.actualCloseDate}T00:00:00Z`) : d.updatedAt;
}

/** The closed deals of an org, live ones only, with outcome and close time. */
export async function loadClosedDeals(s: Scope) {
  const loaded = await loadDeals(s, and(sql`${deals.outcome} is not null`, isNull(deals.deletedAt)));
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

/** Recomputes and stores the org's history statistics from its closed deals (aggregated in SQL). */
export async function refreshOrgRiskStats(s: Scope): Promise<OrgRiskStats> {
  const stats = await aggregateOrgRiskStats(s);
  const now = s.now();
  await s.db
    .insert(orgRisk)
    .values({ orgId: s.orgId, stats, statsComputedAt: now })
    .onConflictDoUpdate({ target: orgRisk.orgId, set: { stats, statsComputedAt: now } });
  return stats;
}

export interface OrgRiskProfile {
  settings: RiskSettings;
  stats: OrgRiskStats;
}

/** The org's risk settings: the defaults with its overrides on top. */
export async function orgRiskSettings(s: Scope): Promise<RiskSettings> {
  const [row] = await s.db.select({ settings: orgRisk.settings }).from(orgRisk);
  return resolveRiskSettings(row?.settings ?? {});
}

export async function orgRiskProfile(s: Scope): Promise<OrgRiskProfile> {
  const [row] = await s.db.select().from(orgRisk);
  const settings = resolveRiskSettings(row?.settings ?? {});
  const stats = row?.stats ?? (await refreshOrgRiskStats(s));
  return { settings, stats };
}

/**
 * Scores the given deals (or every open deal of the org) as of the scope's time and stores the
 * results; closed and deleted deals lose their score. Every scored deal whose band changed gets a
 * deal.risk_changed event (its consumers notify; a rerun finds the band stored and adds nothing).
 * Returns the new scores by deal id. Set-based (risk-scoring.ts): the same few statements for one
 * deal and for a hundred thousand.
 */
export async function recomputeRisk(s: Scope, which: WhichDeals, options: { profile?: OrgRiskProfile } = {}): Promise<Map<string, RiskScore>> {
  const now = s.now();
  const scores = new Map<string, RiskScore>();
  const ids = which === 'all-open' ? null : [...new Set(which.dealIds)];
  if (ids?.length === 0) return scores;
  let profile: OrgRiskProfile;
  let stagesByPipeline: Map<string, RiskStage[]>;
  let read: DealRows;
  if (ids) {
    // A few deals (every change): one call reads the org's profile, its stages and the deals.
    const input = await readScoringInput(s, ids, { now, defaultWindowDays: defaultRiskSettings.engagementDown.windowDays });
    profile = options.profile ?? { settings: resolveRiskSettings(input.settings), stats: input.stats ?? (await refreshOrgRiskStats(s)) };
    stagesByPipeline = input.stagesByPipeline;
    const windowDays = profile.settings.engagementDown.windowDays;
    read = input.read.windowDays === windowDays ? input.read : await readDealsToScore(s, which, { now, windowDays });
  } else {
    [profile, stagesByPipeline] = await Promise.all([options.profile ?? orgRiskProfile(s), loadStages(s)]);
    read = await readDealsToScore(s, which, { now, windowDays: profile.settings.engagementDown.windowDays });
  }
  const { open, notOpen } = dealsToScore(read, stagesByPipeline);
  await clearRiskScores(s, notOpen);
  if (open.length === 0) return scores;

  // Opens and clicks, for the deals that have tracked emails at all.
  const engagement = await engagementByDeal(s, open.filter((d) => d.tracked).map((d) => d.id));
  const scored: { deal: (typeof open)[number]; risk: RiskScore }[] = [];
  for (const d of open) {
    const risk = scoreDeal({ ...d.input, stats: profile.stats, engagement: engagement.get(d.id) ?? [] }, profile.settings, now);
    if (!risk) continue;
    scores.set(d.id, risk);
    scored.push({ deal: d, risk });
  }
  // A deal's first score is not a change of risk: an imported pipeline must not raise an alert per
  // deal (a new deal's risk travels in its deal.created snapshot). Later moves between bands are.
  const changed = (await storeRiskScores(s, scored)).filter((c) => c.oldBand !== null);
  const byId = new Map(scored.map((x) => [x.deal.id, x]));
  await s.emit(
    ...changed.map((c) => {
      const { deal, risk } = byId.get(c.dealId)!;
      return {
        type: 'deal.risk_changed' as const,
        recordId: deal.id,
        changes: { band: { old: c.oldBand, new: risk.band }, score: { old: c.oldScore, new: risk.score } },
        data: { dealName: deal.name, ownerId: deal.ownerId, valueCents: deal.input.deal.valueCents, currency: deal.input.deal.currency, reasons: risk.reasons, nextAction: risk.nextAction },
      };
    }),
  );
  return scores;
}

/**
 * Every open deal's score under `settings`, as of the scope's time, without storing anything: what
 * a change of the risk settings would do (the settings preview). The same reads as recomputeRisk.
 */
export async function scoreOpenDealsWith(s: Scope, settings: RiskSettings): Promise<{ id: string; name: string; risk: RiskScore }[]> {
  const now = s.now();
  const [{ stats }, stagesByPipeline] = await Promise.all([orgRiskProfile(s), loadStages(s)]);
  const read = await readDealsToScore(s, 'all-open', { now, windowDays: settings.engagementDown.windowDays });
  const { open } = dealsToScore(read, stagesByPipeline);
  const engagement = await engagementByDeal(s, open.filter((d) => d.tracked).map((d) => d.id));
  return open.flatMap((d) => {
    const risk = scoreDeal({ ...d.input, stats, engagement: engagement.get(d.id) ?? [] }, settings, now);
    return risk ? [{ id: d.id, name: d.name, risk }] : [];
  });
}

/** engagementOf for any number of deals (in chunks, to stay within bind-parameter limits), by deal. */
async function engagementByDeal(s: Scope, dealIds: string[]): Promise<Map<string, EngagementEvent[]>> {
  const byDeal = new Map<string, EngagementEvent[]>();
  if (dealIds.length === 0) return byDeal;
  for (let i = 0; i < dealIds.length; i += 5000) {
    for (const e of await engagementOf(s, dealIds.slice(i, i + 5000))) {
      const list = byDeal.get(e.dealId) ?? [];
      list.push({ kind: e.kind, at: e.at });
      byDeal.set(e.dealId, list);
    }
  }
  return byDeal;
}

/** The one call services make after changing a deal or something linked to it: its risk, now. */
export async function dealsChanged(s: Scope, dealIds: string[]) {
  await recomputeRisk(s, { dealIds });
}

/** Won deals behind the stats from which one more close barely moves a median: a long history. */
export const LONG_HISTORY_WON_DEALS = 500;
/** How old a long history's stats may get before a close refreshes them anyway. */
export const LONG_HISTORY_MAX_AGE_MS = 3_600_000;

/**
 * After a deal closes or reopens (the risk-history consumer). A short history is refreshed at once:
 * each close matters. A long one (LONG_HISTORY_WON_DEALS won deals in some stage) at most once an
 * hour, since one more deal moves its medians by a hair and the refresh reads every won deal's
 * history; the daily recompute refreshes every org's stats anyway. Returns whether it refreshed.
 */
export async function refreshOrgRiskStatsIfStale(s: Scope): Promise<boolean> {
  const [row] = await s.db.select({ stats: orgRisk.stats, computedAt: orgRisk.statsComputedAt }).from(orgRisk);
  const wonDeals = Math.max(0, ...Object.values(row?.stats?.wonStageDays ?? {}).map((stat) => stat.wonDeals));
  const fresh = row?.computedAt && s.now().getTime() - row.computedAt.getTime() < LONG_HISTORY_MAX_AGE_MS;
  if (wonDeals >= LONG_HISTORY_WON_DEALS && fresh) return false;
  await refreshOrgRiskStats(s);
  return true;
}

/**
 * Points of the 0–100 scale people read, from the 0..1 (3 decimals) the score is computed and
 * stored in. Halves round up, as Postgres rounds numerics in context_lookup (0.585 → 59, although
 * 0.585 × 100 is 58.4999… in binary).
 */
export const riskPoints = (fraction: number) => Math.round(Number((fraction * 100).toFixed(6)));

/**
 * A stored score as every answer shows it: score and reason weights in points of 0–100 (the one
 * scale of the product), the strengths. db/functions/context-lookup.sql builds the same JSON.
 */
export function presentRisk(row: (Omit<DealRiskRow, 'strengths'> & { strengths?: DealRiskRow['strengths'] }) | null | undefined): DealRisk | null {
  if (!row) return null;
  return {
    score: riskPoints(row.score),
    band: row.band,
    reasons: row.reasons.map((r) => ({ ...r, weight: riskPoints(r.weight) })),
    strengths: row.strengths ?? [],
    nextAction: row.nextAction,
    computedAt: row.computedAt.toISOString(),
  };
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
