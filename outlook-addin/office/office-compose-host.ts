/// <reference types="office-js" />
// Outlook's compose item as a ComposeHost (ui/compose/compose-host.ts): the tracked-send flow of
// ui/compose, the same as Gmail's and the demo inbox's, over Office.js.
//
// - Reads answer later (Office.js callbacks), so every read is a promise.
// - Holding a send is the Smart Alerts OnMessageSend event (Mailbox 1.12): `hold()` hands the flow a
//   HeldSend and resolves with what it decided; the on-send handler (send-handler.ts) completes the
//   event with it. The compose pane uses the same host for the toggle's sentence and never holds.
// - Outlook knows no Message-ID while composing. A tracked message is reported sent under
//   outlookSentPlaceholderId (its links work at once); the rep's pane ties it to the Sent copy's
//   Message-ID later, by the pixel in the copy (office-inbox-host.ts).
// - The body must be HTML to carry the pixel: a plain-text body makes getBodyHtml fail with
//   PlainTextBodyError, and the handler sends such a mail untracked and says why.
import { outlookSentPlaceholderId } from '../../core/mail/message-id.ts';
import type { ComposeHost, ComposeRecipients, HeldSend, SendOutcome, SentMessage } from '../../ui/compose/compose-host.ts';
import { settle, supports, type OfficeApi, type OfficeComposeItem } from './office-api.ts';

export class PlainTextBodyError extends Error {
  constructor() {
    super('The email is in plain text, which cannot carry the open pixel or tracked links');
  }
}

/** What the flow decided for a held send. */
export type HeldDecision = { allow: true; outcome: SendOutcome } | { allow: false; reason: string | null };

export interface OfficeComposeHost extends ComposeHost {
  /** Hands the flow the send Outlook is holding; resolves once it proceeded or cancelled (untracked at once without a flow). */
  hold(): Promise<HeldDecision>;
  /** Stops watching the recipients. */
  destroy(): void;
}

export interface OfficeComposeHostOptions {
  notify(text: string): void;
  onError?(error: unknown): void;
  readTimeoutMs?: number;
  /** Without RecipientsChanged (Mailbox 1.7), how often the recipients are read again. */
  recipientsPollMs?: number;
  now?: () => number;
}

type RecipientField = OfficeComposeItem['to'];

export function createOfficeComposeHost(office: OfficeApi, item: OfficeComposeItem, options: OfficeComposeHostOptions): OfficeComposeHost {
  const timeoutMs = options.readTimeoutMs ?? 3000;
  const now = options.now ?? (() => Date.now());
  const onError = (err: unknown) => options.onError?.(err);
  const sendListeners = new Set<(send: HeldSend) => void>();
  const sentListeners = new Set<(sent: SentMessage) => void>();
  const stops: (() => void)[] = [];

  const addresses = async (field: RecipientField, name: string) =>
    (await settle<Office.EmailAddressDetails[]>(office, `${name}.getAsync`, (cb) => field.getAsync(cb), timeoutMs)).map((r) => r.emailAddress);

  const getRecipients = async (): Promise<ComposeRecipients> => {
    const [to, cc, bcc] = await Promise.all([addresses(item.to, 'to'), addresses(item.cc, 'cc'), addresses(item.bcc, 'bcc')]);
    return { to, cc, bcc };
  };

  return {
    getThreadId: () => item.conversationId || null,
    getRecipients,
    getSubject: () => settle<string>(office, 'subject.getAsync', (cb) => item.subject.getAsync(cb), timeoutMs),
    async getBodyHtml() {
      const type = await settle<Office.CoercionType>(office, 'body.getTypeAsync', (cb) => item.body.getTypeAsync(cb), timeoutMs);
      if (String(type) !== String(office.CoercionType.Html)) throw new PlainTextBodyError();
      return settle<string>(office, 'body.getAsync(html)', (cb) => item.body.getAsync(office.CoercionType.Html, cb), timeoutMs);
    },
    setBodyHtml: (html) => settle<void>(office, 'body.setAsync(html)', (cb) => item.body.setAsync(html, { coercionType: office.CoercionType.Html }, cb), timeoutMs),
    onBeforeSend(handler) {
      sendListeners.add(handler);
      return () => void sendListeners.delete(handler);
    },
    onSent(handler) {
      sentListeners.add(handler);
      return () => void sentListeners.delete(handler);
    },
    onRecipientsChange(handler) {
      const addHandler = item.addHandlerAsync;
      if (supports(office, '1.7') && typeof addHandler === 'function') {
        let active = true;
        try {
          addHandler.call(item, office.EventType.RecipientsChanged, () => active && handler());
        } catch (err) {
          onError(err);
        }
        const stop = () => void (active = false);
        stops.push(stop);
        return stop;
      }
      // Older clients: read them again now and then; the flow asks only when they changed.
      const timer = setInterval(handler, options.recipientsPollMs ?? 2000);
      const stop = () => clearInterval(timer);
      stops.push(stop);
      return stop;
    },
    onClose: () => () => undefined,
    isClosed: () => false,
    notify: options.notify,
    hold() {
      return new Promise<HeldDecision>((resolve) => {
        if (sendListeners.size === 0) return resolve({ allow: true, outcome: { registration: null, notice: null } });
        const send: HeldSend = {
          proceed(outcome) {
            // Reported now, before Outlook sends: code after the event completes may not run.
            if (outcome.registration) {
              const sent: SentMessage = { messageId: outlookSentPlaceholderId(outcome.registration.trackedMessageId), threadId: item.conversationId || null, sentAt: new Date(now()).toISOString() };
              for (const listener of [...sentListeners]) listener(sent);
            }
            resolve({ allow: true, outcome });
          },
          cancel: (reason) => resolve({ allow: false, reason }),
        };
        for (const listener of [...sendListeners]) listener(send);
      });
    },
    destroy() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
