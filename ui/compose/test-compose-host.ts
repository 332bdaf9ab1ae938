// Compose windows for the flow's tests. FakeComposeHost answers at once, as Gmail's ComposeView and
// the demo inbox's form do. OfficeLikeItem stands in for Outlook's Office.js compose item, which
// answers through callbacks and holds a send with the Smart Alerts OnMessageSend event (completed
// with allowEvent true or false); officeComposeHost adapts it the way the Outlook add-in will.
import type { ComposeHost, ComposeRecipients, HeldSend, SendOutcome, SentMessage } from './compose-host.ts';

type Listeners<T> = Set<(value: T) => void>;
const emit = <T>(listeners: Listeners<T>, value: T) => [...listeners].forEach((l) => l(value));
const listen = <T>(listeners: Listeners<T>, listener: (value: T) => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** What became of one press of Send. */
export type SendResult = { sent: true; html: string; outcome: SendOutcome } | { sent: false; reason: string | null };

export class FakeComposeHost implements ComposeHost {
  recipients: ComposeRecipients = { to: [], cc: [], bcc: [] };
  subject = '';
  body = '';
  threadId: string | null = null;
  closed = false;
  readonly notices: string[] = [];
  readonly bodySets: string[] = [];
  private readonly sendListeners: Listeners<HeldSend> = new Set();
  private readonly sentListeners: Listeners<SentMessage> = new Set();
  private readonly recipientListeners: Listeners<void> = new Set();
  private readonly closeListeners: Listeners<void> = new Set();

  constructor(init: Partial<Pick<FakeComposeHost, 'recipients' | 'subject' | 'body' | 'threadId'>> = {}) {
    Object.assign(this, init);
  }

  getThreadId = () => this.threadId;
  getRecipients = () => this.recipients;
  getSubject = () => this.subject;
  getBodyHtml = () => this.body;
  setBodyHtml = (html: string) => {
    this.bodySets.push(html);
    this.body = html;
  };
  isClosed = () => this.closed;
  notify = (text: string) => void this.notices.push(text);
  onBeforeSend = (listener: (send: HeldSend) => void) => listen(this.sendListeners, listener);
  onSent = (listener: (sent: SentMessage) => void) => listen(this.sentListeners, listener);
  onRecipientsChange = (listener: () => void) => listen(this.recipientListeners, listener);
  onClose = (listener: () => void) => listen(this.closeListeners, listener);

  /** The rep presses Send; `settled` says what became of it. `decidedAtOnce`: the flow answered before pressSend returned. */
  pressSend(): { settled: Promise<SendResult>; decidedAtOnce: boolean } {
    let result: SendResult | null = null;
    let resolve: (r: SendResult) => void = () => {};
    const settled = new Promise<SendResult>((r) => (resolve = r));
    const finish = (r: SendResult) => {
      result = r;
      resolve(r);
    };
    emit(this.sendListeners, { proceed: (outcome) => finish({ sent: true, html: this.body, outcome }), cancel: (reason) => finish({ sent: false, reason }) });
    return { settled, decidedAtOnce: result !== null };
  }

  /** The mail client sent it, with these ids. */
  sent(message: SentMessage) {
    emit(this.sentListeners, message);
  }

  /** The rep types in the body. */
  type(html: string) {
    this.body = html;
  }

  setRecipients(recipients: Partial<ComposeRecipients>) {
    this.recipients = { ...this.recipients, ...recipients };
    emit(this.recipientListeners, undefined);
  }

  close() {
    this.closed = true;
    emit(this.closeListeners, undefined);
  }
}

/** The slice of Office.js's compose item (Office.MessageCompose) the Outlook adapter uses. */
type AsyncResult<T> = { status: 'succeeded'; value: T } | { status: 'failed'; error: { message: string } };
type Callback<T> = (result: AsyncResult<T>) => void;

export class OfficeLikeItem {
  to: string[] = [];
  cc: string[] = [];
  bcc: string[] = [];
  subjectText = '';
  html = '';
  conversationId: string | null = null;
  /** Office.js answers a moment later, never in the same task. */
  private later = (run: () => void) => void setTimeout(run, 1);
  private onSend: ((event: { completed(options: { allowEvent: boolean; errorMessage?: string }): void }) => void) | null = null;

  private field = (get: () => string[]) => ({ getAsync: (cb: Callback<{ emailAddress: string }[]>) => this.later(() => cb({ status: 'succeeded', value: get().map((emailAddress) => ({ emailAddress })) })) });
  readonly item = {
    to: this.field(() => this.to),
    cc: this.field(() => this.cc),
    bcc: this.field(() => this.bcc),
    subject: { getAsync: (cb: Callback<string>) => this.later(() => cb({ status: 'succeeded', value: this.subjectText })) },
    body: {
      getAsync: (_coercion: 'html', cb: Callback<string>) => this.later(() => cb({ status: 'succeeded', value: this.html })),
      setAsync: (html: string, _options: { coercionType: 'html' }, cb: Callback<void>) =>
        this.later(() => {
          this.html = html;
          cb({ status: 'succeeded', value: undefined });
        }),
    },
  };

  /** Registered as the add-in's OnMessageSend handler (Smart Alerts). */
  addOnMessageSend(handler: (event: { completed(options: { allowEvent: boolean; errorMessage?: string }): void }) => void) {
    this.onSend = handler;
  }

  removeOnMessageSend() {
    this.onSend = null;
  }

  /** The rep presses Send: resolves with what the add-in completed the event with. */
  send(): Promise<{ allowEvent: boolean; errorMessage?: string; html: string }> {
    return new Promise((resolve) => {
      if (!this.onSend) return resolve({ allowEvent: true, html: this.html });
      this.onSend({ completed: (options) => resolve({ ...options, html: this.html }) });
    });
  }
}

const asPromise = <T>(start: (cb: Callback<T>) => void) =>
  new Promise<T>((resolve, reject) => start((r) => (r.status === 'succeeded' ? resolve(r.value) : reject(new Error(r.error.message)))));

/** How the Outlook add-in makes a ComposeHost of its compose item: every read is a promise, the hold is the send event. */
export function officeComposeHost(office: OfficeLikeItem, notify: (text: string) => void): ComposeHost {
  const { item } = office;
  const addresses = (field: typeof item.to) => asPromise<{ emailAddress: string }[]>((cb) => field.getAsync(cb)).then((list) => list.map((r) => r.emailAddress));
  return {
    getThreadId: () => office.conversationId,
    getRecipients: async () => ({ to: await addresses(item.to), cc: await addresses(item.cc), bcc: await addresses(item.bcc) }),
    getSubject: () => asPromise<string>((cb) => item.subject.getAsync(cb)),
    getBodyHtml: () => asPromise<string>((cb) => item.body.getAsync('html', cb)),
    setBodyHtml: (html) => asPromise<void>((cb) => item.body.setAsync(html, { coercionType: 'html' }, cb)),
    onBeforeSend(handler) {
      office.addOnMessageSend((event) =>
        handler({ proceed: () => event.completed({ allowEvent: true }), cancel: (reason) => event.completed({ allowEvent: false, errorMessage: reason ?? 'Already sending.' }) }),
      );
      return () => office.removeOnMessageSend();
    },
    // Outlook knows no id at send time: the add-in reports none here.
    onSent: () => () => undefined,
    onRecipientsChange: () => () => undefined,
    onClose: () => () => undefined,
    isClosed: () => false,
    notify,
  };
}
