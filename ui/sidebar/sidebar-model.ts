// The sidebar's state outside React: which thread is open, the last known context (cache first,
// then the API), the outbox of changes, connection state, notices and automatic logging.
// Components read it through useSyncExternalStore and call its methods.
import { normalizeEmail } from '../../core/email-address.ts';
import { ApiError, isApiError, isTransient, type EmailLogResult, type Pipeline, type SidebarApi, type ThreadContext, type TrackedMessageSummary } from './api.ts';
import { contextCache, withMemoryFallback, type CachedContext, type KeyValueStore } from './cache.ts';
import type { Draft } from './actions.ts';
import { applyConfirmed, applyPending, ownTempIds, type Confirmation } from './changes.ts';
import type { InboxHost, InboxThread, Participant } from './host.ts';
import { decideLogging, defaultLoggingSettings, emailLogOf, isColleague, type LogDecision, type LoggingSettings } from './logging.ts';
import { Outbox, type OutboxItem } from './outbox.ts';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export interface LoggedRecord {
  at: string;
  result: EmailLogResult;
}

export interface ThreadLogging {
  off: boolean;
  logged: Record<string, LoggedRecord>;
}

export type Connection = 'online' | 'offline' | 'signed-out';

export interface SidebarState {
  thread: InboxThread | null;
  /** The thread's participants outside the rep's organization: what the context is asked for. */
  emails: string[];
  base: CachedContext | null;
  source: 'cache' | 'server' | null;
  loading: boolean;
  loadError: ApiError | null;
  connection: Connection;
  pending: OutboxItem[];
  notices: Notice[];
  pipelines: Pipeline[];
  logging: ThreadLogging;
  settings: LoggingSettings | null;
  /** Address of a contact just created here, so its card can take focus. */
  focusContact: string | null;
}

export type Phase = 'idle' | 'empty' | 'loading' | 'ready' | 'signed-out' | 'offline' | 'error';

export interface SidebarView {
  phase: Phase;
  /** The last known context with pending changes applied on top. */
  context: ThreadContext | null;
  /** Ids of records shown but not yet confirmed (new ones, or ones with a pending change). */
  pendingIds: ReadonlySet<string>;
  decisions: LogDecision[];
  /** The thread's tracked messages (sent by the rep with tracking on), as last known. */
  tracking: TrackedMessageSummary[];
}

export interface SidebarModelOptions {
  host: InboxHost;
  api: SidebarApi;
  store: KeyValueStore;
  now?: () => Date;
  /** How soon to try again after the API was unreachable. */
  retryIntervalMs?: number;
  /**
   * How often the open thread's tracking is asked for again while a tracked message in it was sent
   * in the last hour or has clicks being checked; four times slower for older ones.
   */
  trackingRefreshMs?: number;
}

export const loggingSettingsKey = (userEmail: string) => `logging-settings:${userEmail.toLowerCase()}`;
const threadLoggingKey = (threadId: string) => `logging:${threadId}`;
const emptyLogging = (): ThreadLogging => ({ off: false, logged: {} });
const noTracking: TrackedMessageSummary[] = [];

/** The host's ids of the thread's messages, newest last: what tracked messages are found by (the API takes 100). */
export function messageIdsOf(thread: InboxThread): string[] {
  const ids = thread.messages.map((m) => m.messageId.trim()).filter(Boolean);
  return [...new Set(ids)].slice(-100);
}

export function externalEmails(thread: InboxThread): string[] {
  const all = [...thread.participants, ...thread.messages.flatMap((m) => [m.from, ...m.to, ...m.cc])];
  const emails = all.map((p) => normalizeEmail(p.email)).filter((e): e is string => e !== null && !isColleague(e, thread.userEmail));
  return [...new Set(emails)].slice(0, 50); // the context endpoint takes at most 50
}

/** The display name the mailbox shows for an address, if any. */
export function participantFor(thread: InboxThread, email: string): Participant {
  const all = [...thread.participants, ...thread.messages.flatMap((m) => [m.from, ...m.to, ...m.cc])];
  const named = all.find((p) => normalizeEmail(p.email) === email && p.name.trim() && !p.name.includes('@'));
  return named ?? { name: '', email };
}

