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

export type { Activity, Company, Contact, Deal, EmailLogResult, Pipeline, ThreadContext };

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

/** Sent as the Idempotency-Key header: the same key on every retry of one queued change. */
export interface WriteOptions {
  idempotencyKey?: string;
}

export interface SidebarApi {
  getContext(emails: string[]): Promise<ThreadContext>;
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

  async function call<T>(method: string, path: string, body?: unknown, write?: WriteOptions): Promise<T> {
    const token = await options.getToken();
    if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in to see your CRM here', 401);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (write?.idempotencyKey) headers['Idempotency-Key'] = write.idempotencyKey;
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
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
  return {
    getContext: (emails) => call('GET', `/context?emails=${encodeURIComponent(emails.join(','))}`),
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
  };
}
