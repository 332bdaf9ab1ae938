// Set-based reads and writes for stored risk scores. The deals, their contact counts and their
// activities summarized as core/risk/summary.ts defines it come back from one query, so a deal with
// a thousand emails costs one row: for a few deals (every change) through risk_scoring_input(),
// which also returns the org's profile and stages; for every open deal of an organization (the
// daily recompute, a settings change) through one parallel hash-join query. Scores go back through
// store_risk_scores(), 5,000 deals per call. Both functions are in db/migrations/0013.
import { sql, type SQL } from 'drizzle-orm';
import type { RiskScore, SummarizedRiskInput } from '../../../core/risk/score.ts';
import type { ActivitySummary, TouchCounts } from '../../../core/risk/summary.ts';
import type { RiskSettingsPatch } from '../../../core/risk/settings.ts';
import { DAY_MS, isClosedStage, type OrgRiskStats, type RiskStage } from '../../../core/risk/types.ts';
import { trackingActivityTypes } from '../../../core/schemas/activities.ts';
import { rowsOf } from '../../../db/client.ts';
import { uuidArray, wordArray } from '../../../db/sql-arrays.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export type WhichDeals = { dealIds: string[] } | 'all-open';

/** An open deal ready for scoreDeal, once the org's stats and the deal's engagement are added. */
export interface DealToScore {
  id: string;
  name: string;
  ownerId: string | null;
  input: Omit<SummarizedRiskInput, 'stats' | 'engagement'>;
  /** Whether tracked-email opens or clicks are linked to it (only then is its engagement read). */
  tracked: boolean;
}

interface Row {
  id: string;
  name: string;
  owner_id: string | null;
  value_cents: string | number;
  currency: string;
  pipeline_id: string;
  stage_id: string;
  expected_close_date: string | null;
  created_at: string | Date;
  stage_changed_at: string | Date;
  outcome: string | null;
  deleted_at: string | Date | null;
  contacts: number;
  tracked: number;
  last_touch: string | Date | null;
  // recent window, then the one before: inbound emails, outbound emails, calls, meetings
  r_in: number;
  r_out: number;
  r_call: number;
  r_meet: number;
  p_in: number;
  p_out: number;
  p_call: number;
  p_meet: number;
}

/** Drivers answer timestamps as Date (postgres.js) or text (aggregates on some paths); normalize. */
const toDate = (v: string | Date): Date => (v instanceof Date ? v : new Date(v));

/** The org's pipeline stages, by pipeline, as the score reads them. */
export async function loadStages(s: Scope): Promise<Map<string, RiskStage[]>> {
  return stagesByPipelineOf(rowsOf<StageRow>(await s.db.execute(sql`select id, pipeline_id, name, position, is_won, is_lost from pipeline_stages where org_id = ${s.orgId}`)));
}

/**
 * Everything needed to score a few deals, in one call of risk_scoring_input() (db/migrations/0013,
 * a plan made once): the org's stored settings overrides and history, its stages, and the deals read
 * with the engagement window the org uses (its override, else `defaultWindowDays`).
 */
export async function readScoringInput(s: Scope, dealIds: string[], { now, defaultWindowDays }: { now: Date; defaultWindowDays: number }) {
  const ids = [...new Set(dealIds)];
  const [row] = rowsOf<{ input: ScoringInputJson | string }>(
    await s.db.execute(sql`select risk_scoring_input(${s.orgId}::uuid, ${uuidArray(ids)}, ${now.toISOString()}::timestamptz, ${defaultWindowDays}::integer) as input`),
  );
  const input: ScoringInputJson = typeof row!.input === 'string' ? JSON.parse(row!.input) : row!.input;
  return {
    settings: input.settings,
    stats: input.stats,
    stagesByPipeline: stagesByPipelineOf(input.stages),
    read: { ids, now, windowDays: input.windowDays, rows: input.deals } satisfies DealRows,
  };
}

interface ScoringInputJson {
  settings: RiskSettingsPatch;
  stats: OrgRiskStats | null;
  windowDays: number;
  stages: StageRow[];
  deals: Row[];
}

type StageRow = { id: string; pipeline_id: string; name: string; position: number; is_won: boolean; is_lost: boolean };

function stagesByPipelineOf(rows: readonly StageRow[]): Map<string, RiskStage[]> {
  const stagesByPipeline = new Map<string, RiskStage[]>();
  for (const s of rows) {
    const list = stagesByPipeline.get(s.pipeline_id) ?? [];
    list.push({ id: s.id, name: s.name, position: s.position, isWon: s.is_won, isLost: s.is_lost });
    stagesByPipeline.set(s.pipeline_id, list);
  }
  return stagesByPipeline;
}

