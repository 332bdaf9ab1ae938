DROP INDEX "companies_org_domain_uq";--> statement-breakpoint
DROP INDEX "contacts_org_email_uq";--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "domain_normalized" text GENERATED ALWAYS AS (lower(domain)) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_normalized" text GENERATED ALWAYS AS (lower(email)) STORED NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_org_domain_uq" ON "companies" USING btree ("org_id","domain_normalized") WHERE deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_org_email_uq" ON "contacts" USING btree ("org_id","email_normalized") WHERE deleted_at is null;