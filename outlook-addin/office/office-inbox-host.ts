/// <reference types="office-js" />
// Outlook as an InboxHost (ui/sidebar/host.ts), through Office.js, for the read-mode task pane.
//
// What Outlook gives a mail add-in about the selected message (Mailbox requirement sets, checked
// against @types/office-js 1.0.612 and Microsoft Learn, Aug 2026):
// - from, to, cc with display names, internetMessageId (the RFC 822 Message-ID), conversationId,
//   subject, dateTimeCreated: 1.1, read mode. internetMessageId can be missing on a just-sent item.
// - getAllInternetHeadersAsync: 1.8, one raw header string; for the sender's own Sent copy it answers
//   "" (Outlook keeps custom headers out of it), so bulk-header checks simply find nothing there.
// - mailbox ItemChanged: 1.5; fires in a pinned pane when another message is selected, with
//   mailbox.item already the new one, or null when nothing is selected (or a folder is).
// Only one message is readable: Outlook gives no API for the other messages of a conversation, so the
// thread the sidebar sees is the conversation (its id is the cache key) with the selected message in it.
//
// The thread is handed over twice: at once with its people (the contact lookup starts without waiting
// for Outlook's server), then with the message once its headers and snippet are read (so the
// never-log rules see List-Unsubscribe and the rest before anything is logged).
//
// The rep's own sent messages: the pane reports that the rep is looking at them (their pixel fetch is
// not an open) and, by the signed pixel found in the body, ties a tracked message to the copy's
// Message-ID (core/mail/message-id.ts outlookSentPlaceholderId explains why that is needed).
import { normalizeEmail } from '../../core/email-address.ts';
import { bulkHeadersOf, parseHeaderBlock } from '../../core/mail/headers.ts';
import { normalizeMessageId } from '../../core/mail/message-id.ts';
import type { InboxHost, InboxMessage, InboxThread, Participant, TrackedMessageSentEvent } from '../../ui/sidebar/host.ts';
import { isComposeMessage, isReadMessage, settle, supports, type OfficeApi, type OfficeReadItem } from './office-api.ts';
import { pixelUrlsIn } from './sent-copy.ts';

/** What is selected, for the pane's own notices beside the sidebar. */
export type Selection = 'message' | 'none' | 'compose' | 'other';

/** The rep's own message as the pane shows it: what to report to the CRM. */
export interface OwnMessage {
  messageId: string;
  threadId: string;
  sentAt: string;
  /** Open-pixel URLs in its HTML body (empty when it holds none, or the body could not be read). */
  pixelUrls: string[];
}

export interface OfficeInboxHostOptions {
  /** Reading Outlook failed (an async call failed or never answered): report it, keep going. */
  onError?(error: unknown): void;
  /**
   * The rep's own message is shown now. Resolves true when the CRM holds a tracked message for it
   * (then the sidebar is told to ask for its tracking again).
   */
  onOwnMessage?(message: OwnMessage): Promise<boolean>;
  /** Each Office.js read gives up after this long. */
  readTimeoutMs?: number;
  snippetLength?: number;
}

export interface OfficeInboxHost extends InboxHost {
  readonly selection: Selection;
  onSelectionChange(listener: (selection: Selection) => void): () => void;
  /** Reads the selected item again (the pane calls it once it is ready; ItemChanged calls it after). */
  refresh(): Promise<void>;
  /** Removes the ItemChanged handler. */
  destroy(): void;
}

const participant = (d: Office.EmailAddressDetails | null | undefined): Participant | null => {
  const email = d?.emailAddress ? normalizeEmail(d.emailAddress) : null;
  if (!email) return null;
  const name = (d?.displayName ?? '').trim();
  return { name: name.toLowerCase() === email ? '' : name, email };
};

const people = (list: Office.EmailAddressDetails[] | null | undefined) => (list ?? []).map(participant).filter((p): p is Participant => p !== null);

function uniqueParticipants(all: Participant[]): Participant[] {
  const byEmail = new Map<string, Participant>();
  for (const p of all) {
    const seen = byEmail.get(p.email);
    if (!seen || (!seen.name && p.name)) byEmail.set(p.email, p);
  }
  return [...byEmail.values()];
}

