// The tracked-send flow, once for every host. Each compose window (a ComposeHost) gets a session:
// tracking starts as the rep's default says, and what the organisation's consent mode will record
// for the current recipients is asked for once they rest. When the rep presses Send with tracking
// on, the send is held, the message is registered with the CRM (the body with a pixel and rewritten
// links comes back), the tracked body is put in and the send goes on. All within one second of the
// press: if the CRM fails or has not answered by then, the mail goes out exactly as written and the
// rep is told why. After sending, the host's ids go to the CRM so the message can be found by them.
//
// Guards every host gets: one send per press (a second Send while registering is refused, the first
// goes out); the rep's own words win (typed during registering → sent untracked); a tracked body
// that reads differently is not used; a window closed while registering sends nothing; a body that
// already carries one of this page's pixels (a send the mail client refused, a draft reopened by
// Undo Send) is sent as that registration, never registered twice.
import { isApiError } from '../api-client/api-error.ts';
import type { ComposeHost, ComposeRecipients, HeldSend, MaybePromise, SendOutcome, SentMessage, TrackedRegistration } from './compose-host.ts';
import {
  containsPixel,
  hasRecipients,
  notTrackedNotice,
  recipientsKey,
  recipientsOf,
  sameTextPlusOptOutLine,
  sameVisibleText,
  sendAction,
  untrackedNotice,
  type AccountState,
  type ComposeState,
  type RegisterFailure,
} from './compose-state.ts';
import type { ComposeTrackingPort, RegisterAnswer } from './tracking-port.ts';

export interface ComposeTrackingOptions {
  port: ComposeTrackingPort;
  /** The longest Send may be held: one second. */
  deadlineMs?: number;
  /** Recipients change per keystroke; ask for the decision once they rest. */
  decisionDelayMs?: number;
  /** HTML → its visible text, to check the tracked body reads like the rep's; DOMParser by default. */
  textOf?: ((html: string) => string) | null;
  /** How the rep signs in again on this host, for "Sent without tracking: …". */
  signInHint?: string;
  /** A tracked message's sent report reached the CRM (the demo inbox then tells its sidebar). */
  onReported?(sent: SentMessage & { trackedMessageId: string }): void;
  onError?(error: unknown): void;
  now?: () => number;
}

export interface ComposeSession {
  getState(): ComposeState;
  subscribe(listener: () => void): () => void;
  /** The rep's click on the toggle. Ignored while registering. */
  toggle(): void;
  setOptOutLink(on: boolean): void;
  /** Makes the current choice the rep's default (where the port allows it). */
  rememberDefault(): Promise<void>;
  /** Stops listening to the window. */
  detach(): void;
}

export interface ComposeTracker {
  /** Loads the rep's defaults; returns the function that stops the flow (sends then pass untouched). */
  start(): () => void;
  /** The rep signed in or out: read the defaults again. */
  refreshAccount(): void;
  attach(host: ComposeHost): ComposeSession;
}

interface Decorated extends TrackedRegistration {
  /** The body as the rep wrote it, to put back if tracking is switched off before sending. */
  originalHtml: string;
  /** The body as the host holds it after setBodyHtml (editors normalise HTML). */
  bodyAsSet: string;
}

/** Continues with `value` now if it is there, or when it arrives: a host that answers at once keeps the flow synchronous. */
function whenReady<T>(value: MaybePromise<T>, then: (value: T) => void, failed: (err: unknown) => void) {
  if (value instanceof Promise) value.then(then, failed);
  else then(value);
}

/** A held send that answers only its first proceed/cancel, and says whether it was answered. */
function once(send: HeldSend): HeldSend & { decided(): boolean } {
  let decided = false;
  return {
    decided: () => decided,
    proceed(outcome) {
      if (decided) return;
      decided = true;
      send.proceed(outcome);
    },
    cancel(reason) {
      if (decided) return;
      decided = true;
      send.cancel(reason);
    },
  };
}

const untracked: SendOutcome = { registration: null, notice: null };

const domText = typeof DOMParser === 'function' ? (html: string) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '' : null;

type RegisterResult = { kind: 'answer'; answer: RegisterAnswer } | { kind: 'failed'; failure: RegisterFailure };

const failureOf = (err: unknown): RegisterFailure =>
  isApiError(err) ? { code: err.code, message: err.message } : { code: 'OFFLINE', message: err instanceof Error ? err.message : String(err) };

