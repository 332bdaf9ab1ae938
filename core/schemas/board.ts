// The web app's pipeline board and deal table: the filters every deal list shares, the compact
// card a board shows per deal, bulk actions and the CSV export's query.
import { z } from 'zod';
import { DateOnly, Id, Timestamp, shortText } from './common.ts';
import { dealFilterFields } from './deal-filters.ts';
import { Pipeline } from './pipelines.ts';
import { StageNorm } from './reports.ts';
import { RiskBand } from './risk.ts';
export { dealFilterFields, DealFilters } from './deal-filters.ts';

export const DealBoardQuery = z
  .object({ pipelineId: Id.optional().meta({ description: 'Default: the default pipeline' }), ...dealFilterFields })
  .strict();
export type DealBoardQuery = z.infer<typeof DealBoardQuery>;

export const DealExportQuery = z
  .object({
    pipelineId: Id.optional(),
    status: z.enum(['open', 'won', 'lost', 'all']).default('open'),
    closedSince: DateOnly.optional().meta({ description: 'Won and lost deals only when closed on or after this day (the board\'s closedSince gives exactly the board\'s deals)' }),
    ...dealFilterFields,
  })
  .strict();
export type DealExportQuery = z.infer<typeof DealExportQuery>;

/** A deal as the board and the deal table show it: what a card needs, nothing more. */
export const BoardDeal = z
  .object({
    id: Id,
    name: z.string(),
    companyId: Id.nullable(),
    companyName: z.string().nullable(),
    valueCents: z.number(),
    currency: z.string(),
    pipelineId: Id,
    stage: Id,
    probability: z.number(),
    ownerId: Id.nullable(),
    ownerName: z.string().nullable(),
    expectedCloseDate: z.string().nullable(),
    stageChangedAt: Timestamp,
    outcome: z.enum(['won', 'lost']).nullable(),
    source: z.string().nullable(),
    risk: z
      .object({
        score: z.number(),
        band: RiskBand,
        topReason: z.object({ code: z.string(), sentence: z.string() }).nullable().meta({ description: 'The heaviest reason; null when nothing is wrong' }),
      })
      .nullable()
      .meta({ description: 'The stored risk; null for closed deals and deals not scored yet' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'BoardDeal' });
export type BoardDeal = z.infer<typeof BoardDeal>;

export const DealBoard = z
  .object({
    pipeline: Pipeline,
    deals: z.array(BoardDeal).meta({ description: 'Open deals of the pipeline, and deals closed since closedSince, that match the filters and that you may see' }),
    closedSince: DateOnly.meta({ description: 'Won and lost columns show the deals closed on or after this day' }),
    stageNorms: z.array(StageNorm),
    truncated: z.boolean().meta({ description: 'More deals matched than one board shows (BOARD_LIMIT); narrow the filters' }),
  })
  .meta({ id: 'DealBoard' });
export type DealBoard = z.infer<typeof DealBoard>;

/** At most this many deals on one board answer. */
export const BOARD_LIMIT = 5000;
/** At most this many deals in one bulk action. */
export const BULK_LIMIT = 500;

export const DealBulkAction = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('reassign'), dealIds: z.array(Id).min(1).max(BULK_LIMIT), ownerId: Id }).strict(),
    z
      .object({ action: z.literal('move'), dealIds: z.array(Id).min(1).max(BULK_LIMIT), stage: Id, lostReason: shortText(500).nullable().optional() })
      .strict(),
    z.object({ action: z.literal('delete'), dealIds: z.array(Id).min(1).max(BULK_LIMIT) }).strict(),
  ])
  .meta({ id: 'DealBulkAction' });
export type DealBulkAction = z.infer<typeof DealBulkAction>;

export const DealBulkResult = z
  .object({
    action: z.enum(['reassign', 'move', 'delete']),
    count: z.number().int().meta({ description: 'Deals changed' }),
    deals: z.array(BoardDeal).meta({ description: 'The changed deals as they are now (empty after a delete)' }),
  })
  .meta({ id: 'DealBulkResult' });
export type DealBulkResult = z.infer<typeof DealBulkResult>;
