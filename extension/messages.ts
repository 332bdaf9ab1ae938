// Every message between the extension's contexts, as one discriminated union. The background
// worker answers `CrmMessage`s; it sends `TabMessage`s to Gmail tabs. InboxSDK's own
// 'inboxsdk__injectPageWorld' is none of these and is left to its listener.

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
  | { type: 'crm:store-delete'; key: string };

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
};

/**
 * What a content script (running inside Gmail's page) may ask: only to report its health and to
 * open sign-in. CRM calls and the sidebar's store belong to the sidebar page (an extension page
 * framed in Gmail), so even a compromised Gmail tab cannot make CRM requests through us.
 */
export const contentScriptMayAsk: ReadonlySet<CrmMessageType> = new Set<CrmMessageType>(['crm:report', 'crm:open-sign-in']);

export function isCrmMessage(message: unknown): message is CrmMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && Object.hasOwn(crmTypes, type);
}

export function isTabMessage(message: unknown): message is TabMessage {
  return (message as { type?: unknown } | null)?.type === 'crm:session-changed';
}

/** runtime.sendMessage, narrowed to this protocol. */
export type SendToBackground = <M extends CrmMessage>(message: M) => Promise<AnswerTo<M>>;
