// The worker's side of the tracking messages (../messages.ts): each message is bound to one API
// route, its input is checked against the contract (core/schemas/tracking.ts) plus the host id
// forms the extension uses, and only the fields the asker needs go back. This is what a Gmail
// content script may call instead of a general relay: a compromised Gmail page can register,
// report and read tracking states, and nothing else.
//
// The "sent" report is what ties a tracked message to its Gmail ids (the sidebar and the sent list
// find it by them), so it is never dropped because the API was briefly away: it waits in
// storage.local and is retried on the minute alarm while signed in.
import { z } from 'zod';
import {
  SenderViewCreate,
  TrackedMessageCreate,
  TrackedMessageRegistration,
  TrackedMessageSent,
  TrackedThreadStateList,
  TrackingDecision,
  TrackingDecisionQuery,
  TrackingSettings,
  TrackingSettingsUpdate,
} from '../../core/schemas/tracking.ts';
import { call, type ApiClient } from '../../ui/api-client/api-client.ts';
import { asApiError, type ApiError } from '../../ui/api-client/api-error.ts';
import type { CrmAnswers, TrackingFailure, TrackingSentInput } from '../messages.ts';
import { storedItem, type StorageAreaLike } from './stored.ts';

export interface TrackingHandlerDeps {
  /** The typed client with the session token (api-access.ts); `timeoutMs` for a call that must give up sooner. */
  client(options?: { timeoutMs?: number }): Promise<ApiClient>;
  storage: StorageAreaLike;
  /** The rep is waiting on Send: give up before the compose window's own 1 s deadline, so a late answer never registers a message that went out untracked. */
  registerTimeoutMs?: number;
  now?: () => Date;
}

/** Gmail ids as InboxSDK gives them: legacy hex, or msg-f:/thread-f: with decimals. */
const gmailId = /^[A-Za-z0-9:_-]{1,200}$/;
const GmailMessageId = z.string().regex(/^gmail:[A-Za-z0-9:_-]{1,200}$/, 'a gmail:<id> message id');
const GmailThreadId = z.string().regex(gmailId, 'a Gmail thread id');

const TrackingDefaults = TrackingSettings.pick({ trackByDefault: true, description: true });
const SentInput = z
  .object({
    trackedMessageId: z.uuid(),
    messageId: GmailMessageId,
    threadId: GmailThreadId.nullable(),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
const SenderViewInput = SenderViewCreate.extend({ messageIds: z.array(GmailMessageId).min(1).max(100) }).strict();
const ThreadIdsInput = z.array(GmailThreadId).min(1).max(100);

interface PendingSent {
  sent: TrackingSentInput;
  queuedAt: string;
  attempts: number;
}
const pendingSentItem = storedItem<PendingSent[]>('tracking-pending-sent', 1);
const pendingLimit = 200;
const pendingMaxAgeMs = 7 * 86_400_000;

const invalid = (error: z.ZodError): TrackingFailure => {
  const issue = error.issues[0];
  return { ok: false, code: 'VALIDATION_FAILED', message: issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'Invalid input' };
};

function failureOf(err: unknown): TrackingFailure {
  const error = asApiError(err);
  return { ok: false, code: error.code, message: error.message };
}

/** The API answered, but not in the contract's shape. */
const badResponse = (what: string): TrackingFailure => ({ ok: false, code: 'BAD_RESPONSE', message: `The CRM answered ${what} in a way the extension cannot read` });

/** Worth keeping a "sent" report for: no answer, the server failed, or nobody is signed in right now. */
const retryable = (error: ApiError) => ['OFFLINE', 'RATE_LIMITED', 'INTERNAL', 'UNAUTHENTICATED'].includes(error.code);

/** The call's answer, or the failure the asker gets (the API's code, OFFLINE, UNAUTHENTICATED unsent). */
async function attempt<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ApiError }> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, error: asApiError(err) };
  }
}

