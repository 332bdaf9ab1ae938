// /webhooks: customers' endpoints (admins), their delivery log, redelivery, secret rotation and
// the test event. The payload of every event is documented under the OpenAPI document's
// `webhooks`, from the same schemas (core/webhooks/events.ts).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../../core/errors.ts';
import { IdParam } from '../../../core/schemas/common.ts';
import { webhookEventTypes, webhookPayloadSchema } from '../../../core/webhooks/events.ts';
import {
  DeliveryList,
  DeliveryListQuery,
  Delivery,
  SecretRotation,
  TestResult,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointUpdate,
  WebhookSecret,
} from '../../../core/webhooks/schemas.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { sendClaimed, type OutboundSettings } from './delivery-sender.ts';
import {
  createEndpoint,
  createTestDelivery,
  deleteEndpoint,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  presentWebhook,
  redeliver,
  rotateSecret,
  updateEndpoint,
  type EndpointKind,
} from './endpoints.service.ts';

/** Configured by the server (api/start.ts): without it there is no keyring to seal credentials with, so nothing is stored. */
export const outboundOf = (c: Context<AppEnv>): OutboundSettings => {
  const settings = c.var.deps.webhooks;
  if (!settings) throw new AppError('UNAVAILABLE', 'Webhooks and Slack are not configured on this server');
  return settings;
};

/** "Send test event" / "Send test message": one attempt now, logged like any other, answered with its result. */
export async function sendTest(c: Context<AppEnv>, kind: EndpointKind, id: string) {
  const settings = outboundOf(c);
  const { delivery, endpoint } = await inRequestTenant(c, (s) => createTestDelivery(s, kind, id, settings.timeoutMs + 30_000));
  const { outcome, result } = await sendClaimed(
    { ...settings, db: c.var.deps.db, clock: c.var.deps.clock, log: c.var.deps.log, publicUrl: c.var.deps.publicUrl },
    {
      id: delivery.id, orgId: delivery.orgId, endpointId: endpoint.id, eventId: null, type: delivery.type, body: delivery.body, attempts: 0, firstAttemptAt: null,
      kind, url: endpoint.url, secret: endpoint.secret, previousSecret: endpoint.previousSecret, previousSecretExpiresAt: endpoint.previousSecretExpiresAt,
    },
  );
  return {
    delivered: outcome === 'delivered',
    attempt: { attemptedAt: new Date().toISOString(), statusCode: result.statusCode, durationMs: result.durationMs, error: result.error, responseBody: result.responseBody.slice(0, 500) || null },
  };
}

const tags = ['Webhooks'];
const EndpointList = z.object({ data: z.array(WebhookEndpoint) }).meta({ id: 'WebhookEndpointList' });

export const webhookRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({ method: 'get', path: '/webhooks', tags, summary: 'Webhook endpoints (admins)', responses: { 200: jsonContent(EndpointList, 'Endpoints'), ...errorResponses } }),
    async (c) => c.json({ data: (await inRequestTenant(c, (s) => listEndpoints(s, 'webhook'))).map(presentWebhook) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/webhooks', tags, summary: 'Add an endpoint (admins); its signing secret is in the answer',
      request: jsonBody(WebhookEndpointCreate),
      responses: { 201: jsonContent(WebhookEndpointCreated, 'The endpoint and its secret'), ...errorResponses },
    }),
    async (c) => {
      const { row, secret } = await inRequestTenant(c, (s) => createEndpoint(s, 'webhook', c.req.valid('json'), outboundOf(c)));
      return c.json({ ...presentWebhook(row), secret: secret! }, 201);
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/webhooks/{id}', tags, summary: 'One endpoint and its health', request: { params: IdParam }, responses: { 200: jsonContent(WebhookEndpoint, 'The endpoint'), ...errorResponses } }),
    async (c) => c.json(presentWebhook(await inRequestTenant(c, (s) => findEndpoint(s, 'webhook', c.req.valid('param').id))), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/webhooks/{id}', tags, summary: 'Change an endpoint; `enabled: true` re-enables a disabled one and resumes its held deliveries',
      request: { params: IdParam, ...jsonBody(WebhookEndpointUpdate) },
      responses: { 200: jsonContent(WebhookEndpoint, 'The endpoint'), ...errorResponses },
    }),
    async (c) => c.json(presentWebhook(await inRequestTenant(c, (s) => updateEndpoint(s, 'webhook', c.req.valid('param').id, c.req.valid('json'), outboundOf(c)))), 200),
  )
  .openapi(
    createRoute({ method: 'delete', path: '/webhooks/{id}', tags, summary: 'Delete an endpoint and its delivery log', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      await inRequestTenant(c, (s) => deleteEndpoint(s, 'webhook', c.req.valid('param').id));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/webhooks/{id}/rotate-secret', tags, summary: 'Make a new signing secret (shown this once); the old one also signs until the overlap ends',
      request: { params: IdParam, ...jsonBody(SecretRotation) },
      responses: { 200: jsonContent(WebhookSecret, 'The new secret, and when the old one stops signing'), ...errorResponses },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(await inRequestTenant(c, (s) => rotateSecret(s, id, c.req.valid('json').overlapHours, outboundOf(c).secrets)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/webhooks/{id}/deliveries', tags, summary: 'The delivery log, newest first, with every attempt\'s status code, time taken and error',
      request: { params: IdParam, query: DeliveryListQuery },
      responses: { 200: jsonContent(DeliveryList, 'Deliveries'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listDeliveries(s, 'webhook', c.req.valid('param').id, c.req.valid('query'))) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/webhooks/deliveries/{id}/redeliver', tags, summary: 'Send a delivered or given-up delivery again (same body and webhook-id)',
      request: { params: IdParam },
      responses: { 202: jsonContent(Delivery, 'Queued: the sender posts it within a second'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => redeliver(s, c.req.valid('param').id)), 202),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/webhooks/{id}/test', tags, summary: 'Send a signed test event (type webhook.test) now and answer what the endpoint said',
      request: { params: IdParam },
      responses: { 200: jsonContent(TestResult, 'The attempt'), ...errorResponses },
    }),
    async (c) => c.json(await sendTest(c, 'webhook', c.req.valid('param').id), 200),
  );

const signatureHeaders = z.object({
  'webhook-id': z.string().meta({ description: 'msg_<event id>: the same on retries and redeliveries; deduplicate on it' }),
  'webhook-timestamp': z.string().meta({ description: 'Unix seconds of this attempt; reject old ones to stop replays' }),
  'webhook-signature': z.string().meta({ description: 'Space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>; two during a secret rotation' }),
});

for (const type of webhookEventTypes) {
  webhookRoutes.openAPIRegistry.registerWebhook({
    method: 'post',
    path: type,
    tags,
    summary: `${type}: posted to endpoints subscribed to it, signed per Standard Webhooks`,
    request: { headers: signatureHeaders, body: { content: { 'application/json': { schema: webhookPayloadSchema(type) } }, required: true } },
    responses: { 200: { description: 'Any 2xx acknowledges; 410 disables the endpoint; anything else is retried with back-off for about three days' } },
  });
}
