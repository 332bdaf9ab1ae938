import { z } from 'zod';
import { Currency } from './common.ts';

export const RiskBacktestQuery = z.object({
  daysBeforeClose: z.coerce.number().int().min(1).max(365).default(7).meta({ description: 'Score each closed deal as it stood this many days before its close' }),
}).strict();

const BandOutcome = z.object({ band: z.enum(['low', 'medium', 'high']), deals: z.number().int(), won: z.number().int(), winRate: z.number().nullable() });
const BacktestResult = z.object({
  auc: z.number().nullable().meta({ description: 'P(a lost deal scored higher than a won one); 0.5 is chance' }),
  n: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  skipped: z.number().int().meta({ description: 'Deals not yet created, or not in an open stage, at the cut-off' }),
  bands: z.array(BandOutcome),
});

export const RiskBacktestReport = z
  .object({
    daysBeforeClose: z.number().int(),
    closedDeals: z.number().int(),
    ours: BacktestResult,
    baseline: BacktestResult.meta({ description: 'The rule-list baseline of core/risk/baseline.ts on the same deals' }),
    oursShuffled: BacktestResult.meta({ description: 'Our score against shuffled outcomes: should be near 0.5' }),
    aucGain: z.number().nullable(),
  })
  .meta({ id: 'RiskBacktestReport' });

export const reportNames = ['pipeline-by-stage', 'stage-conversion', 'days-in-stage', 'win-rates', 'sales-velocity', 'activity-counts', 'forecast'] as const;
export const ReportName = z.enum(reportNames);

export const ReportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  scope: z.enum(['me', 'team']).default('team').meta({ description: 'team: your team\'s numbers (managers in a team) or the organization\'s; reps always get their own' }),
  currency: Currency.default('USD').meta({ description: 'Money reports add up one currency' }),
  pipelineId: z.uuid().optional().meta({ description: 'Default: the default pipeline' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'activity-counts: from this time (inclusive)' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'activity-counts: until this time (exclusive)' }),
}).strict();

export type ReportName = z.infer<typeof ReportName>;
export type ReportQuery = z.infer<typeof ReportQuery>;
