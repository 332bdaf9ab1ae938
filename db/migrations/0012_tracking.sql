CREATE TABLE "sender_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"tracked_message_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracked_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"sender_id" uuid,
	"subject" text,
	"message_id" text,
	"thread_id" text,
	"sent_at" timestamp with time zone NOT NULL,
	"recipient_count" integer NOT NULL,
	"store_identity" boolean NOT NULL,
	"store_exact_time" boolean NOT NULL,
	"recipient_email" text,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"activity_id" uuid,
	"first_human_open_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_activities" (
	"org_id" uuid NOT NULL,
	"tracked_message_id" uuid NOT NULL,
	"link_index" integer NOT NULL,
	"activity_id" uuid NOT NULL,
	CONSTRAINT "tracking_activities_org_id_tracked_message_id_link_index_pk" PRIMARY KEY("org_id","tracked_message_id","link_index")
);
--> statement-breakpoint
CREATE TABLE "tracking_consents" (
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"consented_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "tracking_consents_org_id_email_pk" PRIMARY KEY("org_id","email")
);
--> statement-breakpoint
CREATE TABLE "tracking_counts" (
	"org_id" uuid NOT NULL,
	"tracked_message_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"link_index" integer NOT NULL,
	"class" text NOT NULL,
	"counts" boolean NOT NULL,
	"hits" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tracking_counts_org_id_tracked_message_id_day_kind_link_index_class_counts_pk" PRIMARY KEY("org_id","tracked_message_id","day","kind","link_index","class","counts")
);
--> statement-breakpoint
CREATE TABLE "tracking_hits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tracking_hits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" uuid NOT NULL,
	"tracked_message_id" uuid NOT NULL,
	"recipient_id" uuid,
	"kind" text NOT NULL,
	"link_index" integer,
	"honeypot" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"agent_family" text NOT NULL,
	"agent_vendor" text,
	"ip_prefix" text,
	"network" text,
	"class" text,
	"counts" boolean,
	"confidence" text,
	"reason" text,
	"classified_at" timestamp with time zone,
	"cut_to_day" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_opt_outs" (
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"opted_out_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tracked_message_id" uuid,
	CONSTRAINT "tracking_opt_outs_org_id_email_pk" PRIMARY KEY("org_id","email")
);
--> statement-breakpoint
CREATE TABLE "tracking_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"tracked_message_id" uuid NOT NULL,
	"email" text NOT NULL,
	"contact_id" uuid
);
--> statement-breakpoint
CREATE TABLE "tracking_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"policy" jsonb,
	"retention_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "track_by_default" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sender_views" ADD CONSTRAINT "sender_views_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sender_views" ADD CONSTRAINT "sender_views_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_messages" ADD CONSTRAINT "tracked_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_messages" ADD CONSTRAINT "tracked_messages_sender_id_user_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_messages" ADD CONSTRAINT "tracked_messages_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_activities" ADD CONSTRAINT "tracking_activities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_activities" ADD CONSTRAINT "tracking_activities_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_activities" ADD CONSTRAINT "tracking_activities_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_consents" ADD CONSTRAINT "tracking_consents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_consents" ADD CONSTRAINT "tracking_consents_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_counts" ADD CONSTRAINT "tracking_counts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_counts" ADD CONSTRAINT "tracking_counts_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_hits" ADD CONSTRAINT "tracking_hits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_hits" ADD CONSTRAINT "tracking_hits_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_hits" ADD CONSTRAINT "tracking_hits_recipient_id_tracking_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."tracking_recipients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_opt_outs" ADD CONSTRAINT "tracking_opt_outs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_opt_outs" ADD CONSTRAINT "tracking_opt_outs_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_recipients" ADD CONSTRAINT "tracking_recipients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_recipients" ADD CONSTRAINT "tracking_recipients_tracked_message_id_tracked_messages_id_fk" FOREIGN KEY ("tracked_message_id") REFERENCES "public"."tracked_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_recipients" ADD CONSTRAINT "tracking_recipients_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_settings" ADD CONSTRAINT "tracking_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sender_views_message_idx" ON "sender_views" USING btree ("org_id","tracked_message_id","at");--> statement-breakpoint
CREATE INDEX "tracked_messages_org_message_idx" ON "tracked_messages" USING btree ("org_id","message_id") WHERE message_id is not null;--> statement-breakpoint
CREATE INDEX "tracked_messages_org_thread_idx" ON "tracked_messages" USING btree ("org_id","thread_id") WHERE thread_id is not null;--> statement-breakpoint
CREATE INDEX "tracked_messages_org_sender_idx" ON "tracked_messages" USING btree ("org_id","sender_id","created_at");--> statement-breakpoint
CREATE INDEX "tracking_activities_activity_idx" ON "tracking_activities" USING btree ("org_id","activity_id");--> statement-breakpoint
CREATE INDEX "tracking_hits_message_idx" ON "tracking_hits" USING btree ("org_id","tracked_message_id","at");--> statement-breakpoint
CREATE INDEX "tracking_hits_org_at_idx" ON "tracking_hits" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "tracking_hits_unclassified_idx" ON "tracking_hits" USING btree ("at") WHERE classified_at is null;--> statement-breakpoint
CREATE INDEX "tracking_hits_cut_to_day_idx" ON "tracking_hits" USING btree ("at") WHERE cut_to_day;--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_recipients_message_email_uq" ON "tracking_recipients" USING btree ("org_id","tracked_message_id","email");--> statement-breakpoint
-- Hand-written: row-level security and grants for the new tenant tables (as in 0009). The public
-- pixel/click endpoints have no tenant: their hits are written as the owner (api/services/tracking-hits.service.ts).
ALTER TABLE "tracking_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_settings" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_settings" TO app_user;--> statement-breakpoint
ALTER TABLE "tracked_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracked_messages" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracked_messages" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_recipients" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_recipients" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_recipients" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_hits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_hits" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_hits" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_counts" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_counts" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_activities" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_activities" TO app_user;--> statement-breakpoint
ALTER TABLE "sender_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "sender_views" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "sender_views" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_opt_outs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_opt_outs" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_opt_outs" TO app_user;--> statement-breakpoint
ALTER TABLE "tracking_consents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "tracking_consents" TO app_user
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tracking_consents" TO app_user;
