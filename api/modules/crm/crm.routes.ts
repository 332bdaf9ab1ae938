// /api/v1/crm: an organization's CRM connections (admins only).
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { IdParam } from '../../../core/schemas/common.ts';
import {
  CrmConflict,
  CrmConflictList,
  CrmConflictParams,
  CrmConflictResolve,
  CrmConflictsQuery,
  CrmConnection,
  CrmConnectionList,
  CrmConnectOptions,
  CrmDirectConnect,
  CrmFieldList,
  CrmFieldsQuery,
  CrmOAuthCallbackQuery,
  CrmOAuthStart,
  CrmOAuthStarted,
  CrmSyncRequest,
  CrmSyncRun,
  CrmSyncRunList,
} from '../../../core/schemas/crm.ts';
import { AppError } from '../../../core/errors.ts';
import { CrmSyncError } from '../../../core/sync/errors.ts';
import type { AppEnv } from '../../env.ts';
import { presentConnection } from '../../integrations/connections.ts';
import { withCrmAccess } from '../../integrations/credentials.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import {
  connectOptions,
  consumeOAuthState,
  crmDepsOf,
  crmFailure,
  disconnectConnection,
  exchangeOAuthCode,
  getConnection,
  listConnections,
  saveDirectToken,
  saveOAuthGrant,
  startOAuth,
  storeApiUsage,
  verifyDirectToken,
} from './crm.service.ts';
import { runConnectionSync } from './sync-run.ts';
import { findOpenConflict, getRun, listConflicts, listRuns, requestSync, resolveConflict, stageMapForConflict } from './sync.service.ts';

const tags = ['CRM'];