/** The deals of `which` as read for scoring as of `now` with engagement windows of `windowDays`. */
export interface DealRows {
  ids: string[] | null;
  now: Date;
  windowDays: number;
  rows: Row[];
}

/** Reads the deals among `which` with their contact counts and activity summaries (one query). */
export async function readDealsToScore(s: Scope, which: WhichDeals, { now, windowDays }: { now: Date; windowDays: number }): Promise<DealRows> {
  const ids = which === 'all-open' ? null : [...new Set(which.dealIds)];
  const recentFrom = new Date(now.getTime() - windowDays * DAY_MS);
  const previousFrom = new Date(now.getTime() - 2 * windowDays * DAY_MS);
  const [n, r, p] = [sql`${now.toISOString()}::timestamptz`, sql`${recentFrom.toISOString()}::timestamptz`, sql`${previousFrom.toISOString()}::timestamptz`];
  const counts = (from: SQL, to: SQL, kind: SQL) => sql`count(*) filter (where a.occurred_at > ${from} and a.occurred_at <= ${to} and ${kind})::int`;
  const inbound = sql`a.type = 'email' and a.direction = 'inbound'`;
  const outbound = sql`a.type = 'email' and a.direction = 'outbound'`;
  // The summary of core/risk/summary.ts, over the rows of activity_links l joined to activities a.
  const summary = sql`
    max(a.occurred_at) filter (where a.occurred_at <= ${n} and (a.type in ('call', 'meeting') or ${inbound})) as last_touch,
    ${counts(r, n, inbound)} as r_in, ${counts(r, n, outbound)} as r_out,
    ${counts(r, n, sql`a.type = 'call'`)} as r_call, ${counts(r, n, sql`a.type = 'meeting'`)} as r_meet,
    ${counts(p, r, inbound)} as p_in, ${counts(p, r, outbound)} as p_out,
    ${counts(p, r, sql`a.type = 'call'`)} as p_call, ${counts(p, r, sql`a.type = 'meeting'`)} as p_meet`;
  const columns = sql`d.id, d.name, d.owner_id, d.value_cents, d.currency, d.pipeline_id, d.stage_id, d.expected_close_date::text as expected_close_date,
    d.created_at, d.stage_changed_at, d.outcome, d.deleted_at`;
  const touches = sql`s.last_touch, coalesce(s.r_in, 0) as r_in, coalesce(s.r_out, 0) as r_out, coalesce(s.r_call, 0) as r_call, coalesce(s.r_meet, 0) as r_meet,
    coalesce(s.p_in, 0) as p_in, coalesce(s.p_out, 0) as p_out, coalesce(s.p_call, 0) as p_call, coalesce(s.p_meet, 0) as p_meet`;
  const open = sql`t.org_id = ${s.orgId} and t.outcome is null and t.deleted_at is null`;
  const trackingTypes = wordArray(trackingActivityTypes);
  let rows: Row[];
  if (ids) {
    // A few deals: index lookups per deal, and a plan quick to make.
    rows = rowsOf<Row>(
      await s.db.execute(sql`
        select ${columns}, (select count(*)::int from deal_contacts dc where dc.org_id = d.org_id and dc.deal_id = d.id) as contacts,
               (select count(*)::int from activity_links e where e.org_id = d.org_id and e.deal_id = d.id and e.type = any(${trackingTypes})) as tracked, ${touches}
        from deals d
        left join lateral (
          select ${summary}
          from activity_links l join activities a on a.org_id = l.org_id and a.id = l.activity_id
          where l.org_id = d.org_id and l.deal_id = d.id and a.deleted_at is null and a.type in ('email', 'call', 'meeting')
        ) s on d.outcome is null and d.deleted_at is null
        where d.org_id = ${s.orgId} and d.id = any(${uuidArray(ids)})`),
    );
  } else {
    // Every open deal: hash joins and aggregates, in parallel (hence no CTEs), with room in memory.
    await s.db.execute(sql`set local work_mem = '64MB'`);
    rows = rowsOf<Row>(
      await s.db.execute(sql`
        select ${columns}, coalesce(c.contacts, 0) as contacts, coalesce(e.tracked, 0) as tracked, ${touches}
        from deals d
        left join (
          select l.deal_id, ${summary}
          from deals t
          join activity_links l on l.org_id = t.org_id and l.deal_id = t.id
          join activities a on a.org_id = l.org_id and a.id = l.activity_id
          where ${open} and a.deleted_at is null and a.type in ('email', 'call', 'meeting')
          group by l.deal_id
        ) s on s.deal_id = d.id
        left join (
          select dc.deal_id, count(*)::int as contacts
          from deals t join deal_contacts dc on dc.org_id = t.org_id and dc.deal_id = t.id
          where ${open}
          group by dc.deal_id
        ) c on c.deal_id = d.id
        left join (
          select e.deal_id, count(*)::int as tracked
          from activity_links e where e.org_id = ${s.orgId} and e.deal_id is not null and e.type = any(${trackingTypes})
          group by e.deal_id
        ) e on e.deal_id = d.id
        where d.org_id = ${s.orgId} and d.outcome is null and d.deleted_at is null`),
    );
  }
  return { ids, now, windowDays, rows };
}

