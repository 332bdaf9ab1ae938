// A fake InboxSDK for the adapter's and the features' tests, typed by the slices of @inboxsdk/core's
// types they use (GmailSdk, ComposeSdk). It behaves as the SDK does where they rely on it: thread
// views are announced to thread handlers, then each loaded message to message handlers; getSender
// throws on an unloaded message; thread rows are announced to row handlers as Gmail draws them.
// Compose windows behave as InboxSDK 2.2.26's bundle does (GmailComposeView, getPresendingStream):
// 'presending' is emitted synchronously from the Send click; cancel() stops that click and emits
// 'sendCanceled' a moment later (asap); send() clicks Send a moment later (asap), which emits
// 'presending' again; a send Gmail accepts emits 'sending', then 'sent' once Gmail's server
// answered, with the ids as promises, and the window goes away.
import type { ComposeButtonDescriptor, Contact, ContactNameOptional, LabelDescriptor, MessageDescriptor } from '@inboxsdk/core';
import type { DescriptorStream } from './compose-button.ts';
import type { ComposeSdk } from './compose-tracking.ts';
import type { SdkComposeView } from './gmail-compose-host.ts';
import type { GmailSdk, SdkMessageView, SdkThreadRowView, SdkThreadView } from './gmail-host.ts';

export interface FakeMessage {
  /** Gmail's legacy hex message id. */
  id: string;
  from: Contact;
  recipients: ContactNameOptional[];
  dateString?: string;
  body?: string;
  loaded?: boolean;
}

type Handler<T> = (value: T) => void;

class Handlers<T> {
  private list: Handler<T>[] = [];
  add(handler: Handler<T>) {
    this.list.push(handler);
    return () => void (this.list = this.list.filter((h) => h !== handler));
  }
  call(value: T) {
    for (const handler of [...this.list]) handler(value);
  }
  get size() {
    return this.list.length;
  }
}

export class FakeMessageView implements SdkMessageView {
  private loaded: boolean;
  constructor(
    private readonly data: FakeMessage,
    private readonly thread: FakeThreadView,
  ) {
    this.loaded = data.loaded ?? true;
  }
  isLoaded() {
    return this.loaded;
  }
  markLoaded() {
    this.loaded = true;
  }
  getSender(): Contact {
    if (!this.loaded) throw new Error('Message is not loaded');
    return this.data.from;
  }
  getRecipients(): ContactNameOptional[] {
    return this.data.recipients.map((r) => ({ emailAddress: r.emailAddress }));
  }
  getRecipientsFull(): Promise<ContactNameOptional[]> {
    return Promise.resolve(this.data.recipients);
  }
  getMessageIDAsync() {
    return Promise.resolve(this.data.id);
  }
  getDateString() {
    return this.data.dateString ?? '';
  }
  getBodyElement(): HTMLElement {
    const el = { textContent: this.data.body ?? '' };
    return el as HTMLElement;
  }
  getThreadView(): SdkThreadView {
    return this.thread;
  }
}

export class FakeThreadView implements SdkThreadView {
  readonly messages: FakeMessageView[] = [];
  private destroyListeners: (() => void)[] = [];
  constructor(
    private readonly sdk: FakeInboxSdk,
    readonly threadId: string,
    private readonly subject: string,
  ) {}
  getSubject() {
    return this.subject;
  }
  getThreadIDAsync() {
    return Promise.resolve(this.threadId);
  }
  getMessageViewsAll(): SdkMessageView[] {
    return [...this.messages];
  }
  on(event: 'destroy', listener: () => void) {
    if (event === 'destroy') this.destroyListeners.push(listener);
    return this;
  }
  /** A message arriving in (or first shown by) the open thread. */
  addMessage(data: FakeMessage) {
    const view = new FakeMessageView(data, this);
    this.messages.push(view);
    if (view.isLoaded()) this.sdk.messageHandlers.call(view);
    return view;
  }
  /** The user expands a collapsed message: Gmail loads it, InboxSDK announces it. */
  load(view: FakeMessageView) {
    view.markLoaded();
    this.sdk.messageHandlers.call(view);
  }
  destroy() {
    for (const listener of this.destroyListeners) listener();
  }
}

