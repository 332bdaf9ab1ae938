/// <reference types="office-js" />
// A stand-in for Outlook's Office.js, written to @types/office-js: the unit tests drive the adapters
// with it, and the browser tests serve it (bundled, installFakeOffice) at office.js's CDN address, so
// the real task pane runs against it. It behaves as Outlook does where the adapters rely on it:
// callbacks come a moment later, never in the same task; ItemChanged fires in the pinned pane with
// mailbox.item already the new item (or null); requirement sets are reported per client; calls can
// be made to fail or to never answer; the sender's Sent copy answers "" for its internet headers.
import type { OfficeApi, OfficeComposeItem, OfficeMailbox, OfficeReadItem } from './office-api.ts';

export interface FakeAddress {
  name: string;
  email: string;
}

/** A message as the fixture describes it. */
export interface FakeMessage {
  itemId: string;
  /** Absent: a message just sent, which Outlook has not given its id yet. */
  internetMessageId?: string;
  conversationId: string;
  subject: string;
  from: FakeAddress;
  to: FakeAddress[];
  cc?: FakeAddress[];
  /** ISO 8601. */
  date: string;
  /** The raw header block getAllInternetHeadersAsync answers ("" for the sender's Sent copy). */
  headers?: string;
  bodyText?: string;
  bodyHtml?: string;
}

/** A message being composed. */
export interface FakeDraft {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  bodyHtml?: string;
  /** 'text' for a plain-text compose form. */
  bodyType?: 'html' | 'text';
  conversationId?: string | null;
}

/** Make a call fail ('fail') or never call back ('hang'), by name, e.g. 'getAllInternetHeadersAsync'. */
export type FakeFailure = 'fail' | 'hang';

const SUCCEEDED = 0 as unknown as Office.AsyncResultStatus;
const FAILED = 1 as unknown as Office.AsyncResultStatus;
const HTML = 'html' as unknown as Office.CoercionType;
const TEXT = 'text' as unknown as Office.CoercionType;
const ITEM_CHANGED = 'olkItemSelectedChanged' as unknown as Office.EventType;
const RECIPIENTS_CHANGED = 'olkRecipientsChanged' as unknown as Office.EventType;

const succeeded = <T>(value: T): Office.AsyncResult<T> => ({ status: SUCCEEDED, value, error: undefined as unknown as Office.Error, asyncContext: undefined, diagnostics: undefined });
const failed = <T>(call: string): Office.AsyncResult<T> => ({
  status: FAILED,
  value: undefined as T,
  error: { code: 9002, message: `${call} failed (fake)`, name: 'GenericResponseError' } as Office.Error,
  asyncContext: undefined,
  diagnostics: undefined,
});

const details = (a: FakeAddress): Office.EmailAddressDetails => ({ displayName: a.name, emailAddress: a.email, appointmentResponse: 'None', recipientType: 'externalUser' });

/** Every Mailbox requirement set up to 1.14: what Outlook on the web and the new Outlook support, and Mac's ceiling. */
export const allMailboxSets = ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '1.14'];

type Callback<T> = (result: Office.AsyncResult<T>) => void;
/** Office.js allows (options, callback) or (callback): the callback is the last function. */
const callbackOf = <T>(args: unknown[]): Callback<T> | undefined => [...args].reverse().find((a): a is Callback<T> => typeof a === 'function');

export class FakeOffice implements OfficeApi {
  readonly EventType = { ItemChanged: ITEM_CHANGED, RecipientsChanged: RECIPIENTS_CHANGED };
  readonly AsyncResultStatus = { Succeeded: SUCCEEDED, Failed: FAILED };
  readonly CoercionType = { Html: HTML, Text: TEXT };
  readonly supported = new Set(allMailboxSets);
  readonly failures = new Map<string, FakeFailure>();
  /** Every Office.js call, by name, in order. */
  readonly calls: string[] = [];
  /** Session data per compose item, as Outlook keeps it for the add-in. */
  readonly sessionData = new Map<string, string>();
  /** Info-bar messages shown on the item, by key. */
  readonly notifications = new Map<string, string>();
  readonly roaming = new Map<string, unknown>();
  /** Body of the compose item after the add-in set it. */
  composeBody = '';
  private itemChangedHandlers: ((event: unknown) => void)[] = [];
  private recipientsHandlers: (() => void)[] = [];
  private draft: Required<Omit<FakeDraft, 'conversationId'>> & { conversationId: string | null } = { to: [], cc: [], bcc: [], subject: '', bodyHtml: '', bodyType: 'html', conversationId: null };

  readonly context: OfficeApi['context'] & { mailbox: OfficeMailbox };