export function createTrackingHandlers(deps: TrackingHandlerDeps) {
  const { storage } = deps;
  const now = () => (deps.now ? deps.now() : new Date());
  const registerTimeoutMs = deps.registerTimeoutMs ?? 900;

  async function settings(): Promise<CrmAnswers['crm:tracking-settings']> {
    const answer = await attempt(async () => call((await deps.client()).GET('/tracking/settings')));
    if (!answer.ok) return failureOf(answer.error);
    const parsed = TrackingDefaults.safeParse(answer.value);
    return parsed.success ? { ok: true, settings: parsed.data } : badResponse('the tracking settings');
  }

  async function setDefault(trackByDefault: unknown): Promise<CrmAnswers['crm:tracking-set-default']> {
    const input = TrackingSettingsUpdate.safeParse({ trackByDefault });
    if (!input.success || typeof trackByDefault !== 'boolean') return { ok: false, code: 'VALIDATION_FAILED', message: 'trackByDefault: expected true or false' };
    const answer = await attempt(async () => call((await deps.client()).PATCH('/tracking/settings', { body: input.data })));
    if (!answer.ok) return failureOf(answer.error);
    const parsed = TrackingDefaults.safeParse(answer.value);
    return parsed.success ? { ok: true, settings: parsed.data } : badResponse('the tracking settings');
  }

  async function decision(recipients: unknown): Promise<CrmAnswers['crm:tracking-decision']> {
    const input = TrackingDecisionQuery.safeParse(recipients);
    if (!input.success) return invalid(input.error);
    const answer = await attempt(async () => call((await deps.client()).POST('/tracking/decision', { body: input.data })));
    if (!answer.ok) return failureOf(answer.error);
    const parsed = TrackingDecision.safeParse(answer.value);
    return parsed.success ? { ok: true, decision: parsed.data } : badResponse('the tracking decision');
  }

  async function register(message: unknown): Promise<CrmAnswers['crm:tracking-register']> {
    // The opt-out line adds visible text to the mail; the compose window does not offer it (yet).
    const input = TrackedMessageCreate.safeParse({ ...(message as object), optOutLink: false });
    if (!input.success) return invalid(input.error);
    if (input.data.threadId != null && !gmailId.test(input.data.threadId)) return { ok: false, code: 'VALIDATION_FAILED', message: 'threadId: a Gmail thread id' };
    const answer = await attempt(async () => call((await deps.client({ timeoutMs: registerTimeoutMs })).POST('/tracking/messages', { body: input.data })));
    if (!answer.ok) return failureOf(answer.error);
    const parsed = TrackedMessageRegistration.safeParse(answer.value);
    if (!parsed.success) return badResponse('the registration');
    const { decision: d, trackedMessageId, html, pixelUrl } = parsed.data;
    return { ok: true, registration: { decision: d, trackedMessageId, html, pixelUrl } };
  }

  const postSent = (sent: TrackingSentInput) =>
    attempt(async () =>
      call(
        (await deps.client()).POST('/tracking/messages/{id}/sent', {
          params: { path: { id: sent.trackedMessageId } },
          body: TrackedMessageSent.parse({ messageId: sent.messageId, threadId: sent.threadId, ...(sent.sentAt ? { sentAt: sent.sentAt } : {}) }),
        }),
      ),
    );

  // One outbox change at a time: a report arriving during a flush must not be lost by either write.
  let outbox: Promise<unknown> = Promise.resolve();
  function withOutbox<T>(change: (pending: PendingSent[]) => Promise<{ pending: PendingSent[]; result: T }>): Promise<T> {
    const run = outbox.then(async () => {
      const { pending, result } = await change((await pendingSentItem.get(storage)) ?? []);
      await pendingSentItem.set(storage, pending.slice(-pendingLimit));
      return result;
    });
    outbox = run.catch(() => undefined);
    return run;
  }

  async function sent(input: unknown): Promise<CrmAnswers['crm:tracking-sent']> {
    const parsed = SentInput.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const report: TrackingSentInput = { ...parsed.data, sentAt: parsed.data.sentAt ?? now().toISOString() };
    const answer = await postSent(report);
    if (answer.ok) return { ok: true, queued: false };
    if (!retryable(answer.error)) return failureOf(answer.error);
    await withOutbox(async (pending) => ({ pending: [...pending, { sent: report, queuedAt: now().toISOString(), attempts: 1 }], result: null }));
    return { ok: true, queued: true };
  }

  /** Sends the queued "sent" reports again; keeps those that still cannot get through. */
  async function flushPendingSent(): Promise<{ sent: number; kept: number; dropped: number }> {
    if (!(await pendingSentItem.get(storage))?.length) return { sent: 0, kept: 0, dropped: 0 }; // the usual minute: nothing to write
    return withOutbox(async (pending) => {
      const keep: PendingSent[] = [];
      let sentCount = 0;
      let dropped = 0;
      for (const item of pending) {
        if (now().getTime() - Date.parse(item.queuedAt) > pendingMaxAgeMs) {
          dropped++;
          continue;
        }
        const answer = await postSent(item.sent);
        if (answer.ok) sentCount++;
        else if (retryable(answer.error)) keep.push({ ...item, attempts: item.attempts + 1 });
        else dropped++; // refused for good (e.g. the message is another account's): retrying cannot help
      }
      return { pending: keep, result: { sent: sentCount, kept: keep.length, dropped } };
    });
  }

  async function senderView(messageIds: unknown): Promise<CrmAnswers['crm:sender-view']> {
    const input = SenderViewInput.safeParse({ messageIds });
    if (!input.success) return invalid(input.error);
    const answer = await attempt(async () => call((await deps.client()).POST('/tracking/sender-views', { body: input.data })));
    return answer.ok ? { ok: true } : failureOf(answer.error);
  }

  async function threadStates(threadIds: unknown): Promise<CrmAnswers['crm:thread-states']> {
    const input = ThreadIdsInput.safeParse(threadIds);
    if (!input.success) return invalid(input.error);
    // The API's per-thread states (GET /tracking/threads), not the messages: labels need no more.
    const query = { threadIds: [...new Set(input.data)].join(',') };
    const answer = await attempt(async () => call((await deps.client()).GET('/tracking/threads', { params: { query } })));
    if (!answer.ok) return failureOf(answer.error);
    const parsed = TrackedThreadStateList.safeParse(answer.value);
    return parsed.success ? { ok: true, states: parsed.data.data } : badResponse('the thread states');
  }

  return { settings, setDefault, decision, register, sent, flushPendingSent, senderView, threadStates };
}
