// A fake InboxSDK for the adapter's tests, typed by the slice of @inboxsdk/core's types the adapter
// uses (GmailSdk). It behaves as the SDK does where the adapter relies on it: thread views are
// announced to thread handlers, then each loaded message to message handlers; getSender throws on
// an unloaded message; thread rows are announced to row handlers as Gmail draws them.
import type { Contact, ContactNameOptional, LabelDescriptor, MessageDescriptor } from '@inboxsdk/core';
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

export class FakeInboxSdk implements GmailSdk {
  readonly threadHandlers = new Handlers<SdkThreadView>();
  readonly messageHandlers = new Handlers<SdkMessageView>();
  readonly rowHandlers = new Handlers<SdkThreadRowView>();
  readonly butterBar: MessageDescriptor[] = [];

  constructor(private readonly userEmail: string) {}

  Conversations = {
    registerThreadViewHandler: (handler: Handler<SdkThreadView>) => this.threadHandlers.add(handler),
    registerMessageViewHandler: (handler: Handler<SdkMessageView>) => this.messageHandlers.add(handler),
  };
  Lists = {
    registerThreadRowViewHandler: (handler: Handler<SdkThreadRowView>) => this.rowHandlers.add(handler),
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

  drawRow(threadId: string, subject: string, contacts: Contact[]) {
    const row = new FakeThreadRowView(threadId, subject, contacts);
    this.rowHandlers.call(row);
    return row;
  }
}
