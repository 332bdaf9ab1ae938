// Deal risk for the sidebar and dashboard, and the org's risk settings. Registered before /deals/{id} so "at-risk" is never
// read as a deal id.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { IdParam } from '../../../core/schemas/common.ts';
import { RiskSettingsPatch } from '../../../core/risk/settings.ts';
import { AtRiskQuery, DealRiskExplanation, DealWithRisk, RiskSettingsPreview, RiskSettingsUpdated, RiskSettingsView } from '../../../core/schemas/risk.ts';
import { BooleanQuery } from '../../../core/schemas/common.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { dealRiskExplanation, dealsAtRisk } from './at-risk.service.ts';
import { getRiskSettings, previewRiskSettings, updateRiskSettings } from './risk-settings.service.ts';

const RiskPreviewQuery = z.object({ replace: BooleanQuery.default(false) }).strict();

export const riskRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/deals/at-risk', tags: ['Deals'], summary: 'Open deals at risk, riskiest first, with reasons',
      description: 'scope=me: your deals; scope=team: your team\'s (managers in a team), everyone\'s (other managers, admins, readonly). Reps always get only their own.',
      request: { query: AtRiskQuery },
      responses: { 200: jsonContent(z.object({ data: z.array(DealWithRisk) }), 'Deals with their risk'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => dealsAtRisk(s, c.req.valid('query'))) as never, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/deals/{id}/risk', tags: ['Deals'], summary: 'Why a deal is at risk: score, band, reasons with their numbers, next action',
      request: { params: IdParam },
      responses: { 200: jsonContent(DealRiskExplanation, 'The explanation'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => dealRiskExplanation(s, c.req.valid('param').id)) as never, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/risk/settings', tags: ['Risk'], summary: 'The organization\'s risk weights and thresholds: in effect, defaults, and its overrides',
      responses: { 200: jsonContent(RiskSettingsView, 'The settings'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => getRiskSettings(s)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/risk/settings', tags: ['Risk'], summary: 'Change some risk settings (admins); open deals are rescored',
      description: 'Fields given replace the stored overrides field by field; the others keep their values. The result must still pass every rule (e.g. bands.medium below bands.high).',
      request: jsonBody(RiskSettingsPatch),
      responses: { 200: jsonContent(RiskSettingsUpdated, 'The settings now in effect'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateRiskSettings(s, c.req.valid('json'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/risk/settings/preview', tags: ['Risk'], summary: 'What a change of the risk settings would do to the open deals\' bands, without saving it (admins)',
      description: 'The body is a patch, merged with the stored overrides as PATCH /risk/settings would; add ?replace=true to preview a PUT. Nothing is stored.',
      request: { query: RiskPreviewQuery, ...jsonBody(RiskSettingsPatch) },
      responses: { 200: jsonContent(RiskSettingsPreview, 'The bands now and after'), ...errorResponses },
    }),
    async (c) => {
      const { replace } = c.req.valid('query');
      return c.json(await inRequestTenant(c, (s) => previewRiskSettings(s, c.req.valid('json'), { replace })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/risk/settings', tags: ['Risk'], summary: 'Replace all risk overrides (admins); {} restores the defaults; open deals are rescored',
      request: jsonBody(RiskSettingsPatch),
      responses: { 200: jsonContent(RiskSettingsUpdated, 'The settings now in effect'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateRiskSettings(s, c.req.valid('json'), { replace: true })), 200),
  );
