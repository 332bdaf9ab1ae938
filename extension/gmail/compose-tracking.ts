// Feature: open and click tracking from Gmail's compose window.
//
// Every compose window (new, reply, inline reply) gets a tracking button whose icon shows the
// state (eye on, crossed off, amber when this mail will not be tracked) and whose tooltip says what
// the organisation's consent mode will record for the current recipients (POST /tracking/decision,
// asked again when they change). It starts as the rep's trackByDefault says.
//
// On Send with tracking on, the flow InboxSDK 2.2 allows (its 'presending' event is synchronous and
// cancel() is its only hold on the send): cancel that send, register the message through the
// background (POST /tracking/messages), replace the body with the API's tracked version (same text,
// rewritten link targets, a 1x1 pixel), and send() again, which raises one more 'presending' that
// we let through. All within one second of the rep's click: if the API fails or has not answered
// by then, the mail goes out exactly as written, and the butter bar says "Sent without tracking: …".
// One send() per click, whatever happens; never a send while the rep's own is still pending.
// After Gmail confirms ('sent', whose ids are promises), the Gmail message and thread ids go to the
// background (POST /tracking/messages/{id}/sent), which keeps the report if the API is away.
//
// Not tracked, on purpose or by InboxSDK's limits (see extension/README.md): scheduled sends (they
// do not raise 'presending'); Send + archive is sent as plain Send after registering (InboxSDK
// does not say which button was pressed); the opt-out line (the API could add one; the toggle does
// not offer it yet).
//
// Check by hand: Gmail → Compose → the eye next to the formatting buttons; hover it with a
// recipient typed; Send; the sent mail's "Show original" has the pixel <img> and rewritten links.
// Stop the API and send again: the mail leaves within a second and the butter bar says why it
// was not tracked.
import type { ButterBar, ComposeButtonDescriptor, ContactNameOptional } from '@inboxsdk/core';
import type { TrackingFailure, TrackingRecipients } from '../messages.ts';
import {
  buttonLook,
  containsPixel,
  hasRecipients,
  presendingAction,
  recipientsKey,
  recipientsOf,
  sameVisibleText,
  untrackedNotice,
  type Account,
  type DecisionState,
  type Phase,
} from './compose-tracking-state.ts';
import type { TrackingClient } from './tracking-client.ts';

type ButtonDescriptor = ComposeButtonDescriptor | null | undefined;
/** Kefir's event shape (we only ever emit values). */
type DescriptorEvent = { type: 'value'; value: ButtonDescriptor } | { type: 'error'; value: unknown } | { type: 'end'; value: void };

/**
 * addButton also takes a stream of descriptors, to redraw the button. InboxSDK casts anything with
 * onAny/offAny (Kefir's shape) to its own stream, so this small one avoids bundling Kefir again.
 */
export interface DescriptorStream {
  onAny(listener: (event: DescriptorEvent) => void): unknown;
  offAny(listener: (event: DescriptorEvent) => void): unknown;
}

/** The part of InboxSDK's ComposeView this feature uses (names and types from @inboxsdk/core). */
export interface SdkComposeView {
  readonly destroyed: boolean;
  addButton(descriptor: ButtonDescriptor | DescriptorStream): unknown;
  on(event: 'presending', listener: (event: { cancel(): void }) => void): unknown;
  on(event: 'sent', listener: (event: { getMessageID(): Promise<string>; getThreadID(): Promise<string> }) => void): unknown;
  on(event: 'sendCanceled' | 'recipientsChanged' | 'scheduleSendMenuOpening' | 'destroy', listener: () => void): unknown;
  send(): void;
  getHTMLContent(): string;
  setBodyHTML(html: string): void;
  getToRecipients(): ContactNameOptional[];
  getCcRecipients(): ContactNameOptional[];
  getBccRecipients(): ContactNameOptional[];
  getSubject(): string;
  /** The thread replied to; empty (or undefined at run time) for a new message. */
  getThreadID(): string;
}

export interface ComposeSdk {
  Compose: { registerComposeViewHandler(handler: (composeView: SdkComposeView) => void): () => void };
  ButterBar: Pick<ButterBar, 'showMessage'>;
}

export interface ComposeTrackingOptions {
  client: TrackingClient;
  /** The longest Send may be held: one second. */
  deadlineMs?: number;
  /** Recipients change per keystroke; ask for the decision once they rest. */
  decisionDelayMs?: number;
  /** HTML → its visible text, to check the tracked body reads like the rep's; DOMParser by default. */
  textOf?: ((html: string) => string) | null;
  onError?(error: unknown): void;
  now?: () => number;
}

export interface ComposeTracking {
  /** The rep signed in or out: read the defaults again. */
  refreshAccount(): void;
  stop(): void;
}

interface Registration {
  trackedMessageId: string;
  pixelUrl: string;
  /** The body as the rep wrote it, to put back if tracking is switched off before sending. */
  originalHtml: string;
  /** The body as Gmail's editor holds it after setBodyHTML (the editor normalises HTML). */
  bodyAsSet: string;
}

