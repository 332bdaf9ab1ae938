// Gmail as an InboxHost (ui/sidebar/host.ts), through InboxSDK. Every InboxSDK call the extension
// makes is in this folder. The adapter asks for the narrow slice of the SDK below (picked from
// @inboxsdk/core's own types), so tests drive it with a fake and the real SDK still type-checks
// against it where the content script passes it in.
//
// Assumptions, as of @inboxsdk/core 2.2.26 (checked against its typings and bundle, 2026-11-21):
// - We use no Gmail selectors ourselves; InboxSDK owns them (its MessageView.getDateString reads
//   the title of the message's date element, which is why we prefer the id-derived date below).
// - InboxSDK does not expose the RFC 822 Message-ID (it reads it internally from the "Show
//   original" page), nor the List-*/Precedence headers, nor which recipients were To and which Cc.
//   The adapter reads them from that page itself (options.readOriginal, original-message.ts); when
//   it cannot, a message carries the Gmail message id as `gmail:<id>`, no headers, and every
//   recipient under `to`, and the API reconciles it once the Message-ID arrives (hostMessageId).
// - Gmail's message ids (legacy hex, or msg-f:<decimal>) are the receive time in milliseconds
//   shifted left by 20 bits; that gives a date independent of the display language.
// - Only loaded messages can be read (getSender throws otherwise); a collapsed message that loads
//   later, and a message that arrives in the open thread, come through registerMessageViewHandler.
import type { ButterBar, Contact, ContactNameOptional, LabelDescriptor, MessageView, ThreadRowView, ThreadView, User } from '@inboxsdk/core';
import type { InboxHost, InboxMessage, InboxThread, Participant } from '../../ui/sidebar/host.ts';
import { plainTextOf } from './message-text.ts';
import type { OriginalHeaders } from './original-message.ts';

export interface SdkMessageView extends Pick<MessageView, 'getSender' | 'getRecipientsFull' | 'getRecipients' | 'getMessageIDAsync' | 'getDateString' | 'isLoaded' | 'getBodyElement'> {
  getThreadView(): SdkThreadView;
}

export interface SdkThreadView extends Pick<ThreadView, 'getSubject' | 'getThreadIDAsync'> {
  getMessageViewsAll(): SdkMessageView[];
  on(event: 'destroy', listener: () => void): unknown;
}

export type SdkThreadRowView = Pick<ThreadRowView, 'addLabel' | 'getThreadIDAsync' | 'getSubject' | 'getContacts' | 'getVisibleMessageCount' | 'destroyed'>;

/** The part of InboxSDK's `sdk` object this adapter uses. */
export interface GmailSdk {
  Conversations: {
    registerThreadViewHandler(handler: (threadView: SdkThreadView) => void): () => void;
    registerMessageViewHandler(handler: (messageView: SdkMessageView) => void): () => void;
  };
  Lists: {
    registerThreadRowViewHandler(handler: (threadRowView: SdkThreadRowView) => void): () => void;
  };
  ButterBar: Pick<ButterBar, 'showMessage'>;
  User: Pick<User, 'getEmailAddress'>;
}

/** A label on a thread row in a list (Inbox, Sent, search results). */
export interface RowLabel {
  title: string;
  foregroundColor?: string;
  backgroundColor?: string;
  iconUrl?: string;
}

export interface ThreadRowInfo {
  threadId: string;
  subject: string;
  contacts: Participant[];
  messageCount: number;
}

/** Decides a row's label; null for none. Called again whenever Gmail redraws the row. */
export type RowLabeler = (row: ThreadRowInfo) => RowLabel | null | Promise<RowLabel | null>;

export interface GmailHost extends InboxHost {
  /** Labels thread rows as they are drawn; returns the function that stops labelling new rows. */
  labelThreadRows(labeler: RowLabeler): () => void;
  /** Unregisters every InboxSDK handler this adapter added. */
  destroy(): void;
}

