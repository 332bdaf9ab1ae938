-- Hand-written. CRM sync runs: counts per CRM object next to the totals, what a dry run would do,
-- and at most one queued or running run per connection (the database keeps "one at a time", whichever
-- process or worker starts it).
ALTER TABLE "crm_sync_runs" ADD COLUMN "object_counts" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "crm_sync_runs" ADD COLUMN "plan" jsonb;
--> statement-breakpoint
CREATE UNIQUE INDEX "crm_sync_runs_one_active_uq" ON "crm_sync_runs" USING btree ("org_id","connection_id") WHERE status in ('queued', 'running');
