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
    weight: z.number().int().min(0).max(100).meta({ description: 'This reason\'s share of the score, in points of the same 0–100 scale (the points add up to the score, which stops at 100)' }),
    numbers: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RiskReason' });

export const RiskStrength = z
  .object({
    code: z.string().meta({ description: 'Stable code: recent_reply, on_pace, multi_threaded, close_date_ahead, engagement_steady' }),
    sentence: z.string().meta({ description: 'Plain sentence with the numbers behind it' }),
    numbers: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RiskStrength' });

export const DealRisk = z
  .object({
    score: z.number().int().min(0).max(100).meta({ description: 'Risk from 0 (nothing wrong) to 100, the one scale everywhere' }),
    band: RiskBand,
    reasons: z.array(RiskReason).meta({ description: 'Heaviest first; empty when nothing is wrong' }),
    strengths: z.array(RiskStrength).meta({ description: 'The warning signs that did not fire, said as what goes well: why a low score is low' }),
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

/** What a change of the risk settings would do to the open deals' bands, before it is saved. */
export const RiskSettingsPreview = z
  .object({
    openDeals: z.number().int().meta({ description: 'Open deals scored' }),
    changed: z.number().int().meta({ description: 'Open deals whose band would change' }),
    bandsNow: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() }),
    bandsAfter: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() }),
    transitions: z.array(z.object({ from: RiskBand.nullable(), to: RiskBand, deals: z.number().int() })).meta({ description: 'Band changes, most common first' }),
    examples: z
      .array(z.object({ dealId: Id, dealName: z.string(), from: RiskBand.nullable(), to: RiskBand, scoreNow: z.number().nullable(), scoreAfter: z.number() }))
      .meta({ description: 'Up to 10 deals that would change band, the largest score moves first' }),
  })
  .meta({ id: 'RiskSettingsPreview' });
export type RiskSettingsPreview = z.infer<typeof RiskSettingsPreview>;