  constructor(options: { userEmail: string; userName?: string; partitionKey?: string; platform?: string; sets?: string[] } = { userEmail: 'rep@northwind.example' }) {
    if (options.sets) {
      this.supported.clear();
      for (const s of options.sets) this.supported.add(s);
    }
    const self = this;
    this.context = {
      mailbox: {
        item: null,
        userProfile: { emailAddress: options.userEmail, displayName: options.userName ?? '' },
        addHandlerAsync(eventType: Office.EventType, handler: (event: unknown) => void, callback?: (r: Office.AsyncResult<void>) => void) {
          self.calls.push('mailbox.addHandlerAsync');
          if (!self.supported.has('1.5')) throw new Error('addHandlerAsync is not supported before Mailbox 1.5');
          if (eventType === ITEM_CHANGED) self.itemChangedHandlers.push(handler);
          self.later(() => callback?.(succeeded(undefined)));
        },
        removeHandlerAsync(eventType: Office.EventType) {
          self.calls.push('mailbox.removeHandlerAsync');
          if (eventType === ITEM_CHANGED) self.itemChangedHandlers = [];
        },
      },
      requirements: { isSetSupported: (name: string, version?: string | number) => name === 'Mailbox' && self.supported.has(String(version ?? '1.1')) },
      partitionKey: options.partitionKey,
      platform: (options.platform ?? 'OfficeOnline') as unknown as Office.PlatformType,
      diagnostics: { host: 'Outlook' as unknown as Office.HostType, platform: (options.platform ?? 'OfficeOnline') as unknown as Office.PlatformType, version: '16.0.18324.20000' },
      roamingSettings: {
        get: (name: string) => self.roaming.get(name),
        set: (name: string, value: unknown) => void self.roaming.set(name, value),
        saveAsync: (callback?: (r: Office.AsyncResult<void>) => void) => self.later(() => callback?.(succeeded(undefined))),
      },
    };
  }

  /** Office.js answers a moment later, never in the same task. */
  private later(run: () => void) {
    setTimeout(run, 1);
  }

  /** Runs an async call: succeeds with `value()`, or fails or hangs as set in `failures`. */
  private answer<T>(call: string, callback: Callback<T> | undefined, value: () => T) {
    this.calls.push(call);
    const failure = this.failures.get(call);
    if (failure === 'hang' || !callback) return;
    this.later(() => callback(failure === 'fail' ? failed<T>(call) : succeeded(value())));
  }

  private readItem(m: FakeMessage): OfficeReadItem {
    const self = this;
    const item = {
      itemType: 'message' as unknown as Office.MailboxEnums.ItemType,
      itemId: m.itemId,
      internetMessageId: m.internetMessageId as string,
      conversationId: m.conversationId,
      subject: m.subject,
      from: details(m.from),
      to: m.to.map(details),
      cc: (m.cc ?? []).map(details),
      dateTimeCreated: new Date(m.date),
      body: {
        getAsync(coercion: Office.CoercionType, ...rest: unknown[]) {
          const html = coercion === HTML;
          self.answer(html ? 'body.getAsync(html)' : 'body.getAsync(text)', callbackOf<string>(rest), () => (html ? (m.bodyHtml ?? `<p>${m.bodyText ?? ''}</p>`) : (m.bodyText ?? '')));
        },
      } as unknown as OfficeReadItem['body'],
      notificationMessages: {
        replaceAsync(key: string, details: Office.NotificationMessageDetails) {
          self.calls.push('notificationMessages.replaceAsync');
          self.notifications.set(key, details.message);
        },
      } as unknown as OfficeReadItem['notificationMessages'],
    } as OfficeReadItem;
    if (this.supported.has('1.8')) {
      item.getAllInternetHeadersAsync = ((...args: unknown[]) => self.answer('getAllInternetHeadersAsync', callbackOf<string>(args), () => m.headers ?? '')) as OfficeReadItem['getAllInternetHeadersAsync'];
    }
    return item;
  }