/**
 * The open deals among those read (live, not won or lost), ready to score; and, when ids were
 * given, those that are not open (their stored score goes).
 */
export function dealsToScore({ ids, now, windowDays, rows }: DealRows, stagesByPipeline: Map<string, RiskStage[]>) {
  const scorable: DealToScore[] = [];
  for (const d of rows) {
    const pipelineStages = stagesByPipeline.get(d.pipeline_id) ?? [];
    const stage = pipelineStages.find((s) => s.id === d.stage_id);
    if (!stage || isClosedStage(stage) || d.deleted_at !== null) continue;
    const counted = (i: number, o: number, c: number, m: number): TouchCounts => ({ inboundEmails: i, outboundEmails: o, calls: c, meetings: m, opens: 0, clicks: 0 });
    const activitySummary: ActivitySummary = {
      asOf: now,
      windowDays,
      lastTwoWayTouchAt: d.last_touch === null ? null : toDate(d.last_touch),
      recent: counted(d.r_in, d.r_out, d.r_call, d.r_meet),
      previous: counted(d.p_in, d.p_out, d.p_call, d.p_meet),
    };
    scorable.push({
      id: d.id,
      name: d.name,
      ownerId: d.owner_id,
      tracked: d.tracked > 0,
      input: {
        deal: {
          id: d.id,
          valueCents: Number(d.value_cents),
          currency: d.currency,
          stage,
          expectedCloseDate: d.expected_close_date,
          createdAt: toDate(d.created_at),
          stageChangedAt: toDate(d.stage_changed_at),
          contactCount: d.contacts,
        },
        pipelineStages,
        activitySummary,
      },
    });
  }
  const openIds = new Set(scorable.map((d) => d.id));
  return { open: scorable, notOpen: ids ? ids.filter((id) => !openIds.has(id)) : [] };
}

const CHUNK = 5000;

export interface BandChange {
  dealId: string;
  oldBand: string | null;
  oldScore: number | null;
}

/**
 * Upserts scores, CHUNK deals per call of store_risk_scores_changes() (db/functions/store-risk-scores-changes.sql; one
 * JSON parameter each), and returns the deals whose band changed, decided under row locks.
 */
export async function storeRiskScores(s: Scope, scored: readonly { deal: DealToScore; risk: RiskScore }[]): Promise<BandChange[]> {
  const changed: BandChange[] = [];
  for (let i = 0; i < scored.length; i += CHUNK) {
    const json = JSON.stringify(
      scored.slice(i, i + CHUNK).map(({ deal, risk }) => ({
        deal_id: deal.id, score: risk.score, band: risk.band, reasons: risk.reasons, strengths: risk.strengths, next_action: risk.nextAction, value_cents: deal.input.deal.valueCents, owner_id: deal.ownerId,
      })),
    );
    const rows = rowsOf<{ deal_id: string; old_band: string | null; old_score: number | null }>(
      await s.db.execute(sql`select * from store_risk_scores_changes(${s.orgId}::uuid, ${json}::jsonb, ${s.now().toISOString()}::timestamptz)`),
    );
    for (const r of rows) changed.push({ dealId: r.deal_id, oldBand: r.old_band, oldScore: r.old_score === null ? null : Number(r.old_score) });
  }
  return changed;
}

export async function clearRiskScores(s: Scope, dealIds: string[]) {
  if (dealIds.length) await s.db.execute(sql`delete from deal_risk where org_id = ${s.orgId} and deal_id = any(${uuidArray(dealIds)})`);
}
