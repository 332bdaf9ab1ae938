CREATE TABLE "onboarding" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"steps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dismissed_at" timestamp with time zone,
	"sample_loaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onboarding_sample_records" (
	"org_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"seeded_updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "onboarding_sample_records_org_id_entity_type_entity_id_pk" PRIMARY KEY("org_id","entity_type","entity_id")
);
--> statement-breakpoint
ALTER TABLE "onboarding" ADD CONSTRAINT "onboarding_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_sample_records" ADD CONSTRAINT "onboarding_sample_records_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written. Both are tenant tables (row-level security, grants).
SELECT app_tenant_table('onboarding');
--> statement-breakpoint
SELECT app_tenant_table('onboarding_sample_records');