  private composeItem(): OfficeComposeItem {
    const self = this;
    const field = (name: 'to' | 'cc' | 'bcc') => ({
      getAsync: (...args: unknown[]) => self.answer(`${name}.getAsync`, callbackOf<Office.EmailAddressDetails[]>(args), () => self.draft[name].map((email) => details({ name: '', email }))),
    });
    const item = {
      itemType: 'message' as unknown as Office.MailboxEnums.ItemType,
      conversationId: this.draft.conversationId as string,
      to: field('to'),
      cc: field('cc'),
      bcc: field('bcc'),
      subject: { getAsync: (...args: unknown[]) => self.answer('subject.getAsync', callbackOf<string>(args), () => self.draft.subject) },
      body: {
        getTypeAsync: (...args: unknown[]) => self.answer('body.getTypeAsync', callbackOf<Office.CoercionType>(args), () => (self.draft.bodyType === 'html' ? HTML : TEXT)),
        getAsync: (coercion: Office.CoercionType, ...rest: unknown[]) =>
          self.answer(coercion === HTML ? 'body.getAsync(html)' : 'body.getAsync(text)', callbackOf<string>(rest), () => (coercion === HTML ? self.composeBody : self.composeBody.replace(/<[^>]*>/g, ''))),
        setAsync: (html: string, ...rest: unknown[]) =>
          self.answer('body.setAsync(html)', callbackOf<void>(rest), () => {
            self.composeBody = html;
          }),
      },
      notificationMessages: {
        replaceAsync(key: string, details: Office.NotificationMessageDetails) {
          self.calls.push('notificationMessages.replaceAsync');
          self.notifications.set(key, details.message);
        },
      },
      addHandlerAsync: (eventType: Office.EventType, handler: () => void) => {
        self.calls.push('item.addHandlerAsync');
        if (eventType === RECIPIENTS_CHANGED) self.recipientsHandlers.push(handler);
      },
    } as unknown as OfficeComposeItem;
    if (this.supported.has('1.11')) {
      item.sessionData = {
        getAsync: (name: string, callback: Callback<string>) =>
          self.answer('sessionData.getAsync', (result: Office.AsyncResult<string>) => (self.sessionData.has(name) ? callback(result) : callback(failed('sessionData.getAsync'))), () => self.sessionData.get(name) ?? ''),
        setAsync: (name: string, value: string, ...rest: unknown[]) => self.answer('sessionData.setAsync', callbackOf<void>(rest), () => void self.sessionData.set(name, value)),
        removeAsync: (name: string, ...rest: unknown[]) => self.answer('sessionData.removeAsync', callbackOf<void>(rest), () => void self.sessionData.delete(name)),
      } as unknown as OfficeComposeItem['sessionData'];
    }
    return item;
  }

  /** The rep selects a message (or nothing, or a folder): the item changes, then ItemChanged fires in pinned panes. */
  select(message: FakeMessage | null) {
    this.context.mailbox.item = message ? this.readItem(message) : null;
    const handlers = [...this.itemChangedHandlers];
    this.later(() => handlers.forEach((h) => h({ type: ITEM_CHANGED })));
  }

  /** The item is a message being composed (a compose pane, the send handler). */
  compose(draft: FakeDraft = {}) {
    this.draft = { to: [], cc: [], bcc: [], subject: '', bodyHtml: '', bodyType: 'html', conversationId: null, ...draft };
    this.composeBody = this.draft.bodyHtml;
    this.sessionData.clear();
    this.context.mailbox.item = this.composeItem();
  }

  /** The rep changes the recipients of the compose item. */
  setRecipients(change: Partial<Pick<FakeDraft, 'to' | 'cc' | 'bcc'>>) {
    Object.assign(this.draft, change);
    for (const h of this.recipientsHandlers) this.later(h);
  }

  /** Presses Send: runs the OnMessageSend handler with an event whose completed() resolves this. */
  send(handler: (event: Office.MailboxEvent) => unknown): Promise<Office.SmartAlertsEventCompletedOptions & { body: string; completions: number }> {
    return new Promise((resolve) => {
      let completions = 0;
      handler({
        completed: (options?: Office.SmartAlertsEventCompletedOptions) => {
          completions++;
          // Outlook takes the first completion; a second is a bug worth seeing.
          setTimeout(() => resolve({ ...(options ?? {}), body: this.composeBody, completions }), 20);
        },
      } as Office.MailboxEvent);
    });
  }
}

/**
 * For the browser tests: puts the fake in `win` as `Office` (onReady answering Outlook, actions),
 * and exposes it as `win.fakeOffice` for the test to drive.
 */
export function installFakeOffice(win: Record<string, unknown>, options: ConstructorParameters<typeof FakeOffice>[0] & { initial?: FakeMessage | null }) {
  const fake = new FakeOffice(options);
  if (options.initial) fake.select(options.initial);
  const actions = new Map<string, (event: unknown) => void>();
  win.Office = Object.assign(fake, {
    HostType: { Outlook: 'Outlook' },
    PlatformType: { OfficeOnline: 'OfficeOnline', PC: 'PC', Mac: 'Mac' },
    onReady: (callback?: (info: { host: string; platform: string }) => void) => {
      const info = { host: 'Outlook', platform: String(fake.context.platform) };
      return new Promise((resolve) => setTimeout(() => resolve(callback ? callback(info) : info), 5)).then(() => info);
    },
    actions: { associate: (name: string, fn: (event: unknown) => void) => void actions.set(name, fn) },
  });
  win.fakeOffice = fake;
  win.fakeOfficeActions = actions;
  return { fake, actions };
}
