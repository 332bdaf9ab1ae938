// The stored risk score as the API shows it on deals, in the sidebar and in the at-risk lists.
import { z } from 'zod';
import { RiskSettingsPatch, RiskSettingsSchema } from '../risk/settings.ts';
import { Id, Timestamp } from './common.ts';
import { Deal } from './deals.ts';

export const RiskBand = z.enum(['low', 'medium', 'high']);

export const RiskReason = z
  .object({
    code: z.string().meta({ description: 'Stable code: no_reply, stalled_in_stage, close_date_passed, engagement_down, single_threaded, late_stage, high_value' }),
    sentence: z.string().meta({ description: 'Plain sentence with the numbers behind it' }),
    weight: z.number().meta({ description: 'This reason\'s share of the score' }),
    numbers: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RiskReason' });

export const DealRisk = z
  .object({
    score: z.number().min(0).max(1),
    band: RiskBand,
    reasons: z.array(RiskReason).meta({ description: 'Heaviest first; empty when nothing is wrong' }),
    nextAction: z.object({ code: z.string(), sentence: z.string() }),
    computedAt: Timestamp,
  })
  .meta({ id: 'DealRisk' });

export const AtRiskQuery = z.object({
  scope: z.enum(['me', 'team']).default('me').meta({ description: 'me: your deals; team: your team\'s (reps always see only their own)' }),
  minBand: z.enum(['medium', 'high']).default('medium'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const DealRiskExplanation = z
  .object({ dealId: Id, dealName: z.string(), risk: DealRisk.nullable().meta({ description: 'null for won and lost deals' }) })
  .meta({ id: 'DealRiskExplanation' });

// The API answers deals with their stored risk. Kept apart from Deal so clients that build deals
// themselves (the sidebar's optimistic updates) need not invent a score.
export const DealWithRisk = Deal.extend({
  risk: DealRisk.nullable().meta({ description: 'The stored risk score; null for closed deals and deals not scored yet' }),
}).meta({ id: 'DealWithRisk' });

/** An org's risk settings as GET and PATCH /risk/settings answer them. */
export const RiskSettingsView = z
  .object({
    settings: RiskSettingsSchema,
    defaults: RiskSettingsSchema,
    overrides: RiskSettingsPatch,
  })
  .meta({ id: 'RiskSettingsView', description: 'settings: in effect (defaults with the org\'s overrides on top); defaults; overrides: only what the org changed' });

export const RiskSettingsUpdated = RiskSettingsView.extend({
  rescored: z.number().int().meta({ description: 'Open deals rescored with the new settings (0 when nothing changed)' }),
}).meta({ id: 'RiskSettingsUpdated' });

export type RiskSettingsView = z.infer<typeof RiskSettingsView>;
export type DealWithRisk = z.infer<typeof DealWithRisk>;
export type DealRisk = z.infer<typeof DealRisk>;
export type AtRiskQuery = z.infer<typeof AtRiskQuery>;