export class FakeThreadRowView implements SdkThreadRowView {
  destroyed = false;
  readonly labels: (LabelDescriptor | null)[] = [];
  constructor(
    readonly threadId: string,
    private readonly subject: string,
    private readonly contacts: Contact[],
  ) {}
  addLabel(label: Parameters<SdkThreadRowView['addLabel']>[0]) {
    this.labels.push(label as LabelDescriptor | null);
  }
  getThreadIDAsync() {
    return Promise.resolve(this.threadId);
  }
  getSubject() {
    return this.subject;
  }
  getContacts() {
    return this.contacts;
  }
  getVisibleMessageCount() {
    return 1;
  }
}

export interface FakeComposeInit {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  body?: string;
  /** Set for a reply: the thread replied to. */
  threadId?: string;
  /** The id Gmail gives the sent message. */
  sentMessageId?: string;
}

/** What Gmail actually sent from a compose window. */
export interface FakeSentMail {
  html: string;
  to: string[];
  subject: string;
}

/** InboxSDK's `asap` (a task before any timer). */
const asap = (run: () => void) => queueMicrotask(run);

export class FakeComposeView implements SdkComposeView {
  destroyed = false;
  body: string;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  readonly threadId: string;
  readonly sentMessageId: string;
  /** Mails Gmail sent from this window: more than one would be a double send. */
  readonly sentMails: FakeSentMail[] = [];
  /** Calls to send() (ours), and every setBodyHTML. */
  sendCalls = 0;
  readonly bodySets: string[] = [];
  /** The next send that gets past 'presending' is refused by Gmail (e.g. its bad-address dialog). */
  gmailRefusesNextSend = false;
  /** How long Gmail's server takes to confirm a send. */
  serverMs = 50;
  private readonly listeners = new Map<string, ((data?: any) => void)[]>();
  private readonly buttons: { current: ComposeButtonDescriptor | null | undefined }[] = [];

  constructor(init: FakeComposeInit = {}) {
    this.body = init.body ?? '';
    this.subject = init.subject ?? '';
    this.to = init.to ?? [];
    this.cc = init.cc ?? [];
    this.bcc = init.bcc ?? [];
    this.threadId = init.threadId ?? '';
    this.sentMessageId = init.sentMessageId ?? '18c1000000000001';
  }

  on(event: string, listener: (data?: any) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  private emit(event: string, data?: unknown) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(data);
  }

  /** As InboxSDK's kefir-cast does: a descriptor, or anything with onAny/offAny, subscribed at once. */
  addButton(descriptor: ComposeButtonDescriptor | null | undefined | DescriptorStream) {
    const button: { current: ComposeButtonDescriptor | null | undefined } = { current: null };
    if (descriptor && 'onAny' in descriptor) {
      descriptor.onAny((event) => {
        if (event.type === 'value') button.current = event.value;
      });
    } else button.current = descriptor;
    this.buttons.push(button);
    return { destroyed: false };
  }
  /** The first button as drawn now. */
  get button(): ComposeButtonDescriptor {
    const current = this.buttons[0]?.current;
    if (!current) throw new Error('No button');
    return current;
  }
  clickButton() {
    if (this.button.enabled === false) return;
    this.button.onClick({ composeView: this as never });
  }