export interface GmailHostOptions {
  /** Reading a thread or a row failed (Gmail changed, the SDK threw): report it, don't break the page. */
  onError?(error: unknown): void;
  /** Message views arrive one by one when a thread opens; rebuild once after they settle. */
  settleMs?: number;
  snippetLength?: number;
  /**
   * The message's own headers from Gmail's "Show original" page (original-message.ts): its RFC 822
   * Message-ID (one activity across hosts), To vs Cc, the bulk-mail headers. Null or absent: the
   * message goes by Gmail's id, every recipient under To.
   */
  readOriginal?(gmailId: string): Promise<OriginalHeaders | null>;
}

const gmailEpoch = Date.UTC(2004, 3, 1);

/** The receive time encoded in a Gmail message id (hex "18c1…" or "msg-f:1783…"), if it is one. */
export function dateFromGmailMessageId(id: string, now = Date.now()): Date | null {
  let value: bigint;
  try {
    const decimal = /^msg-[af]:(\d{10,20})$/.exec(id)?.[1];
    if (decimal) value = BigInt(decimal);
    else if (/^[0-9a-f]{12,16}$/i.test(id)) value = BigInt(`0x${id}`);
    else return null;
  } catch {
    return null;
  }
  const ms = Number(value >> 20n);
  return ms >= gmailEpoch && ms <= now + 2 * 86_400_000 ? new Date(ms) : null;
}

/** Gmail's date tooltip, e.g. "Thu, Nov 20, 2026, 9:30 AM (2 days ago)"; English only, the fallback. */
export function parseGmailDateString(text: string): Date | null {
  const cleaned = text
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/[\u202f\u00a0]/g, ' ')
    .replace(/^[A-Za-z]{3,9},\s*/, '')
    .replace(/ at /, ' ')
    .trim();
  const ms = Date.parse(cleaned);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const participant = (c: Contact | ContactNameOptional): Participant => ({
  name: (c.name ?? '').trim(),
  email: c.emailAddress.trim().toLowerCase(),
});

/** One entry per address, keeping the first real name seen (Gmail shows "me" or the address itself for some). */
function uniqueParticipants(all: Participant[]): Participant[] {
  const byEmail = new Map<string, Participant>();
  for (const p of all) {
    if (!p.email) continue;
    const seen = byEmail.get(p.email);
    const named = p.name && p.name !== p.email && p.name.toLowerCase() !== 'me';
    if (!seen) byEmail.set(p.email, named ? p : { name: '', email: p.email });
    else if (!seen.name && named) byEmail.set(p.email, p);
  }
  return [...byEmail.values()];
}

