// The API contract of /webhooks and /slack: what admins send and what they see.
import { z } from 'zod';
import { Id, requiredText, Timestamp } from '../schemas/common.ts';
import { slackKinds, type NotificationKind } from '../notify/preferences.ts';
import { WebhookEventType } from './events.ts';

const EventTypes = z.array(WebhookEventType).min(1).max(20).refine((t) => new Set(t).size === t.length, 'each event type once');
const Url = z.string().trim().min(1).max(2000);
/** The notification kinds a Slack connection posts (the one catalogue, core/notify/preferences.ts). */
const SlackKind = z.enum(slackKinds as [NotificationKind, ...NotificationKind[]]).meta({ id: 'SlackNotificationKind' });
const SlackKinds = z
  .array(SlackKind)
  .min(1)
  .refine((k) => new Set(k).size === k.length, 'each kind once')
  .meta({ description: 'The notification kinds it posts; the organization defaults decide whether Slack gets a kind at all' });

/** What the admin sees of an endpoint's health. */
const Health = {
  enabled: z.boolean().meta({ description: 'False when paused by an admin or disabled after persistent failure (see disabledReason)' }),
  status: z.enum(['active', 'failing', 'disabled']).meta({ description: 'failing: every attempt since failingSince failed (retries continue); disabled: nothing is sent' }),
  disabledReason: z.string().nullable(),
  failingSince: Timestamp.nullable(),
  lastError: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastSuccessAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const WebhookEndpoint = z
  .object({
    id: Id,
    name: z.string(),
    url: z.string(),
    eventTypes: z.array(WebhookEventType),
    ...Health,
    previousSecretExpiresAt: Timestamp.nullable().meta({ description: 'During a secret rotation: until then deliveries carry signatures with the old and the new secret' }),
  })
  .meta({ id: 'WebhookEndpoint' });

export const WebhookEndpointCreate = z
  .object({ name: requiredText(100), url: Url.meta({ description: 'https (http and localhost only in development with WEBHOOKS_ALLOW_LOCALHOST)' }), eventTypes: EventTypes })
  .strict()
  .meta({ id: 'WebhookEndpointCreate' });

export const WebhookEndpointUpdate = z
  .object({ name: requiredText(100), url: Url, eventTypes: EventTypes, enabled: z.boolean().meta({ description: 'true re-enables a disabled endpoint; its pending deliveries resume' }) })
  .partial()
  .strict()
  .meta({ id: 'WebhookEndpointUpdate' });

export const WebhookSecret = z
  .object({
    secret: z.string().meta({ description: 'whsec_…: verify deliveries with a Standard Webhooks library. Shown only here and at creation: it is sealed at rest' }),
    previousSecretExpiresAt: Timestamp.nullable().meta({ description: 'Until then the previous secret also signs' }),
  })
  .meta({ id: 'WebhookSecret' });

export const WebhookEndpointCreated = WebhookEndpoint.extend({ secret: z.string().meta({ description: 'Shown only now (and after a rotation): it is sealed at rest' }) }).meta({ id: 'WebhookEndpointCreated' });

export const SecretRotation = z
  .object({ overlapHours: z.number().int().min(0).max(168).default(24).meta({ description: 'How long the old secret keeps signing too (0: stop at once)' }) })
  .strict()
  .meta({ id: 'SecretRotation' });

export const DeliveryAttempt = z
  .object({
    attemptedAt: Timestamp,
    statusCode: z.number().int().nullable().meta({ description: 'Null: no answer (refused destination, connection error, timeout)' }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
    responseBody: z.string().nullable(),
  })
  .meta({ id: 'WebhookDeliveryAttempt' });

export const Delivery = z
  .object({
    id: Id,
    eventId: Id.nullable().meta({ description: 'Also the webhook-id header (msg_<eventId>), the same on every retry and redelivery' }),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: Timestamp.nullable(),
    createdAt: Timestamp,
    attemptLog: z.array(DeliveryAttempt).meta({ description: 'Newest first, at most 20' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryListQuery = z
  .object({
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    before: Timestamp.optional().meta({ description: 'Only deliveries created before this time (the next page)' }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

export const DeliveryList = z.object({ data: z.array(Delivery) }).meta({ id: 'WebhookDeliveryList' });

export const SlackConnection = z
  .object({
    id: Id,
    channel: z.string().meta({ description: 'The channel the incoming webhook posts to, as the admin named it' }),
    url: z.string().meta({ description: 'The incoming-webhook URL with its secret part hidden' }),
    kinds: z.array(SlackKind),
    ...Health,
  })
  .meta({ id: 'SlackConnection' });

export const SlackConnectionCreate = z
  .object({ channel: requiredText(100), url: Url.meta({ description: 'https://hooks.slack.com/services/…' }), kinds: SlackKinds })
  .strict()
  .meta({ id: 'SlackConnectionCreate' });

export const SlackConnectionUpdate = z
  .object({ channel: requiredText(100), url: Url, kinds: SlackKinds, enabled: z.boolean() })
  .partial()
  .strict()
  .meta({ id: 'SlackConnectionUpdate' });

export const TestResult = z
  .object({ delivered: z.boolean(), attempt: DeliveryAttempt })
  .meta({ id: 'WebhookTestResult' });

export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;
export type SlackConnection = z.infer<typeof SlackConnection>;
export type Delivery = z.infer<typeof Delivery>;
