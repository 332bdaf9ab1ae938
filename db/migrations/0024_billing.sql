CREATE TABLE "org_billing" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"plan" text DEFAULT 'free' NOT NULL,
	"trial_ends_at" timestamp with time zone,
	"stripe_customer_id" text,
	"stripe_subscription_id" text,
	"subscription_status" text,
	"seats_paid" integer,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"next_invoice_amount" integer,
	"currency" text,
	"payment_failed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_webhook_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_billing" ADD CONSTRAINT "org_billing_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_webhook_events" ADD CONSTRAINT "billing_webhook_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "org_billing_customer_uq" ON "org_billing" USING btree ("stripe_customer_id");--> statement-breakpoint
-- Hand-written. Both are tenant tables (row-level security, grants).
SELECT app_tenant_table('org_billing');
--> statement-breakpoint
SELECT app_tenant_table('billing_webhook_events');
--> statement-breakpoint
-- Organizations that existed before plans get the same 14-day Pro trial as a new sign-up, counted
-- from this migration: nobody falls to Free the day billing arrives.
INSERT INTO "org_billing" ("org_id", "plan", "trial_ends_at")
SELECT id, 'free', now() + interval '14 days' FROM "organizations"
ON CONFLICT DO NOTHING;
