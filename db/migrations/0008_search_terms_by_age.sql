ALTER TABLE "contact_search_terms" ADD COLUMN "contact_created_at" timestamp with time zone;--> statement-breakpoint
UPDATE "contact_search_terms" t SET "contact_created_at" = c."created_at" FROM "contacts" c WHERE c."id" = t."contact_id";--> statement-breakpoint
ALTER TABLE "contact_search_terms" ALTER COLUMN "contact_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_search_terms" DROP CONSTRAINT "contact_search_terms_org_id_term_contact_id_pk";--> statement-breakpoint
ALTER TABLE "contact_search_terms" ADD CONSTRAINT "contact_search_terms_org_id_term_contact_created_at_contact_id_pk" PRIMARY KEY("org_id","term","contact_created_at","contact_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_contact_search_terms(p_contact_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_search_terms t USING contacts c
  WHERE c.id = p_contact_id AND t.org_id = c.org_id AND t.contact_id = c.id;
  INSERT INTO contact_search_terms (org_id, contact_id, term, contact_created_at)
  SELECT DISTINCT c.org_id, c.id, left(w, 64), c.created_at
  FROM contacts c
  LEFT JOIN companies co ON co.id = c.company_id
  CROSS JOIN LATERAL regexp_split_to_table(
    lower(concat_ws(' ', c.first_name, c.last_name, c.email, co.name)), '[^[:alnum:]]+') AS w
  WHERE c.id = p_contact_id AND c.deleted_at IS NULL AND w <> ''
  ON CONFLICT DO NOTHING;
END $$;
