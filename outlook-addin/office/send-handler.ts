/// <reference types="office-js" />
// Tracked sending from Outlook: the Smart Alerts OnMessageSend handler (Mailbox 1.12, event-based
// activation declared in the manifest). Outlook holds the send and runs this in its event runtime;
// the handler runs ui/compose's flow, the same as Gmail's compose and the demo inbox's, under the
// same consent decision: register the message with the CRM, put in the body with the pixel, the
// signed links (and the opt-out line when asked for), report it sent, let it go.
//
// Never in the way of a send: every path completes the event with allowEvent true (the flow only
// cancels for a window closed while registering, which Outlook cannot do here), within a hard limit
// well under Outlook's own "this is taking longer" dialog (5 s). If anything fails or takes too long
// the mail goes out exactly as written, and the rep is told: the reason goes to the compose form's
// info bar (seen when the send does not close it), to the pane's self-test and notices (localStorage,
// and the mailbox's roaming settings for runtimes without localStorage).
//
// Which emails: the rep's choice for this email (compose pane or command, in the item's session
// data), else their default (trackByDefault). Signed out: nothing is tracked; if the rep had asked for
// tracking they are told to sign in. A plain-text body cannot carry a pixel: sent untracked, with why.
import { isApiError } from '../../ui/api-client/api-error.ts';
import { createTrackingApi } from '../../ui/api-client/tracking-api.ts';
import { untrackedNotice } from '../../ui/compose/compose-state.ts';
import { createComposeTracking } from '../../ui/compose/compose-tracking.ts';
import { createApiTrackingPort, type ComposeTrackingPort } from '../../ui/compose/tracking-port.ts';
import type { TrackingDefaults } from '../../ui/compose/compose-state.ts';
import { readSession, recordNote, type TextStore } from './addin-storage.ts';
import { readComposeChoice } from './compose-choice.ts';
import { describeError, isComposeMessage, settle, type OfficeApi, type OfficeComposeItem } from './office-api.ts';
import { createOfficeComposeHost, PlainTextBodyError } from './office-compose-host.ts';

export const SIGN_IN_HINT = 'sign in to Inbox CRM in its Outlook pane';

export interface SendHandlerDeps {
  office: OfficeApi;
  /** The add-in origin's localStorage (null in classic Outlook on Windows' JavaScript-only runtime). */
  store: TextStore | null;
  /** The API: the add-in's own origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** From the press of Send to the decision: register, put the tracked body in. */
  deadlineMs?: number;
  /** After the decision, how long the "sent" report may take before the event completes anyway. */
  reportWaitMs?: number;
}

/** What the handler did with one send (tests and the self-test read it). */
export interface SendResult {
  allowEvent: boolean;
  trackedMessageId: string | null;
  notice: string | null;
}

type Completion = { allowEvent: boolean; errorMessage?: string };

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), Math.max(0, ms)))]);

/** A port whose settings are asked once, and whose "sent" reports can be waited for. */
function trackingPort(port: ComposeTrackingPort) {
  let settings: Promise<TrackingDefaults> | null = null;
  const reports = new Set<Promise<void>>();
  const wrapped: ComposeTrackingPort = {
    ...port,
    settings: () => (settings ??= port.settings()),
    reportSent(id, sent) {
      const report = port.reportSent(id, sent);
      reports.add(report);
      void report.catch(() => undefined).finally(() => reports.delete(report));
      return report;
    },
  };
  return { port: wrapped, reportsSettled: (ms: number) => withTimeout(Promise.allSettled([...reports]), ms, 'reporting the send').catch(() => undefined) };
}