  send() {
    this.sendCalls++;
    asap(() => this.clickSend());
  }
  /** The rep clicks Send (or presses Ctrl+Enter). */
  clickSend() {
    if (this.destroyed) return;
    let cancelled = false;
    this.emit('presending', {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        asap(() => this.emit('sendCanceled'));
      },
    });
    if (cancelled) return;
    if (this.gmailRefusesNextSend) {
      this.gmailRefusesNextSend = false;
      setTimeout(() => this.emit('sendCanceled'), 15);
      return;
    }
    this.emit('sending');
    this.sentMails.push({ html: this.body, to: [...this.to], subject: this.subject });
    const messageId = this.sentMessageId;
    const threadId = this.threadId || messageId; // a new thread takes its first message's id
    setTimeout(() => {
      this.emit('sent', { getMessageID: () => Promise.resolve(messageId), getThreadID: () => Promise.resolve(threadId) });
      this.close();
    }, this.serverMs);
  }
  openScheduleSendMenu() {
    this.emit('scheduleSendMenuOpening', { cancel: () => undefined });
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroy', { messageID: null, closedByInboxSDK: false });
  }

  getHTMLContent() {
    return this.body;
  }
  setBodyHTML(html: string) {
    this.bodySets.push(html);
    this.body = html;
  }
  /** The rep types in the body. */
  type(html: string) {
    this.body = html;
  }
  setRecipients(r: { to?: string[]; cc?: string[]; bcc?: string[] }) {
    Object.assign(this, r);
    this.emit('recipientsChanged', { to: { added: [], removed: [] }, cc: { added: [], removed: [] }, bcc: { added: [], removed: [] } });
  }
  getToRecipients(): ContactNameOptional[] {
    return this.to.map((emailAddress) => ({ emailAddress }));
  }
  getCcRecipients(): ContactNameOptional[] {
    return this.cc.map((emailAddress) => ({ emailAddress }));
  }
  getBccRecipients(): ContactNameOptional[] {
    return this.bcc.map((emailAddress) => ({ emailAddress }));
  }
  getSubject() {
    return this.subject;
  }
  getThreadID() {
    return this.threadId;
  }
}

export class FakeInboxSdk implements GmailSdk, ComposeSdk {
  readonly threadHandlers = new Handlers<SdkThreadView>();
  readonly messageHandlers = new Handlers<SdkMessageView>();
  readonly rowHandlers = new Handlers<SdkThreadRowView>();
  readonly composeHandlers = new Handlers<SdkComposeView>();
  readonly butterBar: MessageDescriptor[] = [];

  constructor(private readonly userEmail: string) {}

  Conversations = {
    registerThreadViewHandler: (handler: Handler<SdkThreadView>) => this.threadHandlers.add(handler),
    registerMessageViewHandler: (handler: Handler<SdkMessageView>) => this.messageHandlers.add(handler),
  };
  Lists = {
    registerThreadRowViewHandler: (handler: Handler<SdkThreadRowView>) => this.rowHandlers.add(handler),
  };
  Compose = {
    registerComposeViewHandler: (handler: Handler<SdkComposeView>) => this.composeHandlers.add(handler),
  };
  ButterBar = {
    showMessage: (descriptor: MessageDescriptor) => {
      this.butterBar.push(descriptor);
      return { destroy: () => undefined };
    },
  };
  User = { getEmailAddress: () => this.userEmail };

  /** The user opens a thread: the thread view first, then each of its loaded messages. */
  openThread(threadId: string, subject: string, messages: FakeMessage[]) {
    const thread = new FakeThreadView(this, threadId, subject);
    for (const m of messages) thread.messages.push(new FakeMessageView(m, thread));
    this.threadHandlers.call(thread);
    for (const view of thread.messages) if (view.isLoaded()) this.messageHandlers.call(view);
    return thread;
  }

  /** The rep opens a compose window (new, reply or inline reply). */
  openCompose(init: FakeComposeInit = {}) {
    const view = new FakeComposeView(init);
    this.composeHandlers.call(view);
    return view;
  }

  drawRow(threadId: string, subject: string, contacts: Contact[]) {
    const row = new FakeThreadRowView(threadId, subject, contacts);
    this.rowHandlers.call(row);
    return row;
  }
}