export function describeError(error: ApiError): string {
  switch (error.code) {
    case 'OFFLINE':
      return 'The CRM cannot be reached. Changes you make are kept and sent when it is back.';
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    case 'FORBIDDEN':
      return `You are not allowed to do this: ${error.message}`;
    case 'RATE_LIMITED':
      return 'The CRM is busy. Trying again shortly.';
    case 'INTERNAL':
      return 'The CRM had a problem on its side. Try again in a moment.';
    case 'BAD_RESPONSE':
      return 'The CRM sent an answer the sidebar cannot read.';
    default:
      return error.message;
  }
}

/** Local storage failing (quota, private mode) must not break the sidebar: it only loses the cache. */
const tolerant = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

const asApiError = (err: unknown) => (isApiError(err) ? err : new ApiError('BAD_RESPONSE', err instanceof Error ? err.message : String(err), 0));

export class SidebarModel {
  private readonly host: InboxHost;
  private readonly api: SidebarApi;
  private readonly store: KeyValueStore;
  private readonly now: () => Date;
  private readonly retryIntervalMs: number;
  private readonly trackingRefreshMs: number;
  private trackingTimer: ReturnType<typeof setTimeout> | null = null;
  readonly outbox: Outbox;
  private state: SidebarState;
  private listeners = new Set<() => void>();
  private openSeq = 0;
  private noticeSeq = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pipelinesFetched = false;
  /** Confirmed items not yet gone from the outbox snapshot: never overlay them twice. */
  private confirmedKeys = new Set<string>();
  private loggingWrites: Promise<unknown> = Promise.resolve();
  private viewCache: { state: SidebarState; view: SidebarView } | null = null;
  private stopped = false;
  /** Set while the API is unreachable, so the rep hears when queued changes went through. */
  private wasOffline = false;
  private savedAfterOffline = 0;
  /** Message-IDs queued for logging by this sidebar: never queued twice, whatever the records say. */
  private queuedLogs = new Set<string>();

  constructor(options: SidebarModelOptions) {
    this.host = options.host;
    this.api = options.api;
    this.store = withMemoryFallback(options.store);
    this.now = options.now ?? (() => new Date());
    this.retryIntervalMs = options.retryIntervalMs ?? 15_000;
    this.trackingRefreshMs = options.trackingRefreshMs ?? 15_000;
    this.outbox = new Outbox(this.store, { now: this.now });
    this.state = {
      thread: null, emails: [], base: null, source: null, loading: false, loadError: null, connection: 'online',
      pending: [], notices: [], pipelines: [], logging: emptyLogging(), settings: null, focusContact: null,
    };
  }

