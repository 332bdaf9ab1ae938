// How the tracked-send flow reaches the CRM. Hosts that call the API themselves (the demo inbox, the
// Outlook add-in) use createApiTrackingPort over ui/api-client; the Gmail content script goes through
// its background worker (extension/gmail/tracking-client.ts). Failures reject with an ApiError.
import type { TrackingDecision } from '../api-client/api-types.ts';
import type { TrackingApi } from '../api-client/tracking-api.ts';
import type { ComposeRecipients, SentMessage, TrackedRegistration } from './compose-host.ts';
import type { TrackingDefaults } from './compose-state.ts';

export interface RegisterInput extends ComposeRecipients {
  html: string;
  subject: string | null;
  threadId: string | null;
  optOutLink: boolean;
}

/** A registration's answer: tracked (then every field is set) or not (then the body is unchanged). */
export type RegisterAnswer = Pick<TrackedRegistration, 'decision' | 'html' | 'links'> & { trackedMessageId: string | null; pixelUrl: string | null };

export interface ComposeTrackingPort {
  settings(): Promise<TrackingDefaults>;
  decision(recipients: ComposeRecipients, options: { signal: AbortSignal }): Promise<TrackingDecision>;
  /** The rep waits on Send: `timeoutMs` is what is left of the flow's deadline, `signal` aborts at it. */
  register(message: RegisterInput, options: { signal: AbortSignal; timeoutMs: number }): Promise<RegisterAnswer>;
  reportSent(trackedMessageId: string, sent: SentMessage & { sentAt: string }): Promise<void>;
  /** Makes the current choice the rep's default; absent where the host may not change it (Gmail's content script). */
  setTrackByDefault?(trackByDefault: boolean): Promise<TrackingDefaults>;
}

const defaultsOf = ({ trackByDefault, description }: TrackingDefaults): TrackingDefaults => ({ trackByDefault, description });

/** The port over the API's tracking routes. The decision may take 5 s: the sentence says "checking" meanwhile. */
export function createApiTrackingPort(api: TrackingApi): ComposeTrackingPort {
  return {
    settings: async () => defaultsOf(await api.trackingSettings()),
    decision: (recipients, { signal }) => api.trackingDecision(recipients, { signal, timeoutMs: 5000 }),
    register: (message, { signal, timeoutMs }) => api.registerTrackedMessage(message, { signal, timeoutMs }),
    reportSent: async (trackedMessageId, sent) => void (await api.markTrackedMessageSent(trackedMessageId, sent, { timeoutMs: 10_000 })),
    setTrackByDefault: async (trackByDefault) => defaultsOf(await api.updateTrackingSettings({ trackByDefault })),
  };
}