export function createGmailHost(sdk: GmailSdk, options: GmailHostOptions = {}): GmailHost {
  const settleMs = options.settleMs ?? 50;
  const snippetLength = options.snippetLength ?? 280;
  const onError = (err: unknown) => options.onError?.(err);
  const listeners = new Set<(thread: InboxThread | null) => void>();
  let currentView: SdkThreadView | null = null;
  let current: InboxThread | null = null;
  let lastEmitted = 'null';
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unregister: (() => void)[] = [];

  function emit(thread: InboxThread | null) {
    const key = JSON.stringify(thread);
    if (key === lastEmitted) return; // a rebuild that found nothing new
    lastEmitted = key;
    current = thread;
    for (const listener of [...listeners]) listener(thread);
  }

  async function readMessage(view: SdkMessageView, subject: string, userEmail: string): Promise<{ message: InboxMessage | null; people: Participant[] }> {
    const from = participant(view.getSender());
    let recipients: ContactNameOptional[];
    try {
      recipients = await view.getRecipientsFull(); // full names, may ask Gmail's servers
    } catch {
      recipients = view.getRecipients();
    }
    const recipientList = uniqueParticipants(recipients.map(participant));
    const gmailId = await view.getMessageIDAsync();
    const original = options.readOriginal ? await options.readOriginal(gmailId).catch(() => null) : null;
    // With the headers: To and Cc as sent (names as Gmail shows them); Bcc'd people stay among the people.
    const names = new Map(recipientList.map((p) => [p.email, p.name]));
    const fromHeader = (list: { email: string; name?: string | null }[]) =>
      uniqueParticipants(list.map((a) => ({ email: a.email.trim().toLowerCase(), name: names.get(a.email.trim().toLowerCase()) || (a.name ?? '').trim() })));
    const to = original ? fromHeader(original.to) : recipientList;
    const cc = original ? fromHeader(original.cc) : [];
    const date = dateFromGmailMessageId(gmailId) ?? parseGmailDateString(view.getDateString());
    // Without a date the message cannot be logged truthfully; its people still count.
    if (!date) return { message: null, people: [from, ...recipientList] };
    let snippet: string | undefined;
    let bodyText: string | undefined;
    try {
      bodyText = plainTextOf(view.getBodyElement()).trim() || undefined;
      snippet = bodyText?.replace(/\s+/g, ' ').slice(0, snippetLength);
    } catch {
      snippet = bodyText = undefined;
    }
    const message: InboxMessage = {
      // The Message-ID when Gmail gave it up; the API then also knows the message by Gmail's id.
      messageId: original?.messageId ?? `gmail:${gmailId}`,
      ...(original ? { hostMessageId: `gmail:${gmailId}` } : {}),
      from,
      to,
      cc,
      subject,
      date: date.toISOString(),
      direction: from.email === userEmail ? 'outbound' : 'inbound',
      ...(snippet ? { snippet } : {}),
      ...(bodyText ? { bodyText } : {}),
      ...(original && Object.keys(original.bulk).length ? { headers: original.bulk } : {}),
    };
    return { message, people: [from, ...recipientList] };
  }

  async function build(view: SdkThreadView): Promise<InboxThread> {
    const userEmail = sdk.User.getEmailAddress().trim().toLowerCase();
    const subject = view.getSubject();
    const threadId = await view.getThreadIDAsync();
    const read = await Promise.all(
      view
        .getMessageViewsAll()
        .filter((m) => m.isLoaded())
        .map((m) =>
          readMessage(m, subject, userEmail).catch((err: unknown) => {
            onError(err);
            return { message: null, people: [] };
          }),
        ),
    );
    const messages = read.flatMap((r) => (r.message ? [r.message] : [])).sort((a, b) => a.date.localeCompare(b.date));
    return { threadId, subject, participants: uniqueParticipants(read.flatMap((r) => r.people)), messages, userEmail };
  }

  function scheduleBuild() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const view = currentView;
      if (!view) return;
      build(view).then(
        (thread) => view === currentView && emit(thread), // still the open thread?
        (err: unknown) => onError(err),
      );
    }, settleMs);
  }

  unregister.push(
    sdk.Conversations.registerThreadViewHandler((view) => {
      currentView = view;
      view.on('destroy', () => {
        if (currentView !== view) return; // another thread opened first (preview pane)
        currentView = null;
        if (timer) clearTimeout(timer);
        emit(null);
      });
      scheduleBuild();
    }),
    // Called for each loaded message: at open, when a collapsed one is expanded, when one arrives.
    // InboxSDK hands out one ThreadView object per thread (its Membrane caches them), so === works.
    sdk.Conversations.registerMessageViewHandler((messageView) => {
      if (currentView && messageView.getThreadView() === currentView) scheduleBuild();
    }),
  );

  return {
    onThreadChange(listener) {
      listeners.add(listener);
      if (current) listener(current);
      return () => void listeners.delete(listener);
    },
    showNotification(text) {
      sdk.ButterBar.showMessage({ text, time: 6000 });
    },
    labelThreadRows(labeler) {
      let stopped = false;
      const stop = sdk.Lists.registerThreadRowViewHandler((row) => {
        void (async () => {
          const info: ThreadRowInfo = {
            threadId: await row.getThreadIDAsync(),
            subject: row.getSubject(),
            contacts: uniqueParticipants(row.getContacts().map(participant)),
            messageCount: row.getVisibleMessageCount(),
          };
          const label = await labeler(info);
          if (!label || stopped || row.destroyed) return;
          const descriptor: LabelDescriptor = { ...label };
          row.addLabel(descriptor);
        })().catch(onError);
      });
      unregister.push(stop);
      return () => {
        stopped = true;
        stop();
      };
    },
    destroy() {
      if (timer) clearTimeout(timer);
      for (const stop of unregister.splice(0)) stop();
      listeners.clear();
      currentView = null;
    },
  };
}
