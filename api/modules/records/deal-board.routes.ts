// The board, the deal table's CSV and bulk actions. Mounted before dealRoutes so /deals/board,
// /deals/export and /deals/bulk are never taken for /deals/{id}.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { DealBoard, DealBoardCards, DealBoardCardsQuery, DealBoardQuery, DealBulkAction, DealBulkResult, DealExportQuery } from '../../../core/schemas/board.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { boardCardsPage, bulkDeals, dealBoard, exportDealsCsv } from './deal-board.service.ts';

const tags = ['Deals'];

export const dealBoardRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/deals/board', tags, summary: 'The pipeline board: per stage the count and totals of its deals and its first cards, with each stage\'s norm for days in stage',
      description: 'Open deals of the pipeline and those closed in the last 30 days, filtered like GET /deals; reps see their own. Counts and totals cover every matching deal; each column sends its first `perColumn` cards in `sort` order and a `next` cursor for GET /deals/board/cards.',
      request: { query: DealBoardQuery },
      responses: { 200: jsonContent(DealBoard, 'The board'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => dealBoard(s, c.req.valid('query'))), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/deals/board/cards', tags, summary: 'More cards of a board: a column\'s next page ("Show more", with `stage`), or every column\'s cards for the deal table',
      description: 'The same deals as GET /deals/board with the same filters and sort, after the cursor `after` (a `next` of either answer), at most `limit`.',
      request: { query: DealBoardCardsQuery },
      responses: { 200: jsonContent(DealBoardCards, 'The cards'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => boardCardsPage(s, c.req.valid('query'))), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/deals/export', tags, summary: 'The deals matching the filters as CSV (what the deal table shows)',
      request: { query: DealExportQuery },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV, one deal per line' }, ...errorResponses },
    }),
    async (c) => {
      const csv = await inRequestTenant(c, (s) => exportDealsCsv(s, c.req.valid('query')));
      return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="deals.csv"' });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/deals/bulk', tags, summary: 'Reassign, move or delete many deals at once, all or nothing',
      description: 'Each deal goes through the same checks and effects as PATCH or DELETE /deals/{id}; the first deal refused undoes the others, and the error names it (`details.dealId`). Deleted deals can be restored by an admin for 30 days.',
      request: jsonBody(DealBulkAction),
      responses: { 200: jsonContent(DealBulkResult, 'Done'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => bulkDeals(s, c.req.valid('json'))), 200),
  );
