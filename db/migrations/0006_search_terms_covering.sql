DROP INDEX "contact_search_terms_contact_idx";--> statement-breakpoint
CREATE INDEX "contact_search_terms_contact_idx" ON "contact_search_terms" USING btree ("org_id","contact_id","term");--> statement-breakpoint
-- Delete through the tenant-leading index above.
CREATE OR REPLACE FUNCTION refresh_contact_search_terms(p_contact_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_search_terms t USING contacts c
  WHERE c.id = p_contact_id AND t.org_id = c.org_id AND t.contact_id = c.id;
  INSERT INTO contact_search_terms (org_id, contact_id, term)
  SELECT DISTINCT c.org_id, c.id, left(w, 64)
  FROM contacts c
  LEFT JOIN companies co ON co.id = c.company_id
  CROSS JOIN LATERAL regexp_split_to_table(
    lower(concat_ws(' ', c.first_name, c.last_name, c.email, co.name)), '[^[:alnum:]]+') AS w
  WHERE c.id = p_contact_id AND c.deleted_at IS NULL AND w <> ''
  ON CONFLICT DO NOTHING;
END $$;
