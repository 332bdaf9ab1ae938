// The web app's pipeline board and deal table: the filters every deal list shares, the compact
// card a board shows per deal, bulk actions and the CSV export's query.
import { z } from 'zod';
import { DateOnly, Id, Timestamp, shortText } from './common.ts';
import { dealFilterFields } from './deal-filters.ts';
import { Pipeline } from './pipelines.ts';
import { StageNorm } from './reports.ts';
import { RiskBand } from './risk.ts';
export { dealFilterFields, DealFilters } from './deal-filters.ts';

/** The orders a column's cards come in (each then by name, then id, so pages never overlap). */
export const BoardSort = z.enum(['close', 'value', 'risk', 'age', 'name']).meta({
  id: 'BoardSort',
  description: 'close: soonest expected close first (none last); value: biggest first; risk: riskiest first (unscored last); age: longest in its stage first; name: A–Z',
});
export type BoardSort = z.infer<typeof BoardSort>;

/** Cards per column in the board's first answer, unless asked otherwise. */
export const BOARD_COLUMN_PAGE = 25;

const boardScope = {
  pipelineId: Id.optional().meta({ description: 'Default: the default pipeline' }),
  sort: BoardSort.default('close'),
  ...dealFilterFields,
};

export const DealBoardQuery = z
  .object({
    ...boardScope,
    perColumn: z.coerce.number().int().min(0).max(100).default(BOARD_COLUMN_PAGE).meta({ description: 'Cards per column (0: only the columns\' counts and totals)' }),
  })
  .strict();
export type DealBoardQuery = z.infer<typeof DealBoardQuery>;

export const DealBoardCardsQuery = z
  .object({
    ...boardScope,
    after: z.string().max(1000).optional().meta({ description: 'A column\'s `next` (or this answer\'s): the cards after it' }),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
  })
  .strict();
export type DealBoardCardsQuery = z.infer<typeof DealBoardCardsQuery>;

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

/** A column's deals in one currency, summed in SQL over every deal the filters match (not only the cards sent). */
export const BoardColumnTotal = z
  .object({
    currency: z.string(),
    count: z.number().int(),
    valueCents: z.number(),
    weightedCents: z.number().meta({ description: 'Σ value × probability / 100, not rounded' }),
  })
  .meta({ id: 'BoardColumnTotal' });
export type BoardColumnTotal = z.infer<typeof BoardColumnTotal>;

export const BoardColumn = z
  .object({
    stageId: Id,
    count: z.number().int().meta({ description: 'Deals in this column that match the filters, all currencies' }),
    totals: z.array(BoardColumnTotal).meta({ description: 'Per currency, most deals first' }),
    deals: z.array(BoardDeal).meta({ description: 'The first cards in the board\'s sort' }),
    next: z.string().nullable().meta({ description: 'Where the next cards start (GET /deals/board/cards?stage=…&after=…); null: all sent' }),
  })
  .meta({ id: 'BoardColumn' });
export type BoardColumn = z.infer<typeof BoardColumn>;

export const DealBoard = z
  .object({
    pipeline: Pipeline,
    sort: BoardSort,
    columns: z.array(BoardColumn).meta({ description: 'One per stage, in stage order: open deals of the pipeline, and deals closed since closedSince, that match the filters and that you may see' }),
    closedSince: DateOnly.meta({ description: 'Won and lost columns show the deals closed on or after this day' }),
    stageNorms: z.array(StageNorm),
  })
  .meta({ id: 'DealBoard' });
export type DealBoard = z.infer<typeof DealBoard>;

export const DealBoardCards = z
  .object({
    deals: z.array(BoardDeal),
    next: z.string().nullable().meta({ description: 'Pass as `after` for the cards after these; null: no more' }),
  })
  .meta({ id: 'DealBoardCards' });
export type DealBoardCards = z.infer<typeof DealBoardCards>;

/** At most this many cards in one answer of GET /deals/board/cards (the deal table asks for this many). */
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
