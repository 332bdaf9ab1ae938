-- What deal intelligence needs at 100,000 deals and 2,000,000 activities (npm run
-- bench:risk): the deal's value and owner on its stored score, rollups kept by statement-level
-- triggers (so every writer, services and demo and bench data alike, keeps them right) and two
-- covering indexes. The rollups are plain tables outside db/schema.ts: only
-- api/services/reports.service.ts reads them, with SQL.

-- Generated (db/schema.ts): the at-risk lists in order from one index, score then the bigger deal
-- first. deal_risk keeps the deal's value and owner as of its last scoring (a change to either
-- rescores the deal).
DROP INDEX "deal_risk_org_score_idx";--> statement-breakpoint
ALTER TABLE "deal_risk" ADD COLUMN "value_cents" bigint;--> statement-breakpoint
ALTER TABLE "deal_risk" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "deal_risk" ADD CONSTRAINT "deal_risk_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deal_risk_org_rank_idx" ON "deal_risk" USING btree ("org_id","score" DESC NULLS LAST,"value_cents" DESC NULLS LAST,"deal_id" DESC NULLS LAST);--> statement-breakpoint

-- Hand-written from here on.
UPDATE "deal_risk" r SET "value_cents" = d."value_cents", "owner_id" = d."owner_id" FROM "deals" d WHERE d."org_id" = r."org_id" AND d."id" = r."deal_id";
--> statement-breakpoint
-- Scoring every open deal reads each deal's activity links from this index alone.
CREATE INDEX IF NOT EXISTS "activity_links_deal_cover_idx" ON "activity_links" ("org_id", "deal_id") INCLUDE ("activity_id", "occurred_at", "type") WHERE "deal_id" IS NOT NULL;
--> statement-breakpoint
-- Activity counts between two instants: the partial days at either end are counted from here.
CREATE INDEX IF NOT EXISTS "activities_org_occurred_idx" ON "activities" ("org_id", "occurred_at") INCLUDE ("owner_id", "type") WHERE "deleted_at" IS NULL;
--> statement-breakpoint

-- Everything recomputeRisk reads to score a few deals, in one call with a plan made once: the org's
-- risk settings and history, its stages, and each deal with its contact count, whether tracked
-- emails are linked to it, and its activities summarized as core/risk/summary.ts defines it (the
-- same summary as the set-based read for every open deal in api/services/risk-scoring.ts). The
-- engagement window is the org's override, else p_default_window_days (core's default).
CREATE OR REPLACE FUNCTION risk_scoring_input(p_org uuid, p_deal_ids uuid[], p_now timestamptz, p_default_window_days integer) RETURNS json
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  v_settings jsonb;
  v_stats jsonb;
  v_window integer;
  v_recent timestamptz;
  v_previous timestamptz;
