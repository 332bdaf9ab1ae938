// Every message between the extension's contexts, as one discriminated union. The background
// worker answers `CrmMessage`s; it sends `TabMessage`s to Gmail tabs. InboxSDK's own
// 'inboxsdk__injectPageWorld' is none of these and is left to its listener.
import type { TrackedThreadState, TrackingDecision } from '../core/schemas/tracking.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One API call a content script asks the background to make with the session token. */
export interface RelayRequest {
  method: HttpMethod;
  /** Path on the API origin, starting with /api/v1/ (query string included). */
  path: string;
  /** JSON text, sent as is. */
  body?: string;
  idempotencyKey?: string;
}

/** The API's answer passed through untouched (body as text), or why there was none. */
export type RelayAnswer =
  | { kind: 'response'; ok: boolean; status: number; body: string }
  | { kind: 'network-error'; message: string };

export interface Account {
  user: { id: string; name: string; email: string };
  organization: { id: string; name: string };
  role: string;
}

export type SignInAnswer = { ok: true; account: Account } | { ok: false; code: string; message: string };

/** What the content script in a Gmail tab last said about itself. */
export interface GmailReport {
  hookAttached?: boolean;
  sidebarMounted?: boolean;
  /** The Gmail account open in that tab (logging settings are kept per mailbox). */
  mailbox?: string;
  error?: string;
}

export interface HealthStatus {
  apiUrl: string;
  /** Whether the user granted host permission for the API origin. */
  apiPermission: boolean;
  /** Signed in with a token the API has not refused. */
  signedIn: boolean;
  /** The account signed in, or the last one when the session ended (to prefill the form). */
  account: Account | null;
  sessionExpired: boolean;
  api: { reachable: boolean; status?: number; message?: string; checkedAt: string } | null;
  gmail: {
    hookAttachedAt: string | null;
    sidebarMountedAt: string | null;
    reportedAt: string | null;
    mailboxes: string[];
  };
  lastError: { message: string; source: 'api' | 'gmail' | 'extension'; at: string } | null;
  /** Whether storage.local is closed to content scripts (Chrome 102+ with setAccessLevel). */
  storageTrustedOnly: boolean;
}

/** Recipients of a message being written, as the compose window has them. */
export interface TrackingRecipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

/** A message about to be sent, registered for tracking (POST /tracking/messages). */
export interface TrackingRegisterInput extends TrackingRecipients {
  html: string;
  subject: string | null;
  /** The host's thread id when replying in a thread; null for a new message. */
  threadId: string | null;
}

/** What the compose window needs back from a registration: the body to send and what to report after. */
export interface TrackingRegistration {
  decision: TrackingDecision;
  /** Null when the message is not tracked (then `html` is the body unchanged). */
  trackedMessageId: string | null;
  html: string;
  pixelUrl: string | null;
}

/** The sent message's host ids (POST /tracking/messages/{id}/sent). */
export interface TrackingSentInput {
  trackedMessageId: string;
  /** `gmail:<Gmail message id>`, as the email log has it. */
  messageId: string;
  threadId: string | null;
  sentAt?: string;
}

/** The user's tracking defaults as the compose toggle and the options page need them. */
export interface TrackingDefaults {
  trackByDefault: boolean;
  /** What the organisation's consent mode records, in one sentence. */
  description: string;
}

/** A tracking call that did not work: the API's code (or OFFLINE, VALIDATION_FAILED, BAD_RESPONSE) and a sentence. */
export interface TrackingFailure {
  ok: false;
  code: string;
  message: string;
}
export type TrackingAnswer<T extends object> = ({ ok: true } & T) | TrackingFailure;

