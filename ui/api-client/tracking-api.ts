// Open and click tracking around sending, as a facade over the typed client: what compose (ui/compose)
// and host adapters call when they reach the API themselves (the demo inbox, the Outlook add-in).
// The Gmail content script reaches the same routes through typed messages to its background worker.
import { call, callSignal, createApiClient, type ApiClient, type ApiClientOptions, type CallOptions } from './api-client.ts';
import type { RequestBody, TrackedMessageRegistration, TrackedMessageSummary, TrackingDecision, TrackingSettings } from './api-types.ts';

export type TrackingDecisionInput = RequestBody<'post', '/tracking/decision'>;
export type TrackedMessageInput = RequestBody<'post', '/tracking/messages'>;
export type TrackedMessageSentInput = RequestBody<'post', '/tracking/messages/{id}/sent'>;

export interface TrackingApi {
  /** What the compose toggle shows for these recipients: tracked or not, and what will be recorded. */
  trackingDecision(query: TrackingDecisionInput, options?: CallOptions): Promise<TrackingDecision>;
  /** Right before sending: the body with the pixel and rewritten links (unchanged when not tracked). */
  registerTrackedMessage(input: TrackedMessageInput, options?: CallOptions): Promise<TrackedMessageRegistration>;
  /** Right after sending: the host's ids for the sent message. */
  markTrackedMessageSent(trackedMessageId: string, sent: TrackedMessageSentInput, options?: CallOptions): Promise<TrackedMessageSummary>;
  /** The rep is looking at these of their own sent messages now (host message ids). */
  reportSenderView(messageIds: string[], options?: CallOptions): Promise<void>;
  trackingSettings(): Promise<TrackingSettings>;
  updateTrackingSettings(patch: { trackByDefault: boolean }): Promise<TrackingSettings>;
}

export function createTrackingApi(options: ApiClientOptions): TrackingApi {
  return trackingApiOver(createApiClient(options));
}

function trackingApiOver(client: ApiClient): TrackingApi {
  return {
    trackingDecision: (body, o) => call(client.POST('/tracking/decision', { body, signal: callSignal(o) })),
    registerTrackedMessage: (body, o) => call(client.POST('/tracking/messages', { body, signal: callSignal(o) })),
    markTrackedMessageSent: (id, body, o) => call(client.POST('/tracking/messages/{id}/sent', { params: { path: { id } }, body, signal: callSignal(o) })),
    reportSenderView: async (messageIds, o) => void (await call(client.POST('/tracking/sender-views', { body: { messageIds }, signal: callSignal(o) }))),
    trackingSettings: () => call(client.GET('/tracking/settings')),
    updateTrackingSettings: (body) => call(client.PATCH('/tracking/settings', { body })),
  };
}
