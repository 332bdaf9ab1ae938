import { z } from 'zod';
import { Currency, Id } from './common.ts';

/** What a report's date range selects, report by report (the same words in the API reference and the app). */
export const reportDateRanges = {
  'pipeline-by-stage': 'open deals expected to close in the range',
  'stage-conversion': 'deals created in the range',
  'days-in-stage': 'deals created in the range',
  'win-rates': 'deals closed in the range',
  'sales-velocity': 'deals closed in the range (open deals: all of today\'s)',
  'activity-counts': 'activities that happened in the range',
  forecast: 'not used: this month and next',
} as const;

function dateRangeNote(bound: string) {
  return `${bound}; per report: ${Object.entries(reportDateRanges).map(([name, what]) => `${name}: ${what}`).join('; ')}`;
}

export const RiskBacktestQuery = z.object({
  daysBeforeClose: z.coerce.number().int().min(1).max(365).default(7).meta({ description: 'Score each closed deal as it stood this many days before its close' }),
  ownerId: z.uuid().optional().meta({ description: 'Only this member\'s closed deals' }),
  teamId: z.uuid().optional().meta({ description: 'Only the closed deals of this team\'s members' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only deals closed from this time (inclusive)' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only deals closed before this time' }),
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
  ownerId: z.uuid().optional().meta({ description: 'Only this member\'s deals and activities (within what your role may see)' }),
  teamId: z.uuid().optional().meta({ description: 'Only the deals and activities of this team\'s members (within what your role may see)' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: dateRangeNote('from this time (inclusive)') }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: dateRangeNote('until this time (exclusive)') }),
}).strict();

export type ReportName = z.infer<typeof ReportName>;
export type ReportQuery = z.infer<typeof ReportQuery>;

// ---- the reports' answers, as JSON ----

const Money = z.number().meta({ description: 'Cents of the report\'s currency' });
const Rate = z.number().nullable().meta({ description: '0..1; null when there is nothing to divide by' });

export const PipelineByStageReport = z
  .object({
    currency: z.string(),
    rows: z.array(z.object({ stageId: Id, stageName: z.string(), deals: z.number().int(), valueCents: Money, weightedValueCents: Money })),
    total: z.object({ deals: z.number().int(), valueCents: Money, weightedValueCents: Money }),
  })
  .meta({ id: 'PipelineByStageReport' });

export const StageConversionReport = z
  .object({
    rows: z.array(
      z.object({
        stageId: Id,
        stageName: z.string(),
        nextStageId: Id.nullable(),
        entered: z.number().int(),
        reachedNext: z.number().int(),
        reachedLater: z.number().int(),
        stillInStage: z.number().int(),
        nextRate: Rate,
        laterRate: Rate,
      }),
    ),
  })
  .meta({ id: 'StageConversionReport' });

export const DaysInStageReport = z
  .object({
    rows: z.array(z.object({ stageId: Id, stageName: z.string(), deals: z.number().int(), averageDays: z.number().nullable(), medianDays: z.number().nullable() })),
  })
  .meta({ id: 'DaysInStageReport' });

const WinRateStats = { won: z.number().int(), lost: z.number().int(), winRate: Rate, wonValueCents: Money, averageDealSizeCents: Money.nullable() };
export const WinRatesReport = z
  .object({
    currency: z.string(),
    byMonth: z.array(z.object({ month: z.string(), ...WinRateStats })),
    byOwner: z.array(z.object({ ownerId: Id.nullable(), ...WinRateStats })),
  })
  .meta({ id: 'WinRatesReport' });

export const SalesVelocityReport = z
  .object({
    currency: z.string(),
    openDeals: z.number().int(),
    averageDealSizeCents: Money.nullable(),
    winRate: Rate,
    averageCycleDays: z.number().nullable(),
    velocityCentsPerDay: Money.nullable(),
  })
  .meta({ id: 'SalesVelocityReport' });

const ActivityTypeCounts = { email: z.number().int(), call: z.number().int(), meeting: z.number().int(), note: z.number().int(), task: z.number().int() };
export const ActivityCountsReport = z
  .object({ rows: z.array(z.object({ ownerId: Id.nullable(), total: z.number().int(), ...ActivityTypeCounts })) })
  .meta({ id: 'ActivityCountsReport' });

const ForecastBucket = { deals: z.number().int(), valueCents: Money, weightedValueCents: Money, adjustedValueCents: Money };
export const ForecastReport = z
  .object({
    currency: z.string(),
    months: z.array(z.object({ month: z.string(), ...ForecastBucket, wonValueCents: Money })),
    overdue: z.object(ForecastBucket),
    withoutCloseDate: z.number().int(),
    winRateByStage: z.array(z.object({ stageId: Id, stageName: z.string(), closed: z.number().int(), won: z.number().int(), winRate: Rate })),
  })
  .meta({ id: 'ForecastReport' });

/** Each report's JSON answer, by name. */
export const reportAnswers = {
  'pipeline-by-stage': PipelineByStageReport,
  'stage-conversion': StageConversionReport,
  'days-in-stage': DaysInStageReport,
  'win-rates': WinRatesReport,
  'sales-velocity': SalesVelocityReport,
  'activity-counts': ActivityCountsReport,
  forecast: ForecastReport,
} as const satisfies Record<ReportName, z.ZodType>;

/** How long deals usually stay in each open stage: the board's amber and red days-in-stage. */
export const StageNorm = z
  .object({
    stageId: Id,
    medianDays: z.number().nullable().meta({ description: 'Median of finished stays in this stage (null: fewer than the minimum sample, no norm)' }),
    stays: z.number().int().meta({ description: 'Finished stays the median is taken over' }),
  })
  .meta({ id: 'StageNorm' });

export type StageNorm = z.infer<typeof StageNorm>;