export async function handleMessageSend(event: Pick<Office.MailboxEvent, 'completed'>, deps: SendHandlerDeps): Promise<SendResult> {
  const now = deps.now ?? (() => Date.now());
  const started = now();
  const deadlineMs = deps.deadlineMs ?? 2500;
  const reportWaitMs = deps.reportWaitMs ?? 1200;
  const { office, store } = deps;
  let notice: string | null = null;
  let trackedMessageId: string | null = null;
  let completed = false;
  let item: OfficeComposeItem | null = null;
  // Which email a note is about: read once, as soon as there is a compose item.
  let subject: Promise<string | undefined> = Promise.resolve(undefined);

  const saying = new Set<Promise<void>>();
  const say = (text: string): Promise<void> => {
    const note = sayNow(text);
    saying.add(note);
    return note;
  };
  const sayNow = async (text: string) => {
    notice = text;
    try {
      item?.notificationMessages?.replaceAsync('inbox-crm-send', { type: 'informationalMessage', message: text.slice(0, 150), icon: 'Icon.16', persistent: false });
    } catch {
      // The info bar is a courtesy; the note below is what the pane shows.
    }
    const about = await withTimeout(subject, 300, 'reading the subject').catch(() => undefined);
    await withTimeout(recordNote('send', { text, source: 'send', at: new Date(now()).toISOString(), ...(about ? { subject: about } : {}) }, store, office), 600, 'keeping the note').catch(() => undefined);
  };
  const complete = (options: Completion): SendResult => {
    if (!completed) {
      completed = true;
      event.completed(options);
    }
    return { allowEvent: options.allowEvent, trackedMessageId, notice };
  };

  // The hard limit: whatever hangs, the mail goes out.
  const hardLimitMs = deadlineMs + reportWaitMs + 800;
  let hardTimer: ReturnType<typeof setTimeout> | undefined;
  const hardLimit = new Promise<SendResult>((resolve) => {
    hardTimer = setTimeout(() => {
      void say('Sent without tracking: the CRM did not answer in time.');
      resolve(complete({ allowEvent: true }));
    }, hardLimitMs);
  });

  const run = async (): Promise<SendResult> => {
    const current = office.context.mailbox.item;
    if (!isComposeMessage(current)) return complete({ allowEvent: true });
    item = current;
    const composing = current;
    subject = settle<string>(office, 'subject.getAsync', (cb) => composing.subject.getAsync(cb), 1000).then((s) => s.trim() || undefined, () => undefined);
    const choice = await readComposeChoice(office, item);
    if (choice.tracking === 'off') return complete({ allowEvent: true });
    const token = readSession(store)?.token ?? choice.sessionToken;
    if (!token) {
      if (choice.tracking === 'on') await say(`Sent without tracking: ${SIGN_IN_HINT}.`);
      return complete({ allowEvent: true });
    }

    const api = createTrackingApi({ baseUrl: deps.baseUrl, getToken: () => token, fetch: deps.fetch, credentials: 'omit' });
    const { port, reportsSettled } = trackingPort(createApiTrackingPort(api));
    let defaults: TrackingDefaults;
    try {
      defaults = await withTimeout(port.settings(), deadlineMs - (now() - started), 'reading your tracking default');
    } catch (err) {
      // Unknown default: tracking may have been expected. Say why it did not happen.
      const failure = isApiError(err) ? { code: err.code, message: err.message } : { code: 'TIMEOUT', message: describeError(err) };
      if (choice.tracking === 'on' || failure.code !== 'UNAUTHENTICATED') await say(untrackedNotice(failure, SIGN_IN_HINT));
      return complete({ allowEvent: true });
    }
    if (!(choice.tracking === 'on' || (choice.tracking === null && defaults.trackByDefault))) return complete({ allowEvent: true });

    const host = createOfficeComposeHost(office, item, {
      notify: (text) => void say(text),
      onError: (err) => {
        if (err instanceof PlainTextBodyError) void say('Sent without tracking: the email is in plain text, which cannot carry tracking. Switch it to HTML to track it.');
        else void recordNote('error', { text: `Send check: ${describeError(err)}`, source: 'office', at: new Date(now()).toISOString() }, store, office);
      },
      now,
    });
    const tracker = createComposeTracking({
      port,
      deadlineMs: Math.max(300, deadlineMs - (now() - started)),
      // The decision is asked as part of registering; no sentence to show here.
      decisionDelayMs: 60_000,
      signInHint: SIGN_IN_HINT,
      onError: (err) => {
        if (err instanceof PlainTextBodyError) void say('Sent without tracking: the email is in plain text, which cannot carry tracking. Switch it to HTML to track it.');
      },
      now,
    });
    const stop = tracker.start();
    await port.settings(); // the flow's own read of it, answered from the one above
    await Promise.resolve();
    const session = tracker.attach(host);
    if (!session.getState().trackingOn) session.toggle();
    if (choice.optOutLine) session.setOptOutLink(true);
    try {
      const decision = await host.hold();
      if (decision.allow) trackedMessageId = decision.outcome.registration?.trackedMessageId ?? null;
      await reportsSettled(reportWaitMs);
      await Promise.all([...saying]); // the flow's notice, said as it let the send go
      return decision.allow ? complete({ allowEvent: true }) : complete({ allowEvent: false, errorMessage: (decision.reason ?? 'Already sending this email.').slice(0, 500) });
    } finally {
      session.detach();
      stop();
      host.destroy();
    }
  };

  try {
    return await Promise.race([
      run().catch(async (err: unknown) => {
        await say('Sent without tracking: adding it failed.');
        await recordNote('error', { text: `Send check: ${describeError(err)}`, source: 'office', at: new Date(now()).toISOString() }, store, office).catch(() => undefined);
        return complete({ allowEvent: true });
      }),
      hardLimit,
    ]);
  } finally {
    clearTimeout(hardTimer);
  }
}
