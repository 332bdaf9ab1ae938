// Deal intelligence: stored scores and each organization's risk settings and history.
import type { NextAction, RiskReason, RiskStrength } from '../../core/risk/score.ts';
import type { RiskSettingsPatch } from '../../core/risk/settings.ts';
import type { OrgRiskStats } from '../../core/risk/types.ts';
import {
  bigint,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { deals } from './records.ts';
import { orgId } from './tenancy.ts';

// The stored risk score of each open deal, recomputed when the deal or its activities change (and
// daily for time decay), so lists and the sidebar read it without scoring. Closed deals have none.
export const dealRisk = pgTable(
  'deal_risk',
  {
    orgId: orgId(),
    dealId: uuid('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
    band: text('band', { enum: ['low', 'medium', 'high'] }).notNull(),
    reasons: jsonb('reasons').$type<RiskReason[]>().notNull(),
    nextAction: jsonb('next_action').$type<NextAction>().notNull(),
    // The signs that did not fire, said as what goes well: why a low score is low.
    strengths: jsonb('strengths').$type<RiskStrength[]>().notNull().default([]),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    // The deal's value and owner as of its last scoring (every change to them rescores it), so the
    // at-risk lists are read in order from one index: score, then the bigger deal first.
    valueCents: bigint('value_cents', { mode: 'number' }),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.dealId] }), index('deal_risk_org_rank_idx').on(t.orgId, t.score.desc(), t.valueCents.desc(), t.dealId.desc())],
);

// Per organization: its risk settings (only the overrides of the defaults) and the history the
// score compares deals against (computed from closed deals, refreshed when a deal closes).
export const orgRisk = pgTable('org_risk', {
  orgId: orgId().primaryKey(),
  settings: jsonb('settings').$type<RiskSettingsPatch>().notNull().default({}),
  stats: jsonb('stats').$type<OrgRiskStats>(),
  statsComputedAt: timestamp('stats_computed_at', { withTimezone: true }),
});
