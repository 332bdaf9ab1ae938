CREATE TABLE "email_message_aliases" (
	"org_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"activity_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_message_aliases_org_id_alias_pk" PRIMARY KEY("org_id","alias")
);
--> statement-breakpoint
ALTER TABLE "email_message_aliases" ADD CONSTRAINT "email_message_aliases_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_message_aliases" ADD CONSTRAINT "email_message_aliases_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_message_aliases_activity_idx" ON "email_message_aliases" USING btree ("org_id","activity_id");--> statement-breakpoint
-- Hand-written. A tenant table: row-level security with the tenant policy, and the app role's grants.
SELECT app_tenant_table('email_message_aliases');