const svg = (body: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">${body}</svg>`)}`;
const eye = (color: string) =>
  `<path fill="${color}" d="M12 5C6.6 5 2.8 9.2 1.5 12c1.3 2.8 5.1 7 10.5 7s9.2-4.2 10.5-7C21.2 9.2 17.4 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/>`;
export const trackingIcons = {
  on: svg(eye('#1a73e8')),
  off: svg(`${eye('#80868b')}<path stroke="#80868b" stroke-width="2" stroke-linecap="round" d="M4 3l16 18"/>`),
  warn: svg(`${eye('#e37400')}<circle cx="19" cy="5" r="4" fill="#e37400"/><path stroke="#fff" stroke-width="1.6" stroke-linecap="round" d="M19 3v2.4M19 7.2v.1"/>`),
};

const domText = typeof DOMParser === 'function' ? (html: string) => new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '' : null;

export function createDescriptorStream(initial: ButtonDescriptor) {
  let current = initial;
  const listeners = new Set<(event: DescriptorEvent) => void>();
  const stream: DescriptorStream = {
    onAny(listener) {
      listeners.add(listener);
      listener({ type: 'value', value: current });
      return stream;
    },
    offAny(listener) {
      listeners.delete(listener);
      return stream;
    },
  };
  return {
    stream,
    set(next: ButtonDescriptor) {
      current = next;
      for (const listener of [...listeners]) listener({ type: 'value', value: next });
    },
  };
}

const emails = (contacts: ContactNameOptional[]) => contacts.map((c) => c.emailAddress);

/** The client keeps its own time too; this is the guarantee, whatever the client does. */
function withDeadline<T extends object>(answer: Promise<T | TrackingFailure>, ms: number): Promise<T | TrackingFailure> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<TrackingFailure>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'TIMEOUT', message: 'no answer in time' }), Math.max(0, ms));
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

