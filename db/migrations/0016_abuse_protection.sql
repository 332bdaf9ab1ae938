CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_link_hosts" (
	"org_id" uuid NOT NULL,
	"host" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tracking_link_hosts_org_id_host_pk" PRIMARY KEY("org_id","host")
);
--> statement-breakpoint
CREATE TABLE "tracking_protections" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"redirects_suspended_at" timestamp with time zone,
	"suspended_reason" text,
	"messages_per_day" integer,
	"link_hosts_per_day" integer,
	"usage_day" date,
	"registrations" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tracking_link_hosts" ADD CONSTRAINT "tracking_link_hosts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_protections" ADD CONSTRAINT "tracking_protections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_limits_expires_idx" ON "rate_limits" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "tracking_link_hosts_org_seen_idx" ON "tracking_link_hosts" USING btree ("org_id","first_seen_at");--> statement-breakpoint
-- Hand-written. The two tracking tables are tenant tables (row-level security, grants).
SELECT app_tenant_table('tracking_protections');
--> statement-breakpoint
SELECT app_tenant_table('tracking_link_hosts');
--> statement-breakpoint
-- rate_limits stays the owner's: limits are checked outside tenant transactions, and app_user never
-- needs it. Unlogged: a counter need not survive a crash (the limits just start over), and a write
-- to it then waits for no WAL flush, which is most of the cost of a check.
ALTER TABLE "rate_limits" SET UNLOGGED;
--> statement-breakpoint
-- Accounts made by `npm run admin` without a password have no credential of their own:
-- the operator vouched for their address, so they count as verified. Self-registered accounts stay
-- unverified until their owner follows the verification link (or accepts an invitation).
UPDATE "user" SET email_verified = true
WHERE NOT email_verified AND NOT EXISTS (SELECT 1 FROM account a WHERE a.user_id = "user".id AND a.provider_id = 'credential');
