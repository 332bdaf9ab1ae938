// /slack/connections: the organization's Slack incoming webhooks (admins), one per channel, each
// with the notification kinds it posts (api/modules/slack/slack.channel.ts); "send test message". Delivery, retries and failure tracking are the
// webhooks module's (one table, kind 'slack'): a URL Slack stops accepting (revoked, archived
// channel) shows here as disabled with Slack's error.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { IdParam } from '../../../core/schemas/common.ts';
import { SlackConnection, SlackConnectionCreate, SlackConnectionUpdate, TestResult } from '../../../core/webhooks/schemas.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { createEndpoint, deleteEndpoint, findEndpoint, listEndpoints, presentSlack, updateEndpoint } from '../webhooks/endpoints.service.ts';
import { outboundOf, sendTest } from '../webhooks/webhooks.routes.ts';

const tags = ['Slack'];
const ConnectionList = z.object({ data: z.array(SlackConnection) }).meta({ id: 'SlackConnectionList' });

export const slackRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({ method: 'get', path: '/slack/connections', tags, summary: 'Slack connections (admins)', responses: { 200: jsonContent(ConnectionList, 'Connections'), ...errorResponses } }),
    async (c) => c.json({ data: (await inRequestTenant(c, (s) => listEndpoints(s, 'slack'))).map((row) => presentSlack(row, outboundOf(c).secrets)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/slack/connections', tags, summary: 'Connect a channel through a Slack incoming webhook URL (admins)',
      request: jsonBody(SlackConnectionCreate),
      responses: { 201: jsonContent(SlackConnection, 'The connection'), ...errorResponses },
    }),
    async (c) => {
      const { channel, url, kinds } = c.req.valid('json');
      const { row } = await inRequestTenant(c, (s) => createEndpoint(s, 'slack', { name: channel, url, eventTypes: kinds }, outboundOf(c)));
      return c.json(presentSlack(row, outboundOf(c).secrets), 201);
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/slack/connections/{id}', tags, summary: 'One connection and its health', request: { params: IdParam }, responses: { 200: jsonContent(SlackConnection, 'The connection'), ...errorResponses } }),
    async (c) => c.json(presentSlack(await inRequestTenant(c, (s) => findEndpoint(s, 'slack', c.req.valid('param').id)), outboundOf(c).secrets), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/slack/connections/{id}', tags, summary: 'Change a connection; `enabled: true` re-enables one Slack had refused',
      request: { params: IdParam, ...jsonBody(SlackConnectionUpdate) },
      responses: { 200: jsonContent(SlackConnection, 'The connection'), ...errorResponses },
    }),
    async (c) => {
      const { channel, kinds, ...rest } = c.req.valid('json');
      const patch = { ...rest, ...(channel !== undefined ? { name: channel } : {}), ...(kinds !== undefined ? { eventTypes: kinds } : {}) };
      return c.json(presentSlack(await inRequestTenant(c, (s) => updateEndpoint(s, 'slack', c.req.valid('param').id, patch, outboundOf(c))), outboundOf(c).secrets), 200);
    },
  )
  .openapi(
    createRoute({ method: 'delete', path: '/slack/connections/{id}', tags, summary: 'Disconnect a channel', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      await inRequestTenant(c, (s) => deleteEndpoint(s, 'slack', c.req.valid('param').id));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/slack/connections/{id}/test', tags, summary: 'Post a test message to the channel now and answer what Slack said',
      request: { params: IdParam },
      responses: { 200: jsonContent(TestResult, 'The attempt'), ...errorResponses },
    }),
    async (c) => c.json(await sendTest(c, 'slack', c.req.valid('param').id), 200),
  );