export const crmRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/crm/providers', tags, summary: 'The ways to connect each CRM on this server (admins)',
      responses: { 200: jsonContent(CrmConnectOptions, 'Per CRM: OAuth, direct token, sandbox'), ...errorResponses },
    }),
    (c) => c.json(connectOptions(c.var.actor, crmDepsOf(c.var.deps)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/connections', tags, summary: 'The organization\'s CRM connections (admins); never their tokens',
      responses: { 200: jsonContent(CrmConnectionList, 'The connections'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listConnections(s)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/crm/connections', tags, summary: 'Connect a CRM with a token (admins): a HubSpot private app token, or a Salesforce instance URL and access token',
      description: 'The token is checked with one call to the CRM before it is stored (encrypted). Connecting a CRM that is already connected replaces its tokens.',
      request: jsonBody(CrmDirectConnect),
      responses: { 201: jsonContent(CrmConnection, 'Connected'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const crm = crmDepsOf(c.var.deps);
      const verified = await verifyDirectToken(c.var.actor, crm, input);
      return c.json(presentConnection(await inRequestTenant(c, (s) => saveDirectToken(s, crm, input, verified))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/connections/{id}', tags, summary: 'One CRM connection (admins)',
      request: { params: IdParam },
      responses: { 200: jsonContent(CrmConnection, 'The connection'), ...errorResponses },
    }),
    async (c) => c.json(presentConnection(await inRequestTenant(c, (s) => getConnection(s, c.req.valid('param').id))), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/crm/connections/{id}/check', tags, summary: 'Check that the CRM still accepts the connection, renewing an expired token (admins)',
      description: 'A CRM that revoked the grant marks the connection needs_reconnecting (409), pauses its sync and notifies the admins.',
      request: { params: IdParam },
      responses: { 200: jsonContent(CrmConnection, 'The connection, with the API usage the CRM reported'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const crm = crmDepsOf(c.var.deps);
      const { db, clock } = c.var.deps;
      const row = await inRequestTenant(c, (s) => getConnection(s, id));
      try {
        const { apiUsage } = await withCrmAccess({ db, clock, crm }, row.orgId, id, ({ provider, endpoints, access }) => provider.verify(endpoints, access));
        return c.json(await inRequestTenant(c, (s) => storeApiUsage(s, id, apiUsage)), 200);
      } catch (error) {
        if (error instanceof CrmSyncError) throw crmFailure(crm.providers[row.provider], error, 'the check');
        throw error;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/connections/{id}/fields', tags, summary: 'The CRM\'s own fields for companies, contacts or deals, with their types (admins)',
      request: { params: IdParam, query: CrmFieldsQuery },
      responses: { 200: jsonContent(CrmFieldList, 'The fields, by label'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { recordType } = c.req.valid('query');
      const crm = crmDepsOf(c.var.deps);
      const row = await inRequestTenant(c, (s) => getConnection(s, id));
      try {
        const fields = await withCrmAccess({ db: c.var.deps.db, clock: c.var.deps.clock, crm }, row.orgId, id, ({ provider, endpoints, access }) => provider.listFields(endpoints, access, recordType));
        return c.json({ data: fields }, 200);
      } catch (error) {
        if (error instanceof CrmSyncError) throw crmFailure(crm.providers[row.provider], error, 'listing its fields');
        throw error;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/crm/connections/{id}', tags, summary: 'Disconnect a CRM (admins): its tokens are removed',
      request: { params: IdParam },
      responses: { 200: jsonContent(CrmConnection, 'Disconnected'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => disconnectConnection(s, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/crm/oauth/start', tags, summary: 'Start connecting a CRM with OAuth (admins): where to send the browser',
      request: jsonBody(CrmOAuthStart),
      responses: { 200: jsonContent(CrmOAuthStarted, 'The CRM\'s consent page'), ...errorResponses },
    }),
    async (c) => {
      const crm = crmDepsOf(c.var.deps);
      return c.json(await inRequestTenant(c, (s) => startOAuth(s, crm, c.var.deps.publicUrl, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/oauth/callback', tags, summary: 'Where the CRM sends the admin\'s browser back after consent',
      description: 'The state must be one this admin started in the last ten minutes and not used yet.',
      request: { query: CrmOAuthCallbackQuery },
      responses: { 200: jsonContent(CrmConnection, 'Connected'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const crm = crmDepsOf(c.var.deps);
      const taken = await inRequestTenant(c, (s) => consumeOAuthState(s, crm, query.state));
      const exchanged = await exchangeOAuthCode(crm, taken, query, c.var.deps.clock());
      return c.json(presentConnection(await inRequestTenant(c, (s) => saveOAuthGrant(s, crm, taken, exchanged))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/connections/{id}/runs', tags, summary: 'The connection\'s sync runs, newest first, with their counts, API calls and errors (admins)',
      request: { params: IdParam },
      responses: { 200: jsonContent(CrmSyncRunList, 'The last 50 runs'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listRuns(s, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/crm/connections/{id}/sync', tags, summary: 'Sync now, or a dry run of what a sync would change (admins)',
      description: 'Sync now queues a run that starts within a minute (202); one queued or running run per connection (409 otherwise). A dry run reads the CRM now and answers what would be created, updated, deleted or journaled, writing nothing but its run-log entry (200).',
      request: { params: IdParam, ...jsonBody(CrmSyncRequest) },
      responses: { 200: jsonContent(CrmSyncRun, 'The dry run, with its plan'), 202: jsonContent(CrmSyncRun, 'The queued run'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { dryRun } = c.req.valid('json');
      if (!dryRun) {
        const queued = await inRequestTenant(c, (s) => requestSync(s, id));
        // Start it at once where this process runs the jobs; else the every-minute job takes it.
        await c.var.deps.jobs?.queue('crm-sync', { orgId: c.var.actor.orgId }).catch(() => undefined);
        return c.json(queued, 202);
      }
      const crm = crmDepsOf(c.var.deps);
      const row = await inRequestTenant(c, (s) => getConnection(s, id));
      if (row.status !== 'active') throw new AppError('CONFLICT', `The ${row.provider} connection is ${row.status.replace('_', ' ')}`);
      const result = await runConnectionSync({ db: c.var.deps.db, clock: c.var.deps.clock, crm }, row.orgId, id, { dryRun: true });
      if (!result) throw new AppError('CONFLICT', 'A sync of this connection is already queued or running');
      return c.json(await inRequestTenant(c, (s) => getRun(s, result.runId)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/crm/connections/{id}/conflicts', tags, summary: 'The conflict journal: changes on both sides the rules could not decide, with both values (admins)',
      request: { params: IdParam, query: CrmConflictsQuery },
      responses: { 200: jsonContent(CrmConflictList, 'Conflicts, newest first'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => listConflicts(s, c.req.valid('param').id, c.req.valid('query').status)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/crm/connections/{id}/conflicts/{conflictId}/resolve', tags, summary: 'Resolve a conflict: keep the CRM\'s value or the app\'s (admins)',
      request: { params: CrmConflictParams, ...jsonBody(CrmConflictResolve) },
      responses: { 200: jsonContent(CrmConflict, 'Resolved'), ...conflictResponse, ...errorResponses },
    }),
    async (c) => {
      const { id, conflictId } = c.req.valid('param');
      const { resolution } = c.req.valid('json');
      const crm = crmDepsOf(c.var.deps);
      const row = await inRequestTenant(c, (s) => findOpenConflict(s, id, conflictId));
      const connection = await inRequestTenant(c, (s) => getConnection(s, id));
      const stageOf = resolution === 'keep_crm' ? await stageMapForConflict({ db: c.var.deps.db, clock: c.var.deps.clock, crm }, row, connection.settings, (work) => inRequestTenant(c, work)) : null;
      return c.json(await inRequestTenant(c, async (s) => resolveConflict(s, await findOpenConflict(s, id, conflictId), resolution, stageOf)), 200);
    },
  );
