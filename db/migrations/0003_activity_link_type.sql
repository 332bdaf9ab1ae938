ALTER TABLE "activity_links" ADD COLUMN "type" text;--> statement-breakpoint
UPDATE "activity_links" l SET "type" = a."type" FROM "activities" a WHERE a."id" = l."activity_id";--> statement-breakpoint
ALTER TABLE "activity_links" ALTER COLUMN "type" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "activity_links_contact_tasks_idx" ON "activity_links" USING btree ("org_id","contact_id") WHERE type = 'task' and contact_id is not null;--> statement-breakpoint
CREATE INDEX "activity_links_company_tasks_idx" ON "activity_links" USING btree ("org_id","company_id") WHERE type = 'task' and company_id is not null;--> statement-breakpoint
CREATE INDEX "activity_links_deal_tasks_idx" ON "activity_links" USING btree ("org_id","deal_id") WHERE type = 'task' and deal_id is not null;
