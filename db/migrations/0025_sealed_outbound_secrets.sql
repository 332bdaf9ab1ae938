-- Hand-written. Slack is a channel of the notification dispatcher: a Slack connection's
-- event_types now hold notification kinds (core/notify/preferences.ts) instead of public webhook
-- event types. Deal events map to their kinds; others had no Slack kind and are dropped (a
-- connection left with none gets the high-risk alerts, which every connection posted by default).
UPDATE "webhook_endpoints" e SET "event_types" = coalesce((
  SELECT jsonb_agg(DISTINCT m.kind) FROM jsonb_array_elements_text(e."event_types") t(type)
  JOIN (VALUES ('deal.created', 'deal_created'), ('deal.stage_changed', 'deal_stage_changed'), ('deal.at_risk', 'deal_high_risk'),
               ('deal.closed_won', 'deal_won'), ('deal.closed_lost', 'deal_lost')) m(type, kind) ON m.type = t.type
), '["deal_high_risk"]'::jsonb)
WHERE e."kind" = 'slack';
--> statement-breakpoint
-- Slack messages still waiting name their kind too (the sender renders them by kind).
UPDATE "webhook_deliveries" d SET "body" = jsonb_set(d."body"::jsonb, '{type}', to_jsonb(m.kind))::text
FROM "webhook_endpoints" e,
  (VALUES ('deal.created', 'deal_created'), ('deal.stage_changed', 'deal_stage_changed'), ('deal.at_risk', 'deal_high_risk'),
          ('deal.closed_won', 'deal_won'), ('deal.closed_lost', 'deal_lost')) m(type, kind)
WHERE e."id" = d."endpoint_id" AND e."kind" = 'slack' AND d."status" = 'pending' AND d."type" = m.type;
--> statement-breakpoint
-- New deliveries are announced on the webhook_deliveries channel at commit, once per statement, so
-- the sender posts them at once instead of at its next poll (which stays, as the safety net).
CREATE OR REPLACE FUNCTION webhook_deliveries_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('webhook_deliveries', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_notify AFTER INSERT ON webhook_deliveries FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_notify();
