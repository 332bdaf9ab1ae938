CREATE TABLE "crm_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"auth_kind" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"instance_url" text,
	"external_account_id" text,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"access_token_expires_at" timestamp with time zone,
	"tokens_refreshed_at" timestamp with time zone,
	"status_reason" text,
	"last_error" jsonb,
	"api_usage" jsonb,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"connected_by" uuid,
	"connected_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_oauth_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"state_hash" text NOT NULL,
	"code_verifier" text,
	"redirect_uri" text NOT NULL,
	"created_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_external_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"record_type" text NOT NULL,
	"local_id" uuid NOT NULL,
	"external_object" text NOT NULL,
	"external_id" text NOT NULL,
	"baseline" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"crm_modified_at" timestamp with time zone,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_in_crm_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "crm_sync_checkpoints" (
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"external_object" text NOT NULL,
	"phase" text NOT NULL,
	"cursor" jsonb,
	"modified_up_to" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_sync_checkpoints_org_id_connection_id_external_object_pk" PRIMARY KEY("org_id","connection_id","external_object")
);
--> statement-breakpoint
CREATE TABLE "crm_field_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"record_type" text NOT NULL,
	"local_field" text NOT NULL,
	"crm_field" text NOT NULL,
	"ownership" text NOT NULL,
	"crm_field_snapshot" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"paused_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"record_type" text NOT NULL,
	"local_id" uuid NOT NULL,
	"external_object" text NOT NULL,
	"external_id" text NOT NULL,
	"field" text NOT NULL,
	"inbox_value" jsonb,
	"crm_value" jsonb,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_value" jsonb,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{"created":0,"updated":0,"deleted":0,"skipped":0,"conflicts":0,"errors":0}'::jsonb NOT NULL,
	"api_calls" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"log" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_connected_by_user_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_oauth_states" ADD CONSTRAINT "crm_oauth_states_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_oauth_states" ADD CONSTRAINT "crm_oauth_states_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_external_links" ADD CONSTRAINT "crm_external_links_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_external_links" ADD CONSTRAINT "crm_external_links_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_sync_checkpoints" ADD CONSTRAINT "crm_sync_checkpoints_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_sync_checkpoints" ADD CONSTRAINT "crm_sync_checkpoints_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_field_mappings" ADD CONSTRAINT "crm_field_mappings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_field_mappings" ADD CONSTRAINT "crm_field_mappings_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_conflicts" ADD CONSTRAINT "crm_conflicts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_conflicts" ADD CONSTRAINT "crm_conflicts_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_conflicts" ADD CONSTRAINT "crm_conflicts_resolved_by_user_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_sync_runs" ADD CONSTRAINT "crm_sync_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_sync_runs" ADD CONSTRAINT "crm_sync_runs_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crm_connections_org_provider_uq" ON "crm_connections" USING btree ("org_id","provider");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_oauth_states_hash_uq" ON "crm_oauth_states" USING btree ("state_hash");--> statement-breakpoint
CREATE INDEX "crm_oauth_states_org_idx" ON "crm_oauth_states" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_external_links_external_uq" ON "crm_external_links" USING btree ("org_id","connection_id","external_object","external_id");--> statement-breakpoint
CREATE INDEX "crm_external_links_local_idx" ON "crm_external_links" USING btree ("org_id","record_type","local_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_field_mappings_field_uq" ON "crm_field_mappings" USING btree ("org_id","connection_id","record_type","local_field");--> statement-breakpoint
CREATE INDEX "crm_conflicts_open_idx" ON "crm_conflicts" USING btree ("org_id","connection_id","status","created_at");--> statement-breakpoint
CREATE INDEX "crm_sync_runs_connection_idx" ON "crm_sync_runs" USING btree ("org_id","connection_id","started_at");--> statement-breakpoint
-- Hand-written. Every CRM table is a tenant table (row-level security, grants).
SELECT app_tenant_table('crm_connections');
--> statement-breakpoint
SELECT app_tenant_table('crm_oauth_states');
--> statement-breakpoint
SELECT app_tenant_table('crm_external_links');
--> statement-breakpoint
SELECT app_tenant_table('crm_sync_checkpoints');
--> statement-breakpoint
SELECT app_tenant_table('crm_field_mappings');
--> statement-breakpoint
SELECT app_tenant_table('crm_conflicts');
--> statement-breakpoint
SELECT app_tenant_table('crm_sync_runs');
