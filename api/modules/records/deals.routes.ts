import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../../../core/schemas/common.ts';
import { DealWithRisk } from '../../../core/schemas/risk.ts';
import { DealCreate, DealListQuery, DealUpdate, StageChange } from '../../../core/schemas/deals.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { createDeal, dealHistory, deleteDeal, getDeal, listDeals, restoreDeal, updateDeal } from './deals.service.ts';
import { recordRoutes } from './record-routes.ts';

export const dealRoutes = recordRoutes(
  {
    path: '/deals', tag: 'Deals', noun: 'deal',
    schemas: { item: DealWithRisk, create: DealCreate, update: DealUpdate, query: DealListQuery },
    createDescription: 'Defaults: the default pipeline, its first stage, that stage\'s probability, you as owner. PATCH with a new `stage` moves the deal, records stage history and applies the stage\'s default probability unless `probability` is given; won/lost stages set the outcome and close date.',
  },
  { list: listDeals, create: createDeal, get: getDeal, update: updateDeal, remove: deleteDeal, restore: restoreDeal },
).openapi(
  createRoute({
    method: 'get', path: '/deals/{id}/history', tags: ['Deals'], summary: 'A deal\'s stage history, oldest first',
    request: { params: IdParam },
    responses: { 200: jsonContent(z.object({ data: z.array(StageChange) }), 'Stage changes'), ...errorResponses },
  }),
  async (c) => c.json({ data: await inRequestTenant(c, (s) => dealHistory(s, c.req.valid('param').id)) }, 200),
);
