// The team's norm for each open stage: the median of the finished stays there (deal_stage_stays,
// the rollup the days-in-stage report reads), over the whole organization so a rep with few deals
// is measured against the team, not against themselves. Too few stays: no norm (core/deals/stage-age.ts).
import { sql } from 'drizzle-orm';
import { STAGE_NORM_MIN_STAYS } from '../../../core/deals/stage-age.ts';
import type { StageNorm } from '../../../core/schemas/reports.ts';
import { rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export async function stageNorms(s: Scope, pipelineId: string): Promise<StageNorm[]> {
  const rows = rowsOf<{ stage_id: string; stays: number; median: number | null }>(
    await s.db.execute(sql`
      select ps.id as stage_id, count(st.days)::int as stays,
             percentile_cont(0.5) within group (order by st.days)::float8 as median
      from pipeline_stages ps
      left join deal_stage_stays st on st.org_id = ps.org_id and st.pipeline_id = ps.pipeline_id and st.stage_id = ps.id and st.live
      where ps.org_id = ${s.orgId} and ps.pipeline_id = ${pipelineId} and not ps.is_won and not ps.is_lost
      group by ps.id, ps.position
      order by ps.position`),
  );
  return rows.map((r) => ({
    stageId: r.stage_id,
    stays: r.stays,
    medianDays: r.stays >= STAGE_NORM_MIN_STAYS && r.median !== null ? Math.round(r.median * 10) / 10 : null,
  }));
}
