CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"created_by" uuid,
	"object" text NOT NULL,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"file_name" text,
	"byte_size" integer NOT NULL,
	"encoding" text NOT NULL,
	"delimiter" text NOT NULL,
	"headers" jsonb NOT NULL,
	"total_rows" integer NOT NULL,
	"mapping" jsonb NOT NULL,
	"duplicates" text DEFAULT 'skip' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"locale" text DEFAULT 'en-US' NOT NULL,
	"limits" jsonb,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"rejected_count" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_chunks" (
	"org_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "import_chunks_org_id_import_id_seq_pk" PRIMARY KEY("org_id","import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_rejections" (
	"org_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"reason" text NOT NULL,
	"cells" jsonb NOT NULL,
	CONSTRAINT "import_rejections_org_id_import_id_row_number_pk" PRIMARY KEY("org_id","import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "import_changes" (
	"org_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" text NOT NULL,
	"previous" jsonb,
	CONSTRAINT "import_changes_org_id_import_id_entity_type_entity_id_pk" PRIMARY KEY("org_id","import_id","entity_type","entity_id")
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_changes" ADD CONSTRAINT "import_changes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_changes" ADD CONSTRAINT "import_changes_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_org_created_idx" ON "imports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "imports_org_status_idx" ON "imports" USING btree ("org_id","status");--> statement-breakpoint
-- Hand-written. All four are tenant tables (row-level security, grants).
SELECT app_tenant_table('imports');
--> statement-breakpoint
SELECT app_tenant_table('import_chunks');
--> statement-breakpoint
SELECT app_tenant_table('import_rejections');
--> statement-breakpoint
SELECT app_tenant_table('import_changes');
--> statement-breakpoint
-- A bulk writer (the CSV import) may defer the per-row search-terms trigger for its own
-- transaction (set_config('app.search_terms', 'deferred', true)) and write the same terms for all
-- its rows in one statement; every other write keeps the trigger as before.
CREATE OR REPLACE FUNCTION contacts_search_terms_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('app.search_terms', true) = 'deferred' THEN
    RETURN NULL;
  END IF;
  PERFORM refresh_contact_search_terms(NEW.id);
  RETURN NULL;
END $$;