BEGIN
  SELECT o.settings, o.stats INTO v_settings, v_stats FROM org_risk o WHERE o.org_id = p_org;
  v_window := coalesce((v_settings->'engagementDown'->>'windowDays')::integer, p_default_window_days);
  v_recent := p_now - v_window * interval '1 day';
  v_previous := p_now - 2 * v_window * interval '1 day';
  RETURN json_build_object(
    'settings', coalesce(v_settings, '{}'::jsonb),
    'stats', v_stats,
    'windowDays', v_window,
    'stages', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'pipeline_id', s.pipeline_id, 'name', s.name, 'position', s.position, 'is_won', s.is_won, 'is_lost', s.is_lost)), '[]')
               FROM pipeline_stages s WHERE s.org_id = p_org),
    'deals', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT d.id, d.name, d.owner_id, d.value_cents, d.currency, d.pipeline_id, d.stage_id, d.expected_close_date::text AS expected_close_date,
             d.created_at, d.stage_changed_at, d.outcome, d.deleted_at,
             (SELECT count(*)::int FROM deal_contacts dc WHERE dc.org_id = d.org_id AND dc.deal_id = d.id) AS contacts,
             (SELECT count(*)::int FROM activity_links e WHERE e.org_id = d.org_id AND e.deal_id = d.id AND e.type IN ('email_opened', 'email_clicked')) AS tracked,
             t.last_touch, coalesce(t.r_in, 0) AS r_in, coalesce(t.r_out, 0) AS r_out, coalesce(t.r_call, 0) AS r_call, coalesce(t.r_meet, 0) AS r_meet,
             coalesce(t.p_in, 0) AS p_in, coalesce(t.p_out, 0) AS p_out, coalesce(t.p_call, 0) AS p_call, coalesce(t.p_meet, 0) AS p_meet
      FROM deals d
      LEFT JOIN LATERAL (
        SELECT max(a.occurred_at) FILTER (WHERE a.occurred_at <= p_now AND (a.type IN ('call', 'meeting') OR (a.type = 'email' AND a.direction = 'inbound'))) AS last_touch,
               count(*) FILTER (WHERE a.occurred_at > v_recent AND a.occurred_at <= p_now AND a.type = 'email' AND a.direction = 'inbound')::int AS r_in,
               count(*) FILTER (WHERE a.occurred_at > v_recent AND a.occurred_at <= p_now AND a.type = 'email' AND a.direction = 'outbound')::int AS r_out,
               count(*) FILTER (WHERE a.occurred_at > v_recent AND a.occurred_at <= p_now AND a.type = 'call')::int AS r_call,
               count(*) FILTER (WHERE a.occurred_at > v_recent AND a.occurred_at <= p_now AND a.type = 'meeting')::int AS r_meet,
               count(*) FILTER (WHERE a.occurred_at > v_previous AND a.occurred_at <= v_recent AND a.type = 'email' AND a.direction = 'inbound')::int AS p_in,
               count(*) FILTER (WHERE a.occurred_at > v_previous AND a.occurred_at <= v_recent AND a.type = 'email' AND a.direction = 'outbound')::int AS p_out,
               count(*) FILTER (WHERE a.occurred_at > v_previous AND a.occurred_at <= v_recent AND a.type = 'call')::int AS p_call,
               count(*) FILTER (WHERE a.occurred_at > v_previous AND a.occurred_at <= v_recent AND a.type = 'meeting')::int AS p_meet
        FROM activity_links l JOIN activities a ON a.org_id = l.org_id AND a.id = l.activity_id
        WHERE l.org_id = d.org_id AND l.deal_id = d.id AND a.deleted_at IS NULL AND a.type IN ('email', 'call', 'meeting')
      ) t ON d.outcome IS NULL AND d.deleted_at IS NULL
      WHERE d.org_id = p_org AND d.id = ANY(p_deal_ids)
    ) x)
  );
END $fn$;
--> statement-breakpoint

-- Stores scores (a JSON array of {deal_id, score, band, reasons, next_action, value_cents,
-- owner_id}) and returns the deals that entered the high band: stored before as anything else, or
-- not at all. The old bands are read and locked in the same statement, so two writers cannot both
-- see "not high yet" and both notify. A function for the plan made once (one deal per change).
CREATE OR REPLACE FUNCTION store_risk_scores(p_org uuid, p_scores jsonb, p_now timestamptz) RETURNS SETOF uuid
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  RETURN QUERY
  WITH x AS (
    SELECT * FROM jsonb_to_recordset(p_scores)
      AS r(deal_id uuid, score double precision, band text, reasons jsonb, next_action jsonb, value_cents bigint, owner_id uuid)
  ),
  old AS (
    SELECT dr.deal_id, dr.band FROM deal_risk dr JOIN x ON x.deal_id = dr.deal_id WHERE dr.org_id = p_org FOR UPDATE OF dr
  ),
  stored AS (
    INSERT INTO deal_risk (org_id, deal_id, score, band, reasons, next_action, computed_at, value_cents, owner_id)
    SELECT p_org, x.deal_id, x.score, x.band, x.reasons, x.next_action, p_now, x.value_cents, x.owner_id FROM x
    ON CONFLICT (org_id, deal_id) DO UPDATE SET score = excluded.score, band = excluded.band, reasons = excluded.reasons,
      next_action = excluded.next_action, computed_at = excluded.computed_at, value_cents = excluded.value_cents, owner_id = excluded.owner_id
  )
  SELECT x.deal_id FROM x LEFT JOIN old ON old.deal_id = x.deal_id WHERE x.band = 'high' AND old.band IS DISTINCT FROM 'high';
END $fn$;
--> statement-breakpoint

