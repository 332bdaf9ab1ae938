// What the tracked-send flow (compose-tracking.ts) needs from a compose window. Gmail's InboxSDK
// ComposeView (extension/gmail/gmail-compose-host.ts), the demo inbox's compose box
// (ui/demo-inbox/demo-compose-host.ts) and, next, Outlook's Office.js compose item each implement
// it; nothing in ui/compose talks to a mail client directly. The sidebar's counterpart is InboxHost
// (ui/sidebar/host.ts).
//
// Reads may answer at once (Gmail, the demo inbox) or later (Office.js answers through callbacks).
// Holding a send is a HeldSend the host completes when the flow says: Gmail cancels the click and
// clicks Send again; Outlook's Smart Alerts OnMessageSend event is completed with allowEvent
// true or false; the demo inbox's form waits on it.
import type { TrackedMessageRegistration } from '../api-client/api-types.ts';

export type MaybePromise<T> = T | Promise<T>;

/** Addresses as the window has them; the flow normalises them (compose-state.ts recipientsOf). */
export interface ComposeRecipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

/** A registration that made the message tracked. */
export type TrackedRegistration = Pick<TrackedMessageRegistration, 'decision' | 'html'> & {
  trackedMessageId: string;
  pixelUrl: string;
  /** The rewritten links, when the host's path to the API passes them on (the Gmail worker does not). */
  links?: TrackedMessageRegistration['links'];
};

/** What the flow decided for a send. */
export interface SendOutcome {
  /** Set when the message goes out tracked (its body was replaced by the tracked one). */
  registration: TrackedRegistration | null;
  /** Why it goes out untracked although tracking was on; the flow also shows it through notify(). */
  notice: string | null;
}

/**
 * A send the rep asked for, held by the host until the flow says what to do. The flow calls exactly
 * one of proceed() or cancel(), once: at once when there is nothing to add (so a host whose hold is
 * synchronous, like Gmail's, can let that very click through), or later, after registering.
 */
export interface HeldSend {
  /** Let the message go out with the body the window holds now. Throws if the host could not send. */
  proceed(outcome: SendOutcome): void;
  /**
   * Do not send this one; the draft stays. `reason` is for hosts that show one with the refusal
   * (Outlook's Smart Alerts dialog); null when another send of the same window is already on its way.
   */
  cancel(reason: string | null): void;
}

/** The host's ids for a sent message, as its email log knows them (e.g. `gmail:<id>`, an RFC 822 Message-ID). */
export interface SentMessage {
  messageId: string;
  threadId: string | null;
  /** ISO 8601; the flow uses the time it heard of it when absent. */
  sentAt?: string;
}

export interface ComposeHost {
  /** The thread replied to (the host's id); null for a new conversation. */
  getThreadId(): MaybePromise<string | null>;
  getRecipients(): MaybePromise<ComposeRecipients>;
  getSubject(): MaybePromise<string>;
  getBodyHtml(): MaybePromise<string>;
  /** Replaces the body. Editors may normalise it: the flow reads it back. */
  setBodyHtml(html: string): MaybePromise<void>;
  /** The rep pressed Send: `handler` gets the held send. Returns the function that stops listening. */
  onBeforeSend(handler: (send: HeldSend) => void): () => void;
  /** The message went out, with its ids. May come after the window closed, or never (Outlook has no id at send time). */
  onSent(handler: (sent: SentMessage) => void): () => void;
  onRecipientsChange(handler: () => void): () => void;
  /** The window went away (sent, discarded, closed). */
  onClose(handler: () => void): () => void;
  /** Whether the window went away; checked after registering, before letting the send go. */
  isClosed(): boolean;
  /** A short message in the host's own notification area (Gmail's butter bar, a toast, …). */
  notify(text: string): void;
}
