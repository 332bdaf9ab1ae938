-- store_risk_scores_changes: upserts deal scores (api/modules/risk/risk-scoring.ts storeRiskScores,
-- one JSON parameter per chunk) and answers every deal whose band changed, with its band and score
-- before, decided under row locks: each change is a deal.risk_changed event. The one definition
-- (migrations 0009 and 0015 hold its history); 0018 added the strengths.
CREATE OR REPLACE FUNCTION store_risk_scores_changes(p_org uuid, p_scores jsonb, p_now timestamptz)
RETURNS TABLE (deal_id uuid, old_band text, old_score double precision)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $fn$
-- The output columns share names with the tables' columns: in the query, names mean columns.
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH x AS (
    SELECT * FROM jsonb_to_recordset(p_scores)
      AS r(deal_id uuid, score double precision, band text, reasons jsonb, strengths jsonb, next_action jsonb, value_cents bigint, owner_id uuid)
  ),
  old AS (
    SELECT dr.deal_id, dr.band, dr.score FROM deal_risk dr JOIN x ON x.deal_id = dr.deal_id WHERE dr.org_id = p_org FOR UPDATE OF dr
  ),
  stored AS (
    INSERT INTO deal_risk (org_id, deal_id, score, band, reasons, strengths, next_action, computed_at, value_cents, owner_id)
    SELECT p_org, x.deal_id, x.score, x.band, x.reasons, coalesce(x.strengths, '[]'::jsonb), x.next_action, p_now, x.value_cents, x.owner_id FROM x
    ON CONFLICT (org_id, deal_id) DO UPDATE SET score = excluded.score, band = excluded.band, reasons = excluded.reasons,
      strengths = excluded.strengths, next_action = excluded.next_action, computed_at = excluded.computed_at,
      value_cents = excluded.value_cents, owner_id = excluded.owner_id
  )
  SELECT x.deal_id, old.band, old.score FROM x LEFT JOIN old ON old.deal_id = x.deal_id WHERE x.band IS DISTINCT FROM old.band;
END $fn$;
