// The API calls the sidebar makes, typed by the zod contract in core/schemas. The demo inbox and the
// Outlook add-in use createFetchApi; the Gmail extension relays the same interface through its
// background worker so the page never holds the token.
import type { z } from 'zod';
import type { ErrorCode } from '../../core/errors.ts';
import type { Activity, TaskCreate } from '../../core/schemas/activities.ts';
import type { CompanyCreate, Company } from '../../core/schemas/companies.ts';
import type { Contact, ContactCreate } from '../../core/schemas/contacts.ts';
import type { ThreadContext } from '../../core/schemas/context.ts';
import type { Deal, DealCreate, DealUpdate } from '../../core/schemas/deals.ts';
import type { EmailLog, EmailLogResult } from '../../core/schemas/emails.ts';
import type { Me } from '../../core/schemas/org.ts';
import type { Pipeline } from '../../core/schemas/pipelines.ts';
import type {
  TrackedMessageCreate,
  TrackedMessageRegistration,
  TrackedMessageSent,
  TrackedMessageSummary,
  TrackingDecision,
  TrackingDecisionQuery,
  TrackingSettings,
} from '../../core/schemas/tracking.ts';

export type { Activity, Company, Contact, Deal, EmailLogResult, Pipeline, ThreadContext };
export type { TrackedMessageRegistration, TrackedMessageSummary, TrackingDecision, TrackingSettings };

/** The explainable risk score the API adds to deals: score 0..1 (shown as 0–100), band, reasons. */
export interface DealRisk {
  score: number;
  band: 'low' | 'medium' | 'high' | (string & {});
  reasons: { code: string; sentence: string }[];
}
export type SidebarDeal = Deal & { risk?: DealRisk | null };

export type ContactInput = z.input<typeof ContactCreate>;
export type CompanyInput = z.input<typeof CompanyCreate>;
export type DealInput = z.input<typeof DealCreate>;
export type DealPatch = z.input<typeof DealUpdate>;
export type TaskInput = z.input<typeof TaskCreate>;
export type EmailLogInput = z.input<typeof EmailLog>;
export interface NoteInput {
  body: string;
  contactIds?: string[];
  companyIds?: string[];
  dealIds?: string[];
}
export type MeResult = z.infer<typeof Me>;
export type TrackingDecisionInput = z.input<typeof TrackingDecisionQuery>;
export type TrackedMessageInput = z.input<typeof TrackedMessageCreate>;
export type TrackedMessageSentInput = z.input<typeof TrackedMessageSent>;

/**
 * An in-app notification. `kind` is kept open: the API adds kinds (deal_high_risk, email_opened, …)
 * and a page should show the title of one it does not know rather than fail.
 */
export interface AppNotification {
  id: string;
  kind: 'deal_high_risk' | 'email_opened' | (string & {});
  dealId: string | null;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}
export interface NotificationPage {
  data: AppNotification[];
  unread: number;
}

/** Sent as the Idempotency-Key header: the same key on every retry of one queued change. */
export interface WriteOptions {
  idempotencyKey?: string;
}

/** For a call that must give up sooner than the client's usual timeout (registering at send time). */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Open and click tracking: what compose boxes and host adapters call around sending. */
export interface TrackingApi {
  /** What the compose toggle shows for these recipients: tracked or not, and what will be recorded. */
  trackingDecision(query: TrackingDecisionInput, options?: CallOptions): Promise<TrackingDecision>;
  /** Right before sending: the body with the pixel and rewritten links (unchanged when not tracked). */
  registerTrackedMessage(input: TrackedMessageInput, options?: CallOptions): Promise<TrackedMessageRegistration>;
  /** Right after sending: the host's ids for the sent message. */
  markTrackedMessageSent(trackedMessageId: string, sent: TrackedMessageSentInput, options?: CallOptions): Promise<TrackedMessageSummary>;
  /** The rep is looking at these of their own sent messages now (host message ids). */
  reportSenderView(messageIds: string[], options?: CallOptions): Promise<void>;
  listTrackedMessages(query: { messageIds?: string[]; threadIds?: string[] }): Promise<TrackedMessageSummary[]>;
  trackingSettings(): Promise<TrackingSettings>;
  updateTrackingSettings(patch: { trackByDefault: boolean }): Promise<TrackingSettings>;
  listNotifications(query?: { unread?: boolean; limit?: number }): Promise<NotificationPage>;
  markNotificationRead(id: string): Promise<AppNotification>;
}

export interface SidebarApi extends TrackingApi {
  /** The people, deals and timeline for these addresses; with `messageIds` (host ids) the tracked ones among them. */
  getContext(emails: string[], messageIds?: string[]): Promise<ThreadContext>;
  createContact(input: ContactInput, options?: WriteOptions): Promise<Contact>;
  createCompany(input: CompanyInput, options?: WriteOptions): Promise<Company>;
  createDeal(input: DealInput, options?: WriteOptions): Promise<Deal>;
  updateDeal(id: string, patch: DealPatch, options?: WriteOptions): Promise<Deal>;
  addNote(input: NoteInput, options?: WriteOptions): Promise<Activity>;
  addTask(input: TaskInput, options?: WriteOptions): Promise<Activity>;
  completeTask(id: string, options?: WriteOptions): Promise<Activity>;
  logEmail(input: EmailLogInput): Promise<EmailLogResult>;
  listPipelines(): Promise<Pipeline[]>;
  me(): Promise<MeResult>;
}

/** The server's codes, plus what only a client can see. */
export type ApiErrorCode = ErrorCode | 'OFFLINE' | 'RATE_LIMITED' | 'BAD_RESPONSE';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ApiErrorCode, message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** Worth sending again later: the request may not have been applied, and nothing was refused. */
export const isTransient = (err: ApiError) =>
  err.code === 'OFFLINE' || err.code === 'RATE_LIMITED' || err.code === 'INTERNAL' || err.code === 'BAD_RESPONSE';

const serverCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'VALIDATION_FAILED', 'INVALID_JSON', 'INVALID_REFERENCE', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND',
  'CONFLICT', 'GONE', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL',
]);

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 410) return 'GONE';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  // A gateway that cannot reach the API is, for the rep, the same as no network.
  if (status === 502 || status === 503 || status === 504) return 'OFFLINE';
  if (status >= 500) return 'INTERNAL';
  return 'VALIDATION_FAILED';
}

/** Turns an HTTP answer that is not 2xx into an ApiError, trusting the body's code when it is one of ours. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const fallback = codeForStatus(status);
  // 401 is always "sign in again", whatever the body says.
  const code = status === 401 ? 'UNAUTHENTICATED' : typeof error?.code === 'string' && serverCodes.has(error.code) ? (error.code as ErrorCode) : fallback;
  const message = typeof error?.message === 'string' && error.message ? error.message : `The server answered ${status}`;
  return new ApiError(code, message, status, error?.details);
}

export interface FetchApiOptions {
  /** The API origin, e.g. http://localhost:8787 (a trailing /api/v1 is accepted too). */
  baseUrl: string;
  /** The session token; null means signed out (calls then fail with UNAUTHENTICATED unsent). */
  getToken: () => string | null | undefined | Promise<string | null | undefined>;
  fetch?: typeof fetch;
  /** A request with no answer after this long counts as offline. */
  timeoutMs?: number;
}

export function createFetchApi(options: FetchApiOptions): SidebarApi {
  const root = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<T>(method: string, path: string, body?: unknown, write?: WriteOptions, callOptions?: CallOptions): Promise<T> {
    const token = await options.getToken();
    if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in to see your CRM here', 401);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (write?.idempotencyKey) headers['Idempotency-Key'] = write.idempotencyKey;
    const doFetch = options.fetch ?? globalThis.fetch;
    const timeout = AbortSignal.timeout(callOptions?.timeoutMs ?? timeoutMs);
    // AbortSignal.any is recent (Chrome 116, Safari 17.4); without it the caller's signal wins.
    const signal = callOptions?.signal ? (typeof AbortSignal.any === 'function' ? AbortSignal.any([timeout, callOptions.signal]) : callOptions.signal) : timeout;
    let response: Response;
    try {
      response = await doFetch(root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'The CRM did not answer in time' : 'The CRM cannot be reached';
      throw new ApiError('OFFLINE', reason, 0, err instanceof Error ? err.message : undefined);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new ApiError('BAD_RESPONSE', 'The CRM sent an answer the sidebar cannot read', response.status);
      }
    }
    if (!response.ok) throw apiErrorFrom(response.status, parsed);
    return parsed as T;
  }

  const id = (value: string) => encodeURIComponent(value);
  const list = (values: string[]) => encodeURIComponent(values.join(','));
  return {
    getContext: (emails, messageIds = []) =>
      call('GET', `/context?emails=${list(emails)}${messageIds.length ? `&messageIds=${list(messageIds)}` : ''}`),
    createContact: (input, o) => call('POST', '/contacts', input, o),
    createCompany: (input, o) => call('POST', '/companies', input, o),
    createDeal: (input, o) => call('POST', '/deals', input, o),
    updateDeal: (dealId, patch, o) => call('PATCH', `/deals/${id(dealId)}`, patch, o),
    addNote: (input, o) => call('POST', '/activities', { type: 'note', ...input }, o),
    addTask: (input, o) => call('POST', '/tasks', input, o),
    completeTask: (taskId, o) => call('PATCH', `/tasks/${id(taskId)}`, { completed: true }, o),
    logEmail: (input) => call('POST', '/emails', input),
    listPipelines: async () => (await call<{ data: Pipeline[] }>('GET', '/pipelines')).data,
    me: () => call('GET', '/me'),
    trackingDecision: (query, o) => call('POST', '/tracking/decision', query, undefined, o),
    registerTrackedMessage: (input, o) => call('POST', '/tracking/messages', input, undefined, o),
    markTrackedMessageSent: (trackedId, sent, o) => call('POST', `/tracking/messages/${id(trackedId)}/sent`, sent, undefined, o),
    reportSenderView: async (messageIds, o) => void (await call('POST', '/tracking/sender-views', { messageIds }, undefined, o)),
    listTrackedMessages: async ({ messageIds, threadIds }) => {
      const query = messageIds?.length ? `messageIds=${list(messageIds)}` : `threadIds=${list(threadIds ?? [])}`;
      return (await call<{ data: TrackedMessageSummary[] }>('GET', `/tracking/messages?${query}`)).data;
    },
    trackingSettings: () => call('GET', '/tracking/settings'),
    updateTrackingSettings: (patch) => call('PATCH', '/tracking/settings', patch),
    listNotifications: ({ unread, limit } = {}) => {
      const query = new URLSearchParams();
      if (unread !== undefined) query.set('unread', String(unread));
      if (limit !== undefined) query.set('limit', String(limit));
      const qs = query.toString();
      return call('GET', `/notifications${qs ? `?${qs}` : ''}`);
    },
    markNotificationRead: (notificationId) => call('POST', `/notifications/${id(notificationId)}/read`),
  };
}
