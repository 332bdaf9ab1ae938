// The sidebar's state outside React. It holds the state (sidebar-state.ts) and wires three parts to
// it: loading the open thread's context (context-loading.ts), sending the rep's changes
// (change-sending.ts) and logging emails (email-logging.ts). Components read it through
// useSyncExternalStore and call its methods.
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import type { Draft } from './actions.ts';
import { withMemoryFallback, type KeyValueStore } from './cache.ts';
import { ChangeSender } from './change-sending.ts';
import { ContextLoader } from './context-loading.ts';
import { EmailLogging } from './email-logging.ts';
import type { InboxHost } from './host.ts';
import type { ModelCore } from './model-core.ts';
import { Outbox } from './outbox.ts';
import { tolerant } from './model-core.ts';
import { dealChoiceKey, foldedKey, deriveView, initialSidebarState, type SidebarState, type SidebarView } from './sidebar-state.ts';

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

export class SidebarModel {
  readonly outbox: Outbox;
  private readonly host: InboxHost;
  private readonly now: () => Date;
  private readonly loader: ContextLoader;
  private readonly sender: ChangeSender;
  private readonly logging: EmailLogging;
  private readonly store: KeyValueStore;
  private state: SidebarState = initialSidebarState();
  private listeners = new Set<() => void>();
  private viewCache: { state: SidebarState; view: SidebarView } | null = null;
  private stopped = false;

  constructor(options: SidebarModelOptions) {
    this.host = options.host;
    this.now = options.now ?? (() => new Date());
    const store = withMemoryFallback(options.store);
    this.store = store;
    this.outbox = new Outbox(store, { now: this.now });
    const core: ModelCore = {
      host: this.host,
      api: options.api,
      store,
      outbox: this.outbox,
      now: this.now,
      state: this.getState,
      set: (patch) => this.set(patch),
      view: () => this.view(),
      stopped: () => this.stopped,
      refresh: () => this.loader.refresh(),
      flush: () => this.sender.flush(),
      scheduleRetry: () => this.sender.scheduleRetry(),
      notify: (tone, text) => this.sender.notify(tone, text),
      syncLogging: () => this.logging.sync(),
      recordLogged: (threadId, messageId, record) => this.logging.recordLogged(threadId, messageId, record),
    };
    this.loader = new ContextLoader(core, options.trackingRefreshMs ?? 15_000);
    this.sender = new ChangeSender(core, options.retryIntervalMs ?? 15_000);
    this.logging = new EmailLogging(core);
  }

  getState = (): SidebarState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<SidebarState>) {
    if (this.stopped) return;
    if (patch.connection === 'offline') this.sender.wentOffline();
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  /** Starts listening to the host; returns the function that stops everything. */
  start(): () => void {
    this.stopped = false;
    const offOutbox = this.outbox.subscribe((items) => {
      this.sender.outboxChanged(items);
      this.set({ pending: items });
    });
    const onOnline = () => void this.sender.retry();
    globalThis.addEventListener?.('online', onOnline);
    // Back on the mailbox tab (e.g. after opening the mail as its recipient): opens may have come in.
    const onVisible = () => {
      if (globalThis.document?.visibilityState === 'visible' && this.view().tracking.length) void this.loader.refreshTracking();
    };
    globalThis.document?.addEventListener('visibilitychange', onVisible);
    void this.loader.restorePipelines();
    void tolerant(this.store.get<string[]>(foldedKey)).then((folded) => {
      if (Array.isArray(folded)) this.set({ folded });
    });
    void this.outbox.load().catch(() => undefined).then(() => this.sender.flush());
    const offHost = this.host.onThreadChange((thread) => void this.loader.open(thread));
    const offSent = this.host.onTrackedMessageSent?.((sent) => {
      if (this.state.thread?.threadId === sent.threadId) void this.loader.refreshTracking();
    });
    return () => {
      this.stopped = true;
      offHost();
      offSent?.();
      offOutbox();
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.document?.removeEventListener('visibilitychange', onVisible);
      this.sender.stopRetry();
      this.loader.stopTrackingRefresh();
    };
  }

  view(): SidebarView {
    if (this.viewCache?.state !== this.state) {
      this.viewCache = { state: this.state, view: deriveView(this.state, this.sender.unconfirmed(this.state.pending), this.now()) };
    }
    return this.viewCache.view;
  }

  submit = (draft: Draft): Promise<void> => this.sender.submit(draft);
  dismiss = (id: number): void => this.sender.dismiss(id);
  /** Takes back the change a confirmation notice offers to undo. */
  undo = (noticeId: number): Promise<void> => this.sender.undo(noticeId);
  /** After the rep signed in again. */
  signedIn = (): Promise<void> => this.sender.signedIn();
  /** Tries the API again now (the offline banner's button). */
  retry = (): Promise<void> => this.sender.retry();
  setThreadLogging = (on: boolean): Promise<void> => this.logging.setThreadLogging(on);

  /** Folds a section away or opens it again; remembered for every thread. */
  setFolded = async (section: string, folded: boolean): Promise<void> => {
    const others = this.state.folded.filter((s) => s !== section);
    const next = folded ? [...others, section] : others;
    this.set({ folded: next });
    await tolerant(this.store.set(foldedKey, next));
  };

  /** The deal a note or task was attached to: the default for the next one on this thread. */
  rememberDealChoice = async (dealId: string): Promise<void> => {
    const thread = this.state.thread;
    if (!thread || this.state.dealChoice === dealId) return;
    this.set({ dealChoice: dealId });
    await tolerant(this.store.set(dealChoiceKey(thread.threadId), dealId));
  };
}
