// GET/PATCH /onboarding (the checklist), POST/DELETE /onboarding/sample-data.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { OnboardingPatch, OnboardingState, SampleDataRemoval } from '../../../core/schemas/onboarding.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { loadSampleData, onboardingState, removeSampleData, updateOnboarding } from './onboarding.service.ts';

const tags = ['Onboarding'];

export const onboardingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/onboarding', tags, summary: 'The onboarding checklist: each step done (by the organization\'s state or an admin\'s mark), skipped or to do',
      responses: { 200: jsonContent(OnboardingState, 'The checklist'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, onboardingState), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/onboarding', tags, summary: 'Mark steps done, skipped or to do; put the checklist away or bring it back (admins)',
      request: jsonBody(OnboardingPatch),
      responses: { 200: jsonContent(OnboardingState, 'The checklist'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateOnboarding(s, c.req.valid('json'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/onboarding/sample-data', tags, summary: 'Load sample companies, contacts, deals and activities, marked "(Sample)" (admins)',
      description: 'Deals are scored at once, so the pipeline, at-risk deals and forecast have something to show. 409 when the sample is already loaded.',
      responses: { 201: jsonContent(OnboardingState, 'Loaded'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await inRequestTenant(c, loadSampleData), 201),
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/onboarding/sample-data', tags, summary: 'Remove the sample data in one go (admins)',
      description: 'Deletes every sample record nobody edited since it was loaded; edited ones are kept (and counted in `kept`). Nothing else is touched.',
      responses: { 200: jsonContent(SampleDataRemoval, 'Removed'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, removeSampleData), 200),
  );