/** The port keeps its own time too; this is the guarantee, whatever it does: settled by `ms`, and aborted then. */
async function registerWithin(run: (signal: AbortSignal, timeoutMs: number) => Promise<RegisterAnswer>, ms: number): Promise<RegisterResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<RegisterResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'failed', failure: { code: 'TIMEOUT', message: 'no answer in time' } });
    }, Math.max(0, ms));
  });
  const answered = run(controller.signal, Math.max(0, ms)).then(
    (answer): RegisterResult => ({ kind: 'answer', answer }),
    (err: unknown): RegisterResult => ({ kind: 'failed', failure: failureOf(err) }),
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createComposeTracking(options: ComposeTrackingOptions): ComposeTracker {
  const { port } = options;
  const deadlineMs = options.deadlineMs ?? 1000;
  const decisionDelayMs = options.decisionDelayMs ?? 400;
  const textOf = options.textOf === undefined ? domText : options.textOf;
  const now = options.now ?? (() => Date.now());
  const onError = (err: unknown) => options.onError?.(err);
  let stopped = true;

  let account: AccountState = { kind: 'loading' };
  const accountListeners = new Set<() => void>();
  let accountRequest = 0;
  function loadAccount() {
    const request = ++accountRequest;
    port.settings().then(
      (defaults) => setAccount(request, { kind: 'ready', defaults }),
      (err: unknown) => setAccount(request, isApiError(err) && err.code === 'UNAUTHENTICATED' ? { kind: 'signed-out' } : { kind: 'unavailable', message: failureOf(err).message }),
    );
  }
  function setAccount(request: number, next: AccountState) {
    if (request !== accountRequest) return;
    account = next;
    for (const listener of [...accountListeners]) listener();
  }

  // Pixels this page put into bodies: a draft that comes back (Undo Send reopens it in a new window)
  // still carries one, and is sent as that registration, never registered a second time.
  const decorated = new Map<string, Decorated>();
  const carriedIn = (html: string) => [...decorated.values()].find((r) => containsPixel(html, r.pixelUrl)) ?? null;

  function attach(host: ComposeHost): ComposeSession {
    let state: ComposeState = {
      trackingOn: account.kind === 'ready' && account.defaults.trackByDefault,
      optOutLink: false,
      registering: false,
      decision: { kind: 'none' },
      account,
    };
    let touched = false;
    let registration: Decorated | null = null;
    let decisionRequest = 0;
    let decisionTimer: ReturnType<typeof setTimeout> | undefined;
    let decisionAbort: AbortController | null = null;
    const listeners = new Set<() => void>();
    const set = (patch: Partial<ComposeState>) => {
      state = { ...state, ...patch };
      for (const listener of [...listeners]) listener();
    };

    function askDecision(delayMs = decisionDelayMs) {
      clearTimeout(decisionTimer);
      if (!state.trackingOn) return;
      whenReady(
        host.getRecipients(),
        (raw) => {
          const r = recipientsOf(raw);
          const key = recipientsKey(r);
          if (!hasRecipients(r)) {
            decisionRequest++;
            decisionAbort?.abort();
            return set({ decision: { kind: 'none' } });
          }
          const d = state.decision;
          if ((d.kind === 'known' || d.kind === 'loading') && d.key === key) return;
          set({ decision: { kind: 'loading', key } });
          decisionTimer = setTimeout(() => {
            const request = ++decisionRequest;
            decisionAbort?.abort();
            const controller = (decisionAbort = new AbortController());
            port.decision(r, { signal: controller.signal }).then(
              (decision) => {
                if (request === decisionRequest && !host.isClosed()) set({ decision: { kind: 'known', key, decision } });
              },
              (err: unknown) => {
                if (request !== decisionRequest || host.isClosed()) return; // recipients changed meanwhile
                const message = isApiError(err) && err.code === 'VALIDATION_FAILED' ? 'A recipient address is not valid' : failureOf(err).message;
                set({ decision: { kind: 'unavailable', key, message } });
              },
            );
          }, delayMs);
        },
        onError,
      );
    }

    function toggle() {
      if (state.registering) return;
      touched = true;
      const trackingOn = !state.trackingOn;
      // Switched off after tracking was added (a send the mail client refused): put the rep's body back, if untouched since.
      const added = registration;
      if (!trackingOn && added) {
        whenReady(
          host.getBodyHtml(),
          (body) => {
            if (body !== added.bodyAsSet) return;
            void host.setBodyHtml(added.originalHtml);
            decorated.delete(added.pixelUrl);
            if (registration === added) registration = null;
          },
          onError,
        );
      }
      set({ trackingOn });
      askDecision(0);
    }

    const onAccount = () => {
      set({ account, ...(touched ? {} : { trackingOn: account.kind === 'ready' && account.defaults.trackByDefault }) });
      askDecision(0);
    };
    accountListeners.add(onAccount);

    /** Tells the host to send, then the rep why it went out untracked (if it did). */
    function proceed(send: HeldSend, outcome: SendOutcome) {
      try {
        send.proceed(outcome);
      } catch (err) {
        onError(err);
        host.notify('Not sent: the mail did not go out. Press Send again.'); // that press goes through as it is
        return;
      }
      if (outcome.notice) host.notify(outcome.notice);
    }

    async function registerThenSend(send: HeldSend, snapshot: { html: string; raw: ComposeRecipients; subject: string; threadId: string | null }, pressedAt: number) {
      let notice: string | null = null;
      let added: Decorated | null = null;
      try {
        const r = recipientsOf(snapshot.raw);
        const leftMs = deadlineMs - (now() - pressedAt);
        const result = await registerWithin(
          (signal, timeoutMs) =>
            port.register({ ...r, html: snapshot.html, subject: snapshot.subject || null, threadId: snapshot.threadId, optOutLink: state.optOutLink }, { signal, timeoutMs }),
          leftMs,
        );
        if (host.isClosed()) {
          set({ registering: false });
          send.cancel('The email was closed while tracking was being added.');
          host.notify('Not sent: the email was closed while tracking was being added. It is in your Drafts.');
          return;
        }
        const reg = result.kind === 'answer' ? result.answer : null;
        if (result.kind === 'failed') notice = untrackedNotice(result.failure, options.signInHint);
        else if (!reg?.trackedMessageId || !reg.pixelUrl) notice = reg ? notTrackedNotice(reg.decision) : null;
        else if ((await host.getBodyHtml()) !== snapshot.html) notice = 'Sent without tracking: the email changed while tracking was being added.';
        else if (textOf && !(state.optOutLink ? sameTextPlusOptOutLine : sameVisibleText)(snapshot.html, reg.html, textOf)) notice = 'Sent without tracking: the tracked version would have changed its text.';
        else {
          await host.setBodyHtml(reg.html);
          const tracked = { ...reg, trackedMessageId: reg.trackedMessageId, pixelUrl: reg.pixelUrl };
          added = { ...tracked, originalHtml: snapshot.html, bodyAsSet: await host.getBodyHtml() };
          registration = added;
          decorated.set(added.pixelUrl, added);
        }
      } catch (err) {
        onError(err);
        notice = 'Sent without tracking: adding it failed.';
      }
      set({ registering: false });
      proceed(send, { registration: added && registrationOf(added), notice });
    }

    function onBeforeSend(hostSend: HeldSend) {
      const pressedAt = now();
      const send = once(hostSend);
      // After stop (the extension was reloaded under the page): never in the way.
      if (stopped) return proceed(send, untracked);
      const untouched = (err: unknown) => {
        onError(err); // reading the window failed: never stand between the rep and Send
        if (!send.decided()) proceed(send, untracked);
      };
      try {
        whenReady(host.getBodyHtml(), (html) => whenReady(host.getRecipients(), (raw) => decide(send, html, raw, pressedAt), untouched), untouched);
      } catch (err) {
        untouched(err);
      }
    }

    function decide(send: HeldSend, html: string, raw: ComposeRecipients, pressedAt: number) {
      const carried = registration && containsPixel(html, registration.pixelUrl) ? registration : carriedIn(html);
      const { decision } = state;
      switch (sendAction({ registering: state.registering, trackingOn: state.trackingOn, carriesRegistration: Boolean(carried), decision, key: recipientsKey(recipientsOf(raw)) })) {
        case 'hold':
          return send.cancel(null);
        case 'send':
          if (carried) registration = carried;
          return proceed(send, { registration: carried && registrationOf(carried), notice: null });
        case 'send-untracked':
          return proceed(send, { registration: null, notice: decision.kind === 'known' ? notTrackedNotice(decision.decision) : null });
        case 'register': {
          set({ registering: true });
          const failed = (err: unknown) => {
            onError(err);
            set({ registering: false });
            proceed(send, { registration: null, notice: 'Sent without tracking: adding it failed.' });
          };
          whenReady(host.getSubject(), (subject) => whenReady(host.getThreadId(), (threadId) => void registerThenSend(send, { html, raw, subject, threadId }, pressedAt), failed), failed);
        }
      }
    }

    function onSent(sent: SentMessage) {
      const reg = registration;
      if (!reg || stopped) return;
      const report = { ...sent, sentAt: sent.sentAt ?? new Date(now()).toISOString() };
      port.reportSent(reg.trackedMessageId, report).then(
        () => options.onReported?.({ ...report, trackedMessageId: reg.trackedMessageId }),
        (err: unknown) => {
          onError(err);
          host.notify('The CRM could not be told this message was sent, so its opens will not show in the sidebar.');
        },
      );
    }

    const closeTimers = () => {
      clearTimeout(decisionTimer);
      decisionAbort?.abort();
      accountListeners.delete(onAccount);
    };
    const stops = [
      host.onBeforeSend(onBeforeSend),
      host.onSent(onSent),
      host.onRecipientsChange(() => askDecision()),
      // The sent report may still come after the window closed: onSent stays until detach().
      host.onClose(closeTimers),
    ];
    askDecision(0);

    return {
      getState: () => state,
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      toggle,
      setOptOutLink: (on) => set({ optOutLink: on }),
      async rememberDefault() {
        if (!port.setTrackByDefault) throw new Error('This host cannot change the tracking default');
        const defaults = await port.setTrackByDefault(state.trackingOn);
        account = { kind: 'ready', defaults };
        for (const listener of [...accountListeners]) listener();
      },
      detach() {
        closeTimers();
        for (const stop of stops.splice(0)) stop();
        listeners.clear();
      },
    };
  }

  return {
    start() {
      stopped = false;
      loadAccount();
      return () => {
        stopped = true;
        accountRequest++;
      };
    },
    refreshAccount: loadAccount,
    attach,
  };
}

const registrationOf = ({ originalHtml: _original, bodyAsSet: _asSet, ...registration }: Decorated): TrackedRegistration => registration;