export function createOfficeInboxHost(office: OfficeApi, options: OfficeInboxHostOptions = {}): OfficeInboxHost {
  const timeoutMs = options.readTimeoutMs ?? 3000;
  const snippetLength = options.snippetLength ?? 280;
  const onError = (err: unknown) => options.onError?.(err);
  const listeners = new Set<(thread: InboxThread | null) => void>();
  const selectionListeners = new Set<(selection: Selection) => void>();
  const sentListeners = new Set<(sent: TrackedMessageSentEvent) => void>();
  let current: InboxThread | null = null;
  let selection: Selection = 'none';
  let readSeq = 0;
  let handlerAdded = false;

  function emit(thread: InboxThread | null) {
    current = thread;
    for (const listener of [...listeners]) listener(thread);
  }

  function select(next: Selection) {
    if (next === selection) return;
    selection = next;
    for (const listener of [...selectionListeners]) listener(next);
  }

  const headersOf = async (item: OfficeReadItem): Promise<Record<string, string> | undefined> => {
    const getHeaders = item.getAllInternetHeadersAsync;
    // Mailbox 1.8. Without it the never-log rules fall back to the sender's address.
    if (!supports(office, '1.8') || typeof getHeaders !== 'function') return undefined;
    try {
      const raw = await settle<string>(office, 'getAllInternetHeadersAsync', (cb) => getHeaders.call(item, cb), timeoutMs);
      return bulkHeadersOf(parseHeaderBlock(raw ?? ''));
    } catch (err) {
      onError(err);
      return undefined;
    }
  };

  /** The body as plain text: its start is the snippet, its end holds the sender's signature (title offer). */
  const textOf = async (item: OfficeReadItem): Promise<string | undefined> => {
    try {
      const text = await settle<string>(office, 'body.getAsync(text)', (cb) => item.body.getAsync(office.CoercionType.Text, cb), timeoutMs);
      return text.trim() ? text : undefined;
    } catch (err) {
      onError(err);
      return undefined;
    }
  };

  async function reportOwn(item: OfficeReadItem, own: Omit<OwnMessage, 'pixelUrls'>, seq: number) {
    if (!options.onOwnMessage) return;
    let pixelUrls: string[] = [];
    try {
      const html = await settle<string>(office, 'body.getAsync(html)', (cb) => item.body.getAsync(office.CoercionType.Html, cb), timeoutMs);
      pixelUrls = pixelUrlsIn(html);
    } catch (err) {
      onError(err);
    }
    try {
      const tracked = await options.onOwnMessage({ ...own, pixelUrls });
      if (tracked && seq === readSeq) for (const listener of [...sentListeners]) listener({ threadId: own.threadId, messageId: own.messageId });
    } catch (err) {
      onError(err);
    }
  }

  async function read(): Promise<void> {
    const seq = ++readSeq;
    const item = office.context.mailbox.item;
    if (!item) {
      select('none');
      return emit(null);
    }
    if (!isReadMessage(item)) {
      select(isComposeMessage(item) ? 'compose' : 'other');
      return emit(null);
    }
    select('message');
    const userEmail = normalizeEmail(office.context.mailbox.userProfile.emailAddress ?? '') ?? (office.context.mailbox.userProfile.emailAddress ?? '').toLowerCase();
    const from = participant(item.from);
    const to = people(item.to);
    const cc = people(item.cc);
    const messageId = normalizeMessageId(item.internetMessageId);
    const threadId = item.conversationId || messageId || `outlook:${item.itemId}`;
    const subject = item.subject ?? '';
    const base: InboxThread = { threadId, subject, participants: uniqueParticipants([...(from ? [from] : []), ...to, ...cc]), messages: [], userEmail };
    emit(base);

    // No Message-ID yet (a message just sent) or no sender: its people are shown, nothing is logged.
    if (!messageId || !from) return;
    const direction = from.email === userEmail ? 'outbound' : 'inbound';
    const sentAt = (item.dateTimeCreated instanceof Date && !Number.isNaN(item.dateTimeCreated.getTime()) ? item.dateTimeCreated : new Date()).toISOString();
    if (direction === 'outbound') void reportOwn(item, { messageId, threadId, sentAt }, seq);
    const [headers, bodyText] = await Promise.all([headersOf(item), textOf(item)]);
    const snippet = bodyText?.replace(/\s+/g, ' ').trim().slice(0, snippetLength);
    if (seq !== readSeq) return; // another message was selected meanwhile
    const message: InboxMessage = {
      messageId,
      from,
      to,
      cc,
      subject,
      date: sentAt,
      direction,
      ...(snippet ? { snippet } : {}),
      ...(bodyText ? { bodyText } : {}),
      ...(headers ? { headers } : {}),
    };
    emit({ ...base, messages: [message] });
  }

  const onItemChanged = () => void read().catch(onError);

  function addHandler() {
    if (handlerAdded) return;
    handlerAdded = true;
    try {
      office.context.mailbox.addHandlerAsync(office.EventType.ItemChanged, onItemChanged, (result) => {
        if (result.status !== office.AsyncResultStatus.Succeeded) onError(new Error(`ItemChanged could not be watched: ${result.error?.message ?? 'failed'}`));
      });
    } catch (err) {
      onError(err); // Mailbox below 1.5: the pane shows the message it was opened for
    }
  }

  return {
    get selection() {
      return selection;
    },
    onThreadChange(listener) {
      listeners.add(listener);
      if (current) listener(current);
      return () => void listeners.delete(listener);
    },
    onSelectionChange(listener) {
      selectionListeners.add(listener);
      return () => void selectionListeners.delete(listener);
    },
    onTrackedMessageSent(listener) {
      sentListeners.add(listener);
      return () => void sentListeners.delete(listener);
    },
    showNotification(text) {
      const item = office.context.mailbox.item;
      if (!isReadMessage(item) || !item.notificationMessages) return;
      try {
        // The message's own info bar; the sidebar shows the notice as well.
        item.notificationMessages.replaceAsync('inbox-crm', { type: 'informationalMessage', message: text.slice(0, 150), icon: 'Icon.16', persistent: false });
      } catch (err) {
        onError(err);
      }
    },
    async refresh() {
      addHandler();
      await read();
    },
    destroy() {
      readSeq++;
      listeners.clear();
      selectionListeners.clear();
      sentListeners.clear();
      if (!handlerAdded) return;
      try {
        office.context.mailbox.removeHandlerAsync(office.EventType.ItemChanged);
      } catch (err) {
        onError(err);
      }
    },
  };
}
