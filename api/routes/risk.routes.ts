// Deal risk for the sidebar and dashboard. Registered before /deals/{id} so "at-risk" is never
// read as a deal id.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../../core/schemas/common.ts';
import { AtRiskQuery, DealRiskExplanation, DealWithRisk } from '../../core/schemas/risk.ts';
import { withTenant } from '../../db/tenant.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, jsonContent } from '../openapi.ts';
import { dealRiskExplanation, dealsAtRisk } from '../services/at-risk.service.ts';

export const riskRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/deals/at-risk', tags: ['Deals'], summary: 'Open deals at risk, riskiest first, with reasons',
      description: 'scope=me: your deals; scope=team: your team\'s (managers in a team), everyone\'s (other managers, admins, readonly). Reps always get only their own.',
      request: { query: AtRiskQuery },
      responses: { 200: jsonContent(z.object({ data: z.array(DealWithRisk) }), 'Deals with their risk'), ...errorResponses },
    }),
    async (c) => c.json(await withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => dealsAtRisk(tx, c.var.actor, c.req.valid('query'))) as never, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/deals/{id}/risk', tags: ['Deals'], summary: 'Why a deal is at risk: score, band, reasons with their numbers, next action',
      request: { params: IdParam },
      responses: { 200: jsonContent(DealRiskExplanation, 'The explanation'), ...errorResponses },
    }),
    async (c) => c.json(await withTenant(c.var.deps.db, c.var.actor.orgId, (tx) => dealRiskExplanation(tx, c.var.actor, c.req.valid('param').id)) as never, 200),
  );
