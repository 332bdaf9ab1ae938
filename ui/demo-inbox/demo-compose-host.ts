// The demo inbox's ComposeHost (ui/compose/compose-host.ts): the compose box's fields as the tracked-
// send flow reads them. The form tells it what the rep typed; pressing Send hands the flow a held
// send and resolves once the flow lets it go (with the body to send: the tracked one when tracked).
import type { ComposeHost, ComposeRecipients, HeldSend, SendOutcome, SentMessage } from '../compose/compose-host.ts';
import { parseRecipients, textToHtml } from './compose-fields.ts';

export interface ComposeFields {
  to: string;
  cc: string;
  subject: string;
  /** The message as typed; it becomes the HTML body (compose-fields.ts textToHtml). */
  text: string;
}

type Handlers<T> = Set<(value: T) => void>;
const emit = <T>(handlers: Handlers<T>, value: T) => {
  for (const handler of [...handlers]) handler(value);
};
const listen = <T>(handlers: Handlers<T>, handler: (value: T) => void) => {
  handlers.add(handler);
  return () => void handlers.delete(handler);
};

export class DemoComposeHost implements ComposeHost {
  private fields: ComposeFields = { to: '', cc: '', subject: '', text: '' };
  /** The body the flow put in (the tracked one), until the rep types again. */
  private bodySet: string | null = null;
  private open = true;
  private readonly sendHandlers: Handlers<HeldSend> = new Set();
  private readonly sentHandlers: Handlers<SentMessage> = new Set();
  private readonly recipientHandlers: Handlers<void> = new Set();
  private readonly closeHandlers: Handlers<void> = new Set();

  constructor(
    /** The demo thread replied in; null for a new conversation. */
    private readonly threadId: string | null,
    private readonly showToast: (text: string) => void,
  ) {}

  /** What the form holds now. */
  update(fields: ComposeFields) {
    const before = this.fields;
    this.fields = fields;
    if (fields.text !== before.text) this.bodySet = null;
    if (fields.to !== before.to || fields.cc !== before.cc) emit(this.recipientHandlers, undefined);
  }

  getThreadId() {
    return this.threadId;
  }

  getRecipients(): ComposeRecipients {
    const emails = (text: string) => parseRecipients(text).people.map((p) => p.email);
    return { to: emails(this.fields.to), cc: emails(this.fields.cc), bcc: [] };
  }

  getSubject() {
    return this.fields.subject.trim();
  }

  getBodyHtml() {
    return this.bodySet ?? textToHtml(this.fields.text);
  }

  setBodyHtml(html: string) {
    this.bodySet = html;
  }

  /** The rep pressed Send: resolves with the body to send and what the flow decided, or null when it held the send back. */
  pressSend(): Promise<{ html: string; outcome: SendOutcome } | null> {
    return new Promise((resolve) => {
      const send: HeldSend = { proceed: (outcome) => resolve({ html: this.getBodyHtml(), outcome }), cancel: () => resolve(null) };
      if (this.sendHandlers.size === 0) send.proceed({ registration: null, notice: null });
      else emit(this.sendHandlers, send);
    });
  }

  /** The page kept the sent message under these ids. */
  sent(message: SentMessage) {
    emit(this.sentHandlers, message);
  }

  /** The box is on screen again (React may mount it twice in development). */
  reopen() {
    this.open = true;
  }

  close() {
    if (!this.open) return;
    this.open = false;
    emit(this.closeHandlers, undefined);
  }

  isClosed() {
    return !this.open;
  }

  notify(text: string) {
    this.showToast(text);
  }

  onBeforeSend(handler: (send: HeldSend) => void) {
    return listen(this.sendHandlers, handler);
  }

  onSent(handler: (sent: SentMessage) => void) {
    return listen(this.sentHandlers, handler);
  }

  onRecipientsChange(handler: () => void) {
    return listen(this.recipientHandlers, handler);
  }

  onClose(handler: () => void) {
    return listen(this.closeHandlers, handler);
  }
}
