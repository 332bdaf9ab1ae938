// What the sidebar needs from the mailbox it lives in. Gmail (InboxSDK), Outlook (Office.js) and
// the demo inbox each implement this in their own adapter; nothing in ui/sidebar talks to a host
// directly, so the sidebar runs (and is tested) anywhere React runs. Its counterpart for a compose
// window, what the tracked-send flow needs, is ComposeHost (ui/compose/compose-host.ts).

export interface Participant {
  /** Display name as the host shows it; empty when the host has none. */
  name: string;
  email: string;
}

export interface InboxMessage {
  /** RFC 822 Message-ID when the host can provide it, else the host's own message id. */
  messageId: string;
  /**
   * The host's own id for this copy (e.g. `gmail:<id>`) when `messageId` is the RFC 822 Message-ID
   * and the host logged or reported the message under its own id before: the API then keeps one
   * activity for both.
   */
  hostMessageId?: string;
  from: Participant;
  to: Participant[];
  cc: Participant[];
  subject: string;
  /** ISO 8601 with offset, e.g. 2026-11-20T09:30:00Z. */
  date: string;
  direction: 'inbound' | 'outbound';
  snippet?: string;
  /** The message's own text, where the host can read it: a new contact's title is offered from its signature. */
  bodyText?: string;
  /**
   * Bulk-mail headers where the host exposes them (List-Unsubscribe, List-Id, Precedence,
   * Auto-Submitted). Names are matched case-insensitively.
   */
  headers?: Record<string, string>;
}

export interface InboxThread {
  /** Stable per mailbox: the cache and the per-thread logging switch are keyed by it. */
  threadId: string;
  subject: string;
  participants: Participant[];
  messages: InboxMessage[];
  /** The signed-in mailbox's own address. */
  userEmail: string;
}

/** A tracked message the host has just reported as sent (POST /tracking/messages/{id}/sent). */
export interface TrackedMessageSentEvent {
  threadId: string;
  /** The host's id for it, as in InboxMessage.messageId. */
  messageId: string;
}

export interface InboxHost {
  /**
   * Calls `listener` with the thread the user opened, or null when none is open any more.
   * Should call it at once with the current thread if one is already open. Calling it again
   * with the same threadId (e.g. more messages loaded) updates that thread in place.
   * Returns a function that stops the subscription.
   */
  onThreadChange(listener: (thread: InboxThread | null) => void): () => void;
  /** A short message in the host's own notification area (Gmail's butter bar, …). */
  showNotification?(text: string): void;
  /**
   * Optional: calls `listener` when the host has reported a tracked message as sent, so the sidebar
   * asks for that message's tracking if its thread is open (the thread may have been shown before
   * the report reached the API). Returns a function that stops the subscription.
   */
  onTrackedMessageSent?(listener: (sent: TrackedMessageSentEvent) => void): () => void;
}
