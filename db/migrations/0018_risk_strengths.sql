-- What speaks for each deal (core/risk/score.ts strengths) is stored beside its reasons, so the
-- sidebar can say why a score is low. store_risk_scores_changes() writes it: its definition now
-- lives in db/functions/store-risk-scores-changes.sql (applied after the migrations).
ALTER TABLE "deal_risk" ADD COLUMN "strengths" jsonb DEFAULT '[]'::jsonb NOT NULL;