  getState = (): SidebarState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<SidebarState>) {
    if (this.stopped) return;
    if (patch.connection === 'offline') this.wasOffline = true;
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  /** Starts listening to the host; returns the function that stops everything. */
  start(): () => void {
    this.stopped = false;
    const offOutbox = this.outbox.subscribe((items) => {
      for (const key of this.confirmedKeys) if (!items.some((i) => i.key === key)) this.confirmedKeys.delete(key);
      this.set({ pending: items });
    });
    const onOnline = () => void this.retry();
    globalThis.addEventListener?.('online', onOnline);
    // Back on the mailbox tab (e.g. after opening the mail as its recipient): opens may have come in.
    const onVisible = () => {
      if (globalThis.document?.visibilityState === 'visible' && this.view().tracking.length) void this.refreshTracking();
    };
    globalThis.document?.addEventListener('visibilitychange', onVisible);
    void tolerant(this.store.get<Pipeline[]>('pipelines')).then((p) => p && !this.state.pipelines.length && this.set({ pipelines: p }));
    void tolerant(this.outbox.load()).then(() => this.flush());
    const offHost = this.host.onThreadChange((thread) => void this.open(thread));
    const offSent = this.host.onTrackedMessageSent?.((sent) => {
      if (this.state.thread?.threadId === sent.threadId) void this.refreshTracking();
    });
    return () => {
      this.stopped = true;
      offHost();
      offSent?.();
      offOutbox();
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.document?.removeEventListener('visibilitychange', onVisible);
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.stopTrackingRefresh();
    };
  }

  view(): SidebarView {
    const state = this.state;
    if (this.viewCache?.state === state) return this.viewCache.view;
    const pending = state.pending.filter((i) => !this.confirmedKeys.has(i.key));
    const env = { now: this.now(), pipelines: state.pipelines };
    const context = state.base ? pending.reduce((ctx, item) => applyPending(ctx, item.change, env), state.base.context) : null;
    const pendingIds = new Set<string>();
    for (const { change } of pending) {
      ownTempIds(change).forEach((id) => pendingIds.add(id));
      if (change.kind === 'updateDeal') pendingIds.add(change.dealId);
    }
    const decisions =
      state.thread && context && state.settings
        ? decideLogging({ thread: state.thread, knownEmails: context.contacts.map((c) => c.email), settings: state.settings, threadOff: state.logging.off })
        : [];
    let phase: Phase;
    if (!state.thread) phase = 'idle';
    else if (state.emails.length === 0) phase = 'empty';
    else if (state.connection === 'signed-out') phase = 'signed-out';
    else if (context) phase = 'ready';
    else if (state.loadError?.code === 'OFFLINE') phase = 'offline';
    else if (state.loadError && !state.loading) phase = 'error';
    else phase = 'loading';
    const tracking = state.base?.context.tracking ?? noTracking;
    const view = { phase, context, pendingIds, decisions, tracking };
    this.viewCache = { state, view };
    return view;
  }

  private async open(thread: InboxThread | null) {
    const previous = this.state.thread;
    if (!thread || previous?.threadId !== thread.threadId) this.stopTrackingRefresh();
    if (!thread) {
      this.openSeq++;
      this.set({ thread: null, emails: [], base: null, source: null, loadError: null, loading: false, logging: emptyLogging(), focusContact: null });
      return;
    }
    const same = this.state.thread?.threadId === thread.threadId;
    const emails = externalEmails(thread);
    const emailsChanged = emails.join() !== this.state.emails.join();
    if (same) {
      const newMessages = previous && messageIdsOf(thread).join() !== messageIdsOf(previous).join();
      this.set({ thread, emails });
      if (emailsChanged && emails.length) await this.refresh();
      else {
        // A message just sent in this thread may be tracked: ask for its summary.
        if (newMessages && this.state.base) void this.refreshTracking();
        await this.syncLogging();
      }
      return;
    }
    const seq = ++this.openSeq;
    this.set({ thread, emails, base: null, source: null, loadError: null, logging: emptyLogging(), focusContact: null });
    if (emails.length === 0) return;
    const [cached, logging, settings] = await Promise.all([
      tolerant(contextCache.read(this.store, thread.threadId)),
      tolerant(this.store.get<ThreadLogging>(threadLoggingKey(thread.threadId))),
      tolerant(this.store.get<LoggingSettings>(loggingSettingsKey(thread.userEmail))),
    ]);
    if (seq !== this.openSeq) return;
    this.set({
      base: cached ?? null,
      source: cached ? 'cache' : null,
      logging: logging ?? emptyLogging(),
      settings: settings ?? defaultLoggingSettings(thread.userEmail),
    });
    await this.refresh();
  }

  /** Asks the API for the open thread's context; on failure the cached one stays on screen. */
  async refresh(): Promise<void> {
    const { thread, emails } = this.state;
    if (!thread || emails.length === 0) return;
    const seq = this.openSeq;
    this.set({ loading: true });
    try {
      const context = await this.api.getContext(emails, messageIdsOf(thread));
      if (seq !== this.openSeq) return;
      const entry: CachedContext = { context, emails, savedAt: this.now().toISOString() };
      this.set({ base: entry, source: 'server', loading: false, loadError: null, connection: 'online' });
      this.scheduleTrackingRefresh();
      await tolerant(contextCache.write(this.store, thread.threadId, entry));
      void this.loadPipelines();
      await this.syncLogging();
      await this.flush();
    } catch (err) {
      if (seq !== this.openSeq) return;
      const error = asApiError(err);
      const connection: Connection = error.code === 'OFFLINE' ? 'offline' : error.code === 'UNAUTHENTICATED' ? 'signed-out' : this.state.connection;
      this.set({ loading: false, loadError: error, connection });
      if (isTransient(error)) this.scheduleRetry();
      await this.syncLogging(); // offline with a cached context: queue what should be logged
    }
  }

  /**
   * Asks for the open thread's tracked messages only (opens and clicks change while the thread is
   * open; the rest of the context does not need to). Failures are quiet: the last known counts stay.
   */
  async refreshTracking(): Promise<void> {
    const { thread, base } = this.state;
    if (!thread || !base || this.state.connection === 'signed-out') return;
    const seq = this.openSeq;
    const messageIds = messageIdsOf(thread);
    if (!messageIds.length) return;
    try {
      const tracking = await this.api.listTrackedMessages({ messageIds });
      const current = this.state.base;
      if (seq !== this.openSeq || !current) return;
      const entry: CachedContext = { ...current, context: { ...current.context, tracking } };
      this.set({ base: entry });
      await tolerant(contextCache.write(this.store, thread.threadId, entry));
    } catch {
      // The next refresh or reopening the thread tries again.
    }
    if (seq === this.openSeq) this.scheduleTrackingRefresh();
  }

  private scheduleTrackingRefresh() {
    this.stopTrackingRefresh();
    const tracking = this.view().tracking;
    if (this.stopped || tracking.length === 0) return;
    const hour = 3_600_000;
    const now = this.now().getTime();
    const lively = tracking.some((t) => t.pendingClicks > 0 || now - Date.parse(t.sentAt) < hour);
    this.trackingTimer = setTimeout(() => {
      this.trackingTimer = null;
      void this.refreshTracking();
    }, lively ? this.trackingRefreshMs : this.trackingRefreshMs * 4);
  }

  private stopTrackingRefresh() {
    if (this.trackingTimer) clearTimeout(this.trackingTimer);
    this.trackingTimer = null;
  }

  private async loadPipelines() {
    if (this.pipelinesFetched) return;
    this.pipelinesFetched = true;
    try {
      const pipelines = await this.api.listPipelines();
      this.set({ pipelines });
      await tolerant(this.store.set('pipelines', pipelines));
    } catch {
      this.pipelinesFetched = false; // stage names fall back to the deal's own; try again next time
    }
  }

  /** Queues a change, shows it at once, and sends it if the API is reachable. */
  async submit({ key, change, label }: Draft): Promise<void> {
    const { thread, emails } = this.state;
    try {
      await this.outbox.enqueue(change, { key, label, threadId: thread?.threadId ?? null, emails });
    } catch (err) {
      this.notify('error', `Not saved: ${label}. This computer could not store the change (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    if (change.kind === 'createContact') this.set({ focusContact: change.contact.email.toLowerCase() });
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.state.connection === 'signed-out' || this.stopped) return;
    let result;
    try {
      result = await this.outbox.flush(this.api, {
        onConfirmed: (item, confirmation) => this.confirmed(item, confirmation),
        onRefused: (item, error, dropped) => this.refused(item, error, dropped),
      });
    } catch {
      // The local store failed mid-run; nothing was lost from it. Try again later.
      this.scheduleRetry();
      return;
    }
    if (result.blocked) {
      const code = result.blocked.code;
      if (code === 'UNAUTHENTICATED') this.set({ connection: 'signed-out' });
      else if (code === 'OFFLINE') this.set({ connection: 'offline' });
      if (code !== 'UNAUTHENTICATED') this.scheduleRetry();
      return;
    }
    // An empty queue proves nothing about the network; a sent change does.
    if (result.sent > 0 && this.state.connection === 'offline') this.set({ connection: 'online' });
    const saved = this.savedAfterOffline;
    this.wasOffline = false;
    this.savedAfterOffline = 0;
    if (saved > 0) this.notify('info', `${saved} change${saved === 1 ? '' : 's'} made offline ${saved === 1 ? 'was' : 'were'} saved to the CRM.`);
    if (result.sent > 0) {
      await this.refresh();
    }
  }

  private async confirmed(item: OutboxItem, confirmation: Confirmation) {
    this.confirmedKeys.add(item.key);
    if (this.wasOffline && item.change.kind !== 'logEmail') this.savedAfterOffline++;
    if (confirmation.kind === 'email' && item.change.kind === 'logEmail' && item.threadId) {
      const messageId = item.change.email.messageId;
      const record: LoggedRecord = { at: this.now().toISOString(), result: confirmation.result };
      await this.updateThreadLogging(item.threadId, (l) => ({ ...l, logged: { ...l.logged, [messageId]: record } }));
    }
    const { base, thread } = this.state;
    // Changes made in another thread show up there on its next refresh.
    if (base && thread && item.threadId === thread.threadId) {
      const entry = { ...base, context: applyConfirmed(base.context, item.change, confirmation) };
      this.set({ base: entry });
      await tolerant(contextCache.write(this.store, thread.threadId, entry));
    }
  }

  private refused(item: OutboxItem, error: ApiError, dropped: OutboxItem[]) {
    const reason = describeError(error);
    this.notify('error', `Not saved: ${item.label}. ${reason}`);
    for (const d of dropped) this.notify('error', `Not saved: ${d.label}, because “${item.label}” was refused.`);
  }

  private notify(tone: Notice['tone'], text: string) {
    this.set({ notices: [...this.state.notices, { id: ++this.noticeSeq, tone, text }].slice(-5) });
    this.host.showNotification?.(text);
  }

  dismiss(id: number) {
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  /** After the rep signed in again. */
  async signedIn(): Promise<void> {
    this.set({ connection: 'online', loadError: null });
    if (this.state.thread && this.state.emails.length) await this.refresh();
    else await this.flush();
  }

  /** Tries the API again now (the offline banner's button, the browser's online event). */
  async retry(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.state.connection === 'signed-out') return;
    if (this.state.thread && this.state.emails.length) await this.refresh();
    else await this.flush();
  }

  private scheduleRetry() {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.retry();
    }, this.retryIntervalMs);
  }

  async setThreadLogging(on: boolean): Promise<void> {
    const thread = this.state.thread;
    if (!thread) return;
    await this.updateThreadLogging(thread.threadId, (l) => ({ ...l, off: !on }));
    if (on) await this.syncLogging();
    else {
      const cancelled = await this.outbox.cancel((i) => i.change.kind === 'logEmail' && i.threadId === thread.threadId);
      for (const { change } of cancelled) if (change.kind === 'logEmail') this.queuedLogs.delete(change.email.messageId);
    }
  }

  private updateThreadLogging(threadId: string, change: (l: ThreadLogging) => ThreadLogging): Promise<void> {
    const step = this.loggingWrites.then(async () => {
      const next = change((await tolerant(this.store.get<ThreadLogging>(threadLoggingKey(threadId)))) ?? emptyLogging());
      await tolerant(this.store.set(threadLoggingKey(threadId), next));
      if (this.state.thread?.threadId === threadId) this.set({ logging: next });
    });
    this.loggingWrites = step.catch(() => undefined);
    return step;
  }

  /** Queues every message of the open thread that should be logged and is not yet. */
  private async syncLogging(): Promise<void> {
    const { thread, connection } = this.state;
    if (!thread || connection === 'signed-out') return;
    const { context, decisions } = this.view();
    if (!context) return;
    const done = new Set([
      ...Object.keys(this.state.logging.logged),
      ...context.activities.flatMap((a) => (a.messageId ? [a.messageId] : [])),
    ]);
    let queued = 0;
    for (const { message, verdict } of decisions) {
      const messageId = message.messageId.trim();
      if (!verdict.log || done.has(messageId) || this.queuedLogs.has(messageId)) continue;
      this.queuedLogs.add(messageId);
      const change = { kind: 'logEmail' as const, email: emailLogOf(message, thread.threadId) };
      const label = `Log the email “${message.subject || '(no subject)'}”`;
      const item = await tolerant(this.outbox.enqueue(change, { key: `email:${messageId}`, label, threadId: thread.threadId, emails: this.state.emails }));
      if (item) queued++;
    }
    if (queued) await this.flush();
  }
}