export type CrmMessage =
  | { type: 'crm:relay'; request: RelayRequest }
  | { type: 'crm:sign-in'; email: string; password: string }
  | { type: 'crm:sign-out' }
  | { type: 'crm:status'; checkApi?: boolean }
  | { type: 'crm:report'; report: GmailReport }
  | { type: 'crm:set-api-url'; apiUrl: string }
  | { type: 'crm:open-sign-in' }
  | { type: 'crm:store-get'; key: string }
  | { type: 'crm:store-set'; key: string; value: unknown }
  | { type: 'crm:store-delete'; key: string }
  // Tracking: one message per API call the Gmail content script needs, each with a fixed route and
  // a checked shape, instead of a relay a compromised Gmail page could point anywhere.
  | { type: 'crm:tracking-settings' }
  | { type: 'crm:tracking-set-default'; trackByDefault: boolean }
  | { type: 'crm:tracking-decision'; recipients: TrackingRecipients }
  | { type: 'crm:tracking-register'; message: TrackingRegisterInput }
  | { type: 'crm:tracking-sent'; sent: TrackingSentInput }
  | { type: 'crm:sender-view'; messageIds: string[] }
  | { type: 'crm:thread-states'; threadIds: string[] };

export type CrmMessageType = CrmMessage['type'];

export interface CrmAnswers {
  'crm:relay': RelayAnswer;
  'crm:sign-in': SignInAnswer;
  'crm:sign-out': { ok: true };
  'crm:status': HealthStatus;
  'crm:report': { ok: true };
  'crm:set-api-url': { ok: true; apiUrl: string } | { ok: false; message: string };
  'crm:open-sign-in': { opened: 'popup' | 'tab' };
  'crm:store-get': { value: unknown };
  'crm:store-set': { ok: true } | { ok: false; message: string };
  'crm:store-delete': { ok: true };
  'crm:tracking-settings': TrackingAnswer<{ settings: TrackingDefaults }>;
  'crm:tracking-set-default': TrackingAnswer<{ settings: TrackingDefaults }>;
  'crm:tracking-decision': TrackingAnswer<{ decision: TrackingDecision }>;
  'crm:tracking-register': TrackingAnswer<{ registration: TrackingRegistration }>;
  /** queued: the API could not be reached; the worker retries every minute while signed in. */
  'crm:tracking-sent': TrackingAnswer<{ queued: boolean }>;
  'crm:sender-view': TrackingAnswer<object>;
  'crm:thread-states': TrackingAnswer<{ states: TrackedThreadState[] }>;
}

export type AnswerTo<M extends CrmMessage> = CrmAnswers[M['type']];

/** Sent by the background to the Gmail tabs. */
export type TabMessage = { type: 'crm:session-changed'; signedIn: boolean };

const crmTypes: Record<CrmMessageType, true> = {
  'crm:relay': true,
  'crm:sign-in': true,
  'crm:sign-out': true,
  'crm:status': true,
  'crm:report': true,
  'crm:set-api-url': true,
  'crm:open-sign-in': true,
  'crm:store-get': true,
  'crm:store-set': true,
  'crm:store-delete': true,
  'crm:tracking-settings': true,
  'crm:tracking-set-default': true,
  'crm:tracking-decision': true,
  'crm:tracking-register': true,
  'crm:tracking-sent': true,
  'crm:sender-view': true,
  'crm:thread-states': true,
};

/**
 * What a content script (running inside Gmail's page) may ask: to report its health, to open
 * sign-in, and the tracking calls compose and the thread list need, each bound to one route with a
 * checked shape. No relay and no store: CRM data and the sidebar's store belong to the sidebar page
 * (an extension page framed in Gmail), so even a compromised Gmail tab cannot read CRM records or
 * call other routes through us. Changing the tracking default is for the options page.
 */
export const contentScriptMayAsk: ReadonlySet<CrmMessageType> = new Set<CrmMessageType>([
  'crm:report',
  'crm:open-sign-in',
  'crm:tracking-settings',
  'crm:tracking-decision',
  'crm:tracking-register',
  'crm:tracking-sent',
  'crm:sender-view',
  'crm:thread-states',
]);

export function isCrmMessage(message: unknown): message is CrmMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && Object.hasOwn(crmTypes, type);
}

export function isTabMessage(message: unknown): message is TabMessage {
  return (message as { type?: unknown } | null)?.type === 'crm:session-changed';
}

/** runtime.sendMessage, narrowed to this protocol. */
export type SendToBackground = <M extends CrmMessage>(message: M) => Promise<AnswerTo<M>>;
