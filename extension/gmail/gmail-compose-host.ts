// Gmail's compose window as a ComposeHost (ui/compose/compose-host.ts), over InboxSDK 2.2.26's
// ComposeView. What is Gmail's own is here; the tracked-send flow itself is ui/compose's.
//
// Holding a send: InboxSDK's 'presending' is emitted synchronously from the Send click (or
// Ctrl+Enter), and its only hold on the send is cancel(), which stops that click (and emits
// 'sendCanceled' a moment later). So a send the flow lets through at once is not touched; a send it
// holds is cancelled, and proceeding is one composeView.send() (Gmail's Send clicked again a moment
// later), whose own 'presending' goes through untouched: one send() per held send, never a send
// while the rep's own is still pending. After Gmail's server confirms, 'sent' gives the ids as
// promises; the message is `gmail:<id>`, as the email log has it.
import type { ComposeButtonDescriptor, ContactNameOptional } from '@inboxsdk/core';
import type { ComposeHost, HeldSend, SentMessage } from '../../ui/compose/compose-host.ts';
import type { DescriptorStream } from './compose-button.ts';

/** The part of InboxSDK's ComposeView the host and the tracking button use (names and types from @inboxsdk/core). */
export interface SdkComposeView {
  readonly destroyed: boolean;
  addButton(descriptor: ComposeButtonDescriptor | null | undefined | DescriptorStream): unknown;
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

export interface GmailComposeHostOptions {
  /** Gmail's butter bar. */
  notify(text: string): void;
  onError(error: unknown): void;
  now?: () => number;
}

const emails = (contacts: ContactNameOptional[]) => contacts.map((c) => c.emailAddress);

/**
 * InboxSDK's views have no off(): a subscription here is a listener that stays registered and does
 * nothing once stopped.
 */
function subscription<A extends unknown[]>(register: (listener: (...args: A) => void) => void, handler: (...args: A) => void): () => void {
  let active = true;
  register((...args) => {
    if (active) handler(...args);
  });
  return () => void (active = false);
}

export function createGmailComposeHost(view: SdkComposeView, options: GmailComposeHostOptions): ComposeHost {
  const now = options.now ?? (() => Date.now());
  /** Our own send() after a held send: its 'presending' is let through without asking the flow again. */
  let resending = false;

  return {
    getThreadId: () => view.getThreadID() || null,
    getRecipients: () => ({ to: emails(view.getToRecipients()), cc: emails(view.getCcRecipients()), bcc: emails(view.getBccRecipients()) }),
    getSubject: () => view.getSubject(),
    getBodyHtml: () => view.getHTMLContent(),
    setBodyHtml: (html) => view.setBodyHTML(html),
    isClosed: () => view.destroyed,
    notify: options.notify,

    onBeforeSend: (handler) =>
      subscription<[{ cancel(): void }]>(
        (listener) => view.on('presending', listener),
        (event) => {
          if (resending) {
            resending = false;
            return;
          }
          let answered: 'proceed' | 'cancel' | null = null;
          let held = false;
          const send: HeldSend = {
            proceed() {
              if (!held) return void (answered = 'proceed'); // let this very click through
              resending = true;
              try {
                view.send(); // the one send for the held click
              } catch (err) {
                resending = false;
                throw err;
              }
            },
            cancel() {
              if (held) return; // already stopped
              answered = 'cancel';
              event.cancel();
            },
          };
          try {
            handler(send);
          } catch (err) {
            options.onError(err); // never stand between the rep and Send
            return;
          }
          if (answered === null) {
            held = true;
            event.cancel();
          }
        },
      ),

    onSent: (handler) =>
      subscription<[{ getMessageID(): Promise<string>; getThreadID(): Promise<string> }]>(
        (listener) => view.on('sent', listener),
        (event) => {
          const sentAt = new Date(now()).toISOString();
          Promise.all([event.getMessageID(), event.getThreadID().catch(() => null)])
            .then(([messageId, threadId]) => handler({ messageId: `gmail:${messageId}`, threadId: threadId || null, sentAt } satisfies SentMessage))
            .catch(options.onError);
        },
      ),

    onRecipientsChange: (handler) => subscription((listener) => view.on('recipientsChanged', listener), handler),
    onClose: (handler) => subscription((listener) => view.on('destroy', listener), handler),
  };
}