export function startComposeTracking(sdk: ComposeSdk, options: ComposeTrackingOptions): ComposeTracking {
  const { client } = options;
  const deadlineMs = options.deadlineMs ?? 1000;
  const decisionDelayMs = options.decisionDelayMs ?? 400;
  const textOf = options.textOf === undefined ? domText : options.textOf;
  const now = options.now ?? (() => Date.now());
  const onError = (err: unknown) => options.onError?.(err);
  const butter = (text: string) => void sdk.ButterBar.showMessage({ text, time: 8000 });
  let stopped = false;

  let account: Account = { kind: 'loading' };
  const accountListeners = new Set<() => void>();
  let accountRequest = 0;
  function loadAccount() {
    const request = ++accountRequest;
    void client.settings().then((answer) => {
      if (request !== accountRequest) return;
      account = answer.ok ? { kind: 'ready', defaults: answer.settings } : answer.code === 'UNAUTHENTICATED' ? { kind: 'signed-out' } : { kind: 'unavailable', message: answer.message };
      for (const listener of [...accountListeners]) listener();
    });
  }

  // Pixels this tab put into bodies: a draft that comes back (Undo Send reopens it as a new compose
  // window) still carries one, and is sent as that registration, never registered a second time.
  const decorated = new Map<string, Registration>();
  const carriedIn = (html: string) => [...decorated.values()].find((r) => containsPixel(html, r.pixelUrl)) ?? null;

  function attach(view: SdkComposeView) {
    let trackingOn = account.kind === 'ready' && account.defaults.trackByDefault;
    let touched = false;
    let phase: Phase = 'idle';
    let ownCancels = 0; // cancels we made: their 'sendCanceled' is not Gmail refusing a send
    let decision: DecisionState = { kind: 'none' };
    let decisionRequest = 0;
    let decisionTimer: ReturnType<typeof setTimeout> | undefined;
    let registration: Registration | null = null;

    const recipients = (): TrackingRecipients => recipientsOf(emails(view.getToRecipients()), emails(view.getCcRecipients()), emails(view.getBccRecipients()));
    const descriptor = (): ComposeButtonDescriptor => {
      const look = buttonLook({ trackingOn, phase, decision, account });
      return { title: look.title, tooltip: look.tooltip, iconUrl: trackingIcons[look.icon], enabled: look.enabled, onClick: toggle };
    };
    const button = createDescriptorStream(descriptor());
    const redraw = () => button.set(descriptor());

    function askDecision(delayMs = decisionDelayMs) {
      clearTimeout(decisionTimer);
      if (!trackingOn) return;
      const r = recipients();
      const key = recipientsKey(r);
      if (!hasRecipients(r)) {
        decisionRequest++;
        decision = { kind: 'none' };
        return redraw();
      }
      if ((decision.kind === 'known' || decision.kind === 'loading') && decision.key === key) return;
      decision = { kind: 'loading', key };
      redraw();
      decisionTimer = setTimeout(() => {
        const request = ++decisionRequest;
        void client.decision(r).then((answer) => {
          if (request !== decisionRequest || view.destroyed) return; // recipients changed meanwhile
          decision = answer.ok
            ? { kind: 'known', key, decision: answer.decision }
            : { kind: 'unavailable', key, message: answer.code === 'VALIDATION_FAILED' ? 'A recipient address is not valid' : answer.message };
          redraw();
        });
      }, delayMs);
    }

    function toggle() {
      if (phase === 'registering' || phase === 'resending') return;
      trackingOn = !trackingOn;
      touched = true;
      // Switched off after tracking was added (a send Gmail refused): put the rep's body back, if untouched since.
      if (!trackingOn && registration && view.getHTMLContent() === registration.bodyAsSet) {
        view.setBodyHTML(registration.originalHtml);
        decorated.delete(registration.pixelUrl);
        registration = null;
      }
      redraw();
      askDecision(0);
    }

    const onAccount = () => {
      if (!touched) trackingOn = account.kind === 'ready' && account.defaults.trackByDefault;
      redraw();
      askDecision(0);
    };
    accountListeners.add(onAccount);

    async function registerThenSend(html: string, r: TrackingRecipients, pressedAt: number) {
      let notice: string | null = null;
      try {
        const leftMs = deadlineMs - (now() - pressedAt);
        const answer = await withDeadline(client.register({ ...r, html, subject: view.getSubject() || null, threadId: view.getThreadID() || null }, leftMs), leftMs);
        if (view.destroyed) {
          phase = 'idle';
          butter('Not sent: the email was closed while tracking was being added. It is in your Drafts.');
          return;
        }
        const reg = answer.ok ? answer.registration : null;
        if (!answer.ok) notice = untrackedNotice(answer);
        else if (!reg?.trackedMessageId || !reg.pixelUrl) notice = untrackedNotice({ code: reg?.decision.reason ?? 'NOT_TRACKED', message: reg?.decision.explanation ?? 'not tracked' });
        else if (view.getHTMLContent() !== html) notice = 'Sent without tracking: the email changed while tracking was being added.';
        else if (textOf && !sameVisibleText(html, reg.html, textOf)) notice = 'Sent without tracking: the tracked version would have changed its text.';
        else {
          view.setBodyHTML(reg.html);
          registration = { trackedMessageId: reg.trackedMessageId, pixelUrl: reg.pixelUrl, originalHtml: html, bodyAsSet: view.getHTMLContent() };
          decorated.set(reg.pixelUrl, registration);
        }
      } catch (err) {
        onError(err);
        notice = 'Sent without tracking: adding it failed.';
      }
      phase = 'resending';
      redraw();
      try {
        view.send(); // the one send for this click
      } catch (err) {
        onError(err);
        notice = 'Not sent: Gmail did not take the send. Press Send again.'; // that click goes through as it is
      }
      if (notice) butter(notice);
    }

    view.on('presending', (event) => {
      if (stopped) return;
      let action: ReturnType<typeof presendingAction>;
      let html: string;
      let r: TrackingRecipients;
      try {
        html = view.getHTMLContent();
        r = recipients();
        const carried = registration && containsPixel(html, registration.pixelUrl) ? registration : carriedIn(html);
        action = presendingAction({ phase, trackingOn, decorated: Boolean(carried), decision, key: recipientsKey(r) });
        if (action === 'pass') registration = carried;
      } catch (err) {
        onError(err); // reading the compose window failed: never stand between the rep and Send
        return;
      }
      if (action === 'pass' || action === 'pass-own') {
        phase = 'sending';
        return;
      }
      ownCancels++;
      event.cancel();
      if (action === 'hold') return;
      phase = 'registering';
      redraw();
      void registerThenSend(html, r, now());
    });

    view.on('sendCanceled', () => {
      if (ownCancels > 0) {
        ownCancels--;
        return;
      }
      if (phase === 'sending' || phase === 'resending') {
        phase = 'idle';
        redraw();
      }
    });

    view.on('sent', (event) => {
      phase = 'sent';
      const reg = registration;
      if (!reg || stopped) return;
      const sentAt = new Date(now()).toISOString();
      void (async () => {
        const [messageId, threadId] = await Promise.all([event.getMessageID(), event.getThreadID().catch(() => null)]);
        const answer = await client.sent({ trackedMessageId: reg.trackedMessageId, messageId: `gmail:${messageId}`, threadId: threadId || null, sentAt });
        if (!answer.ok) throw new Error(`Reporting a tracked send failed: ${answer.message}`);
      })().catch(onError);
    });

    view.on('recipientsChanged', () => askDecision());
    view.on('scheduleSendMenuOpening', () => {
      if (trackingOn && !stopped) butter('Scheduled emails go out without tracking: Inbox CRM adds it on Send only.');
    });
    view.on('destroy', () => {
      clearTimeout(decisionTimer);
      accountListeners.delete(onAccount);
    });

    view.addButton(button.stream);
    askDecision(0);
  }

  const unregister = sdk.Compose.registerComposeViewHandler((view) => {
    try {
      attach(view);
    } catch (err) {
      onError(err);
    }
  });
  loadAccount();

  return {
    refreshAccount: loadAccount,
    stop() {
      stopped = true;
      unregister();
      accountListeners.clear();
    },
  };
}
