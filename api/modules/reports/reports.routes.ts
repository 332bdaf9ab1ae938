// Reports for managers and reps: the risk backtest and the pipeline reports.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { forbidden } from '../../../core/errors.ts';
import { z } from 'zod';
import { reportAnswers, ReportQuery, reportNames, RiskBacktestQuery, RiskBacktestReport } from '../../../core/schemas/reports.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { riskBacktest } from '../risk/backtest.service.ts';
import { ownersForReport } from './report-owners.ts';
import { runReport } from './reports.service.ts';

export const reportRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: 'get', path: '/reports/risk-backtest', tags: ['Reports'], summary: 'How well the risk score separated won from lost deals (managers and admins)',
    description: 'Each closed deal is scored as it stood `daysBeforeClose` days before closing, by our score and by a rule-list baseline; AUC and win rate per band for both, and our AUC with shuffled outcomes as a sanity check.',
    request: { query: RiskBacktestQuery },
    responses: { 200: jsonContent(RiskBacktestReport, 'Both backtests side by side'), ...errorResponses },
  }),
  async (c) => {
    const actor = c.var.actor;
    if (actor.role !== 'admin' && actor.role !== 'manager') throw forbidden('Only managers and admins can run the risk backtest');
    const { daysBeforeClose, ownerId, teamId, from, to } = c.req.valid('query');
    return c.json(
      await inRequestTenant(c, async (s) =>
        riskBacktest(s, {
          daysBeforeClose,
          // Without an owner or team filter the backtest measures the score on the whole organization.
          owners: ownerId || teamId ? await ownersForReport(s, { ownerId, teamId }) : null,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        }),
      ),
      200,
    );
  },
);

// One route per report (not /reports/{name}) so each is documented and an unknown name is a 404.
for (const name of reportNames) {
  reportRoutes.openapi(
    createRoute({
      method: 'get', path: `/reports/${name}`, tags: ['Reports'], summary: `Report: ${name}, as JSON or CSV (?format=csv)`,
      description: 'Reps get their own numbers; a manager in a team the team\'s; other managers, admins and readonly members the organization\'s.',
      request: { query: ReportQuery },
      responses: {
        200: { content: { 'application/json': { schema: reportAnswers[name] }, 'text/csv': { schema: z.string() } }, description: 'The report' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const report = await inRequestTenant(c, (s) => runReport(s, name, query));
      if (query.format === 'csv') {
        return c.body(report.csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"` });
      }
      return c.json(report.json as Record<string, unknown>, 200);
    },
  );
}