-- Live activities per organization, owner, type and UTC day: the activity-counts report adds up
-- days instead of counting millions of rows.
CREATE TABLE "activity_day_counts" (
	"org_id" uuid NOT NULL REFERENCES "public"."organizations"("id") ON DELETE cascade,
	"owner_id" uuid,
	"type" text NOT NULL,
	"day" date NOT NULL,
	"activities" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "activity_day_counts_uq" ON "activity_day_counts" ("org_id", "owner_id", "type", "day") NULLS NOT DISTINCT;
--> statement-breakpoint
-- Rows that were live leave their day; rows that are live join theirs. Transition tables exist only
-- for the events that have them, hence one function per event.
CREATE OR REPLACE FUNCTION activity_day_counts_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO activity_day_counts AS c (org_id, owner_id, type, day, activities)
  SELECT org_id, owner_id, type, (occurred_at AT TIME ZONE 'UTC')::date, count(*)::int
  FROM new_rows WHERE deleted_at IS NULL
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (org_id, owner_id, type, day) DO UPDATE SET activities = c.activities + excluded.activities;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION activity_day_counts_update_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- An edit that moves nothing (a new subject) nets to zero and writes nothing.
  INSERT INTO activity_day_counts AS c (org_id, owner_id, type, day, activities)
  SELECT org_id, owner_id, type, day, sum(delta)::int
  FROM (
    SELECT org_id, owner_id, type, (occurred_at AT TIME ZONE 'UTC')::date AS day, -1 AS delta FROM old_rows WHERE deleted_at IS NULL
    UNION ALL
    SELECT org_id, owner_id, type, (occurred_at AT TIME ZONE 'UTC')::date, 1 FROM new_rows WHERE deleted_at IS NULL
  ) x
  GROUP BY org_id, owner_id, type, day
  HAVING sum(delta) <> 0
  ON CONFLICT (org_id, owner_id, type, day) DO UPDATE SET activities = c.activities + excluded.activities;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION activity_day_counts_delete_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO activity_day_counts AS c (org_id, owner_id, type, day, activities)
  SELECT org_id, owner_id, type, (occurred_at AT TIME ZONE 'UTC')::date, -count(*)::int
  FROM old_rows WHERE deleted_at IS NULL
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (org_id, owner_id, type, day) DO UPDATE SET activities = c.activities + excluded.activities;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER activity_day_counts_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_insert_trigger();
--> statement-breakpoint
CREATE TRIGGER activity_day_counts_update AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_update_trigger();
--> statement-breakpoint
CREATE TRIGGER activity_day_counts_delete AFTER DELETE ON activities REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_delete_trigger();
--> statement-breakpoint
INSERT INTO activity_day_counts (org_id, owner_id, type, day, activities)
SELECT org_id, owner_id, type, (occurred_at AT TIME ZONE 'UTC')::date, count(*)::int
FROM activities WHERE deleted_at IS NULL
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint

-- Each deal's stage history folded for the reports: its path (the stages of its moves, in order)
-- and the days it spent in each stage it left, next to the deal's report scope (pipeline, owner,
-- outcome, live). Stage conversion, days in stage and the forecast's win rates read these instead
-- of ordering every history row of the pipeline, and of joining every deal, on each request.
CREATE TABLE "deal_stage_paths" (
	"org_id" uuid NOT NULL REFERENCES "public"."organizations"("id") ON DELETE cascade,
	"deal_id" uuid NOT NULL REFERENCES "public"."deals"("id") ON DELETE cascade,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid,
	"outcome" text,
	"live" boolean NOT NULL,
	"stage_ids" uuid[] NOT NULL,
	CONSTRAINT "deal_stage_paths_pk" PRIMARY KEY ("org_id", "deal_id")
);
--> statement-breakpoint
CREATE TABLE "deal_stage_stays" (
	"org_id" uuid NOT NULL REFERENCES "public"."organizations"("id") ON DELETE cascade,
	"deal_id" uuid NOT NULL REFERENCES "public"."deals"("id") ON DELETE cascade,
	"stage_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid,
	"live" boolean NOT NULL,
	"days" double precision NOT NULL,
	CONSTRAINT "deal_stage_stays_pk" PRIMARY KEY ("org_id", "deal_id", "stage_id")
);
--> statement-breakpoint
CREATE INDEX "deal_stage_stays_scope_idx" ON "deal_stage_stays" ("org_id", "pipeline_id", "stage_id") INCLUDE ("owner_id", "live", "days");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_deal_stage_rollups(p_org_ids uuid[], p_deal_ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM deal_stage_paths WHERE org_id = ANY(p_org_ids) AND deal_id = ANY(p_deal_ids);
  DELETE FROM deal_stage_stays WHERE org_id = ANY(p_org_ids) AND deal_id = ANY(p_deal_ids);
  -- A deal being deleted takes its history with it (the join finds no deal): nothing to keep.
  INSERT INTO deal_stage_paths (org_id, deal_id, pipeline_id, owner_id, outcome, live, stage_ids)
  SELECT d.org_id, d.id, d.pipeline_id, d.owner_id, d.outcome, d.deleted_at IS NULL, p.stage_ids
  FROM (
    SELECT org_id, deal_id, array_agg(to_stage_id ORDER BY changed_at, id) AS stage_ids
    FROM deal_stage_history WHERE org_id = ANY(p_org_ids) AND deal_id = ANY(p_deal_ids)
    GROUP BY org_id, deal_id
  ) p
  JOIN deals d ON d.org_id = p.org_id AND d.id = p.deal_id;
  -- Time in each stage the deal left (a return to a stage adds to it), as stageStays counts it.
  INSERT INTO deal_stage_stays (org_id, deal_id, stage_id, pipeline_id, owner_id, live, days)
  SELECT d.org_id, d.id, m.to_stage_id, d.pipeline_id, d.owner_id, d.deleted_at IS NULL, sum(extract(epoch FROM m.left_at - m.changed_at)) / 86400
  FROM (
    SELECT org_id, deal_id, to_stage_id, changed_at, lead(changed_at) OVER (PARTITION BY deal_id ORDER BY changed_at, id) AS left_at
    FROM deal_stage_history WHERE org_id = ANY(p_org_ids) AND deal_id = ANY(p_deal_ids)
  ) m
  JOIN deals d ON d.org_id = m.org_id AND d.id = m.deal_id
  WHERE m.left_at IS NOT NULL
  GROUP BY d.org_id, d.id, m.to_stage_id, d.pipeline_id, d.owner_id, d.deleted_at;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION deal_stage_rollups_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_deal_stage_rollups(array(SELECT DISTINCT org_id FROM new_rows), array(SELECT DISTINCT deal_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION deal_stage_rollups_update_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_deal_stage_rollups(
    array(SELECT org_id FROM old_rows UNION SELECT org_id FROM new_rows),
    array(SELECT deal_id FROM old_rows UNION SELECT deal_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION deal_stage_rollups_delete_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_deal_stage_rollups(array(SELECT DISTINCT org_id FROM old_rows), array(SELECT DISTINCT deal_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deal_stage_rollups_insert AFTER INSERT ON deal_stage_history REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_stage_rollups_insert_trigger();
--> statement-breakpoint
CREATE TRIGGER deal_stage_rollups_update AFTER UPDATE ON deal_stage_history REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_stage_rollups_update_trigger();
--> statement-breakpoint
CREATE TRIGGER deal_stage_rollups_delete AFTER DELETE ON deal_stage_history REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_stage_rollups_delete_trigger();
--> statement-breakpoint
-- A deal that changes owner, pipeline or outcome, or is deleted or restored, moves its rows along.
CREATE OR REPLACE FUNCTION deal_stage_rollups_deal_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE deal_stage_paths r SET pipeline_id = n.pipeline_id, owner_id = n.owner_id, outcome = n.outcome, live = n.deleted_at IS NULL
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r.org_id = n.org_id AND r.deal_id = n.id
    AND (o.pipeline_id, o.owner_id, o.outcome, o.deleted_at IS NULL) IS DISTINCT FROM (n.pipeline_id, n.owner_id, n.outcome, n.deleted_at IS NULL);
  UPDATE deal_stage_stays r SET pipeline_id = n.pipeline_id, owner_id = n.owner_id, live = n.deleted_at IS NULL
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE r.org_id = n.org_id AND r.deal_id = n.id
    AND (o.pipeline_id, o.owner_id, o.deleted_at IS NULL) IS DISTINCT FROM (n.pipeline_id, n.owner_id, n.deleted_at IS NULL);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deal_stage_rollups_deal AFTER UPDATE ON deals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION deal_stage_rollups_deal_trigger();
--> statement-breakpoint
SELECT refresh_deal_stage_rollups(array(SELECT DISTINCT org_id FROM deal_stage_history), array(SELECT DISTINCT deal_id FROM deal_stage_history));
--> statement-breakpoint

-- Row-level security and grants, as for every tenant table.
ALTER TABLE "activity_day_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "activity_day_counts" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "activity_day_counts" TO app_user;--> statement-breakpoint
ALTER TABLE "deal_stage_paths" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "deal_stage_paths" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "deal_stage_paths" TO app_user;--> statement-breakpoint
ALTER TABLE "deal_stage_stays" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "deal_stage_stays" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "deal_stage_stays" TO app_user;
