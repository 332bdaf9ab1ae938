CREATE TABLE "domain_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "domain_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"actor_id" uuid,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_deliveries" (
	"org_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_deliveries_org_id_consumer_event_id_pk" PRIMARY KEY("org_id","consumer","event_id")
);
--> statement-breakpoint
ALTER TABLE "domain_events" ADD CONSTRAINT "domain_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_event_id_domain_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."domain_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "domain_events_seq_uq" ON "domain_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "domain_events_undispatched_idx" ON "domain_events" USING btree ("seq") WHERE dispatched_at is null;--> statement-breakpoint
CREATE INDEX "domain_events_org_time_idx" ON "domain_events" USING btree ("org_id","occurred_at");--> statement-breakpoint
CREATE INDEX "domain_events_record_idx" ON "domain_events" USING btree ("org_id","record_id","seq");--> statement-breakpoint
CREATE INDEX "event_deliveries_event_idx" ON "event_deliveries" USING btree ("event_id");--> statement-breakpoint
-- Hand-written. From here on a new tenant table is made a tenant table with one call: row-level
-- security with the tenant policy, and the app role's grants (including its identity sequences).
CREATE OR REPLACE FUNCTION app_tenant_table(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s TO app_user
    USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
    WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid)$p$, t);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO app_user', t);
  FOR s IN SELECT pg_get_serial_sequence(t::text, a.attname) FROM pg_attribute a
           WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence(t::text, a.attname) IS NOT NULL
  LOOP
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO app_user', s);
  END LOOP;
END $$;
--> statement-breakpoint
SELECT app_tenant_table('domain_events');
--> statement-breakpoint
SELECT app_tenant_table('event_deliveries');
--> statement-breakpoint
-- The application only appends events; the dispatcher (owner role) marks them dispatched.
REVOKE UPDATE, DELETE ON domain_events FROM app_user;
--> statement-breakpoint
-- Every event is announced on the crm_events channel at commit (NOTIFY is transactional), so live
-- streams in any API process follow without polling. Only ids travel: the payload limit is 8000 bytes.
CREATE OR REPLACE FUNCTION domain_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_events', json_build_object(
    'id', NEW.id, 'seq', NEW.seq, 'orgId', NEW.org_id, 'type', NEW.type,
    'recordType', NEW.record_type, 'recordId', NEW.record_id, 'actorId', NEW.actor_id)::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER domain_events_notify AFTER INSERT ON domain_events FOR EACH ROW EXECUTE FUNCTION domain_events_notify();
