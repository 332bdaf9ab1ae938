-- Tenancy: the application role, row-level security on every tenant table, grants, and the
-- trigger that keeps contact search terms. Hand-written: drizzle-kit does not emit these.

-- Roles are cluster-wide, so creating one must tolerate a second database in the same cluster.
DO $$ BEGIN
  CREATE ROLE app_user NOLOGIN NOBYPASSRLS NOSUPERUSER;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
--> statement-breakpoint
-- The connecting (owner) user must be able to SET ROLE app_user. Superusers already can.
DO $$ BEGIN
  EXECUTE format('GRANT app_user TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app_user;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_user;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_user;
--> statement-breakpoint
-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE ON audit_log FROM app_user;
--> statement-breakpoint
-- Credentials never reach tenant queries; user rows only as far as the tenant's members.
REVOKE ALL ON session, account, verification FROM app_user;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON "user" FROM app_user;
--> statement-breakpoint
DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
           WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I TO app_user
      USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON organizations TO app_user
  USING (id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- memberships is itself tenant-filtered, so this shows only the current organization's people.
CREATE POLICY tenant_members ON "user" FOR SELECT TO app_user
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = "user".id));
--> statement-breakpoint
-- Byte-wise collation so prefix ranges (term >= 'smi' AND term < 'smj') use the btree index.
ALTER TABLE contact_search_terms ALTER COLUMN term TYPE text COLLATE "C";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_contact_search_terms(p_contact_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_search_terms WHERE contact_id = p_contact_id;
  INSERT INTO contact_search_terms (org_id, contact_id, term)
  SELECT DISTINCT c.org_id, c.id, left(w, 64)
  FROM contacts c
  LEFT JOIN companies co ON co.id = c.company_id
  CROSS JOIN LATERAL regexp_split_to_table(
    lower(concat_ws(' ', c.first_name, c.last_name, c.email, co.name)), '[^[:alnum:]]+') AS w
  WHERE c.id = p_contact_id AND c.deleted_at IS NULL AND w <> ''
  ON CONFLICT DO NOTHING;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION contacts_search_terms_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_contact_search_terms(NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contacts_search_terms AFTER INSERT OR UPDATE OF first_name, last_name, email, company_id, deleted_at
  ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_search_terms_trigger();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION companies_search_terms_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_contact_search_terms(c.id) FROM contacts c WHERE c.company_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER companies_search_terms AFTER UPDATE OF name ON companies
  FOR EACH ROW EXECUTE FUNCTION companies_search_terms_trigger();
