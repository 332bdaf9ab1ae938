// The org history the score compares deals with (core/risk/stage-stats.ts's computeOrgRiskStats),
// aggregated by the database: medians of won deals' stage stays, buyer-touch gaps and values come
// back as a few rows instead of every closed deal with every activity. computeOrgRiskStats stays
// the definition (the backtest uses it as of past dates); a test holds the two to the same numbers.
import { sql } from 'drizzle-orm';
import type { OrgRiskStats, StageNorm } from '../../../core/risk/types.ts';
import { rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function aggregateOrgRiskStats(s: Scope): Promise<OrgRiskStats> {
  // Live deals won and in a closed stage (as loadClosedDeals reads them), with their close time:
  // the last move into a closed stage, else the close date, else the last update.
  const won = sql`
    won as (
      select d.id, coalesce(
               (select max(h.changed_at) from deal_stage_history h join pipeline_stages cs on cs.id = h.to_stage_id and (cs.is_won or cs.is_lost)
                where h.org_id = d.org_id and h.deal_id = d.id),
               d.actual_close_date::timestamp at time zone 'UTC', d.updated_at) as closed_at,
             d.value_cents, d.currency
      from deals d join pipeline_stages s on s.id = d.stage_id and (s.is_won or s.is_lost)
      where d.org_id = ${s.orgId} and d.outcome = 'won' and d.deleted_at is null
    )`;
  const stages = rowsOf<{ stage_id: string; median_days: number; deals: number }>(
    await s.db.execute(sql`
      with ${won},
      moves as (
        select h.deal_id, h.to_stage_id, h.changed_at,
               lead(h.changed_at) over (partition by h.deal_id order by h.changed_at, h.id) as left_at
        from deal_stage_history h join won w on w.id = h.deal_id
        where h.org_id = ${s.orgId}
      ),
      stays as (
        select deal_id, to_stage_id, sum(extract(epoch from left_at - changed_at)) as seconds
        from moves where left_at is not null group by deal_id, to_stage_id
      )
      select to_stage_id as stage_id, percentile_cont(0.5) within group (order by seconds / 86400.0) as median_days, count(*)::int as deals
      from stays group by to_stage_id
    `),
  );
  const [gaps] = rowsOf<{ median_gap: number | null }>(
    await s.db.execute(sql`
      with ${won},
      touch_days as (
        select distinct l.deal_id, floor(extract(epoch from a.occurred_at) / 86400) as day
        from won w
        join activity_links l on l.org_id = ${s.orgId} and l.deal_id = w.id
        join activities a on a.org_id = l.org_id and a.id = l.activity_id
        where a.deleted_at is null and a.occurred_at <= w.closed_at
          and (a.type in ('call', 'meeting') or (a.type = 'email' and a.direction = 'inbound'))
      ),
      gaps as (select day - lag(day) over (partition by deal_id order by day) as gap from touch_days)
      select percentile_cont(0.5) within group (order by gap) as median_gap from gaps where gap is not null
    `),
  );
  const values = rowsOf<{ currency: string; median: number }>(
    await s.db.execute(sql`with ${won} select currency, percentile_cont(0.5) within group (order by value_cents) as median from won group by currency`),
  );

  const wonStageDays: Record<string, StageNorm> = {};
  for (const s of stages) wonStageDays[s.stage_id] = { medianDays: round1(Number(s.median_days)), wonDeals: s.deals };
  const medianWonValueCents: Record<string, number> = {};
  for (const v of values) medianWonValueCents[v.currency] = Math.round(Number(v.median));
  const gap = gaps?.median_gap ?? null;
  return { wonStageDays, replyGapNormDays: gap === null ? null : round1(Number(gap)), medianWonValueCents };
}
