// Open and click tracking for signed-in callers: the consent decision and registration around
// sending, the send report, the sender's own views, summaries, thread labels, and settings.
// The public pixel, click and opt-out paths are in tracking-public.routes.ts.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Email, IdParam, Timestamp } from '../../../core/schemas/common.ts';
import {
  SenderViewCreate,
  SentCopyReport,
  TrackedMessageCreate,
  TrackedMessageList,
  TrackedMessageListQuery,
  TrackedMessageRegistration,
  TrackedMessageSent,
  TrackedMessageSummary,
  TrackedThreadStateList,
  TrackedThreadStateQuery,
  TrackingConsentUpdate,
  TrackingDecision,
  TrackingDecisionQuery,
  TrackingSettings,
  TrackingSettingsUpdate,
} from '../../../core/schemas/tracking.ts';
import { notFound } from '../../../core/errors.ts';
import type { AppEnv, TrackingDeps } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { recordSenderViews, registerTrackedMessage, reportSent, trackingDecision } from './tracking.service.ts';
import { getTrackingSettings, setTrackingConsent, updateTrackingSettings } from './tracking-settings.service.ts';
import { trackedSummaries, trackedThreadStates } from './tracking-summaries.service.ts';
import { recordSentCopy } from './sent-copies.service.ts';

const tags = ['Tracking'];

const TrackingConsent = z
  .object({ email: Email, consented: z.boolean(), consentedAt: Timestamp.nullable() })
  .meta({ id: 'TrackingConsent' });

export function trackingRoutes(tracking: TrackingDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post', path: '/tracking/decision', tags, summary: 'Would a message to these recipients be tracked, and what would be recorded',
        description: 'What the compose toggle shows. Nothing is stored.',
        request: jsonBody(TrackingDecisionQuery),
        responses: { 200: jsonContent(TrackingDecision, 'The decision and its sentence'), ...errorResponses },
      }),
      async (c) => c.json(await inRequestTenant(c, (s) => trackingDecision(s, c.req.valid('json'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/tracking/messages', tags, summary: 'Register a message right before sending it: the body with the pixel and signed links',
        description:
          '201 when the message is tracked. 200 with `trackedMessageId: null` and the body unchanged when the consent decision says no (the reason is in `decision`): send it as it is. ' +
          'Its links redirect only once the message is reported sent. 403 when the operator suspended the organization\'s tracked links; 429 past the organization\'s daily quota of tracked messages or of new link hosts.',
        request: jsonBody(TrackedMessageCreate),
        responses: {
          201: jsonContent(TrackedMessageRegistration, 'Tracked: send `html`'),
          200: jsonContent(TrackedMessageRegistration, 'Not tracked: `html` is the body unchanged'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const registration = await inRequestTenant(c, (s) => registerTrackedMessage(s, c.req.valid('json'), tracking));
        return registration.trackedMessageId ? c.json(registration, 201) : c.json(registration, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/tracking/messages/{id}/sent', tags, summary: 'Report that a tracked message was sent, with the host\'s ids',
        request: { params: IdParam, ...jsonBody(TrackedMessageSent) },
        responses: { 200: jsonContent(TrackedMessageSummary, 'The message\'s summary'), ...errorResponses },
      }),
      async (c) =>
        c.json(
          await inRequestTenant(c, (s) => reportSent(s, c.req.valid('param').id, c.req.valid('json'))),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/tracking/sender-views', tags, summary: 'You are looking at these of your own sent messages now',
        description: 'Hits on their pixels and links within seconds of this report are yours, not a recipient\'s. Other people\'s messages are ignored.',
        request: jsonBody(SenderViewCreate),
        responses: { 200: jsonContent(z.object({ recorded: z.number().int() }), 'How many of your tracked messages these ids named'), ...errorResponses },
      }),
      async (c) =>
        c.json({ recorded: await inRequestTenant(c, (s) => recordSenderViews(s, c.req.valid('json'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/tracking/sent-copies', tags, summary: 'You are looking at your Sent copy of a tracked message, found by its pixel',
        description:
          'For hosts that know no Message-ID at send time (Outlook): the tracked messages whose signed open pixels are in the copy are tied to its RFC 822 Message-ID (once; a message already tied to another copy stays) and count as viewed by you now. Pixels this API did not sign, and other people\'s messages, are ignored.',
        request: jsonBody(SentCopyReport),
        responses: { 200: jsonContent(TrackedMessageList, 'The tracked messages the copy holds, as tied now'), ...errorResponses },
      }),
      async (c) => c.json({ data: await inRequestTenant(c, (s) => recordSentCopy(s, c.req.valid('json'), tracking)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/tracking/messages', tags, summary: 'Summaries of tracked messages, by host message ids or thread ids',
        description: 'Your own messages; managers, admins and read-only members see everyone\'s. Without ids: the latest 100.',
        request: { query: TrackedMessageListQuery },
        responses: { 200: jsonContent(TrackedMessageList, 'Summaries, newest first'), ...errorResponses },
      }),
      async (c) => c.json({ data: await inRequestTenant(c, (s) => trackedSummaries(s, c.req.valid('query'))) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/tracking/messages/{id}', tags, summary: 'One tracked message\'s summary',
        request: { params: IdParam },
        responses: { 200: jsonContent(TrackedMessageSummary, 'The summary'), ...errorResponses },
      }),
      async (c) => {
        const [summary] = await inRequestTenant(c, (s) => trackedSummaries(s, { ids: [c.req.valid('param').id] }));
        if (!summary) throw notFound('Tracked message');
        return c.json(summary, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/tracking/threads', tags, summary: 'For the sent list: which of these threads were opened',
        request: { query: TrackedThreadStateQuery },
        responses: { 200: jsonContent(TrackedThreadStateList, 'One state per given thread that holds tracked messages you may see'), ...errorResponses },
      }),
      async (c) =>
        c.json({ data: await inRequestTenant(c, (s) => trackedThreadStates(s, c.req.valid('query').threadIds)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/tracking/settings', tags, summary: 'The organization\'s tracking policy and retention, and your compose default',
        responses: { 200: jsonContent(TrackingSettings, 'Settings'), ...errorResponses },
      }),
      async (c) => c.json(await inRequestTenant(c, (s) => getTrackingSettings(s, tracking.retentionDays)), 200),
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/tracking/settings', tags, summary: 'Change the tracking policy or retention (admins), or your compose default',
        request: jsonBody(TrackingSettingsUpdate),
        responses: { 200: jsonContent(TrackingSettings, 'Settings'), ...errorResponses },
      }),
      async (c) =>
        c.json(await inRequestTenant(c, (s) => updateTrackingSettings(s, c.req.valid('json'), tracking.retentionDays)), 200),
    )
    .openapi(
      createRoute({
        method: 'put', path: '/tracking/consents', tags, summary: 'Record or withdraw a recipient\'s consent to tracking (for the `consented` mode)',
        request: jsonBody(TrackingConsentUpdate),
        responses: { 200: jsonContent(TrackingConsent, 'The consent as recorded'), ...errorResponses },
      }),
      async (c) => c.json(await inRequestTenant(c, (s) => setTrackingConsent(s, c.req.valid('json'))), 200),
    );
}
