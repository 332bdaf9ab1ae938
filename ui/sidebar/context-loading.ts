// The sidebar's data loading: the thread the host opened (cached context first, then the API's),
// the tracking counts of its messages while it stays open, and the pipelines' stage names.
import { asApiError, isTransient } from '../api-client/api-error.ts';
import type { Pipeline } from '../api-client/api-types.ts';
import { contextCache, type CachedContext } from './cache.ts';
import type { InboxThread } from './host.ts';
import { externalEmails, messageIdsOf } from './inbox-thread.ts';
import { defaultLoggingSettings, type LoggingSettings } from './logging.ts';
import { tolerant, type ModelCore } from './model-core.ts';
import { dealChoiceKey, emptyLogging, loggingSettingsKey, threadLoggingKey, type Connection, type ThreadLogging } from './sidebar-state.ts';

const hour = 3_600_000;

export class ContextLoader {
  /** Bumped on every thread change, so an answer for a thread no longer open is dropped. */
  private openSeq = 0;
  private trackingTimer: ReturnType<typeof setTimeout> | null = null;
  private pipelinesFetched = false;

  constructor(
    private readonly core: ModelCore,
    /** How often the open thread's tracking is asked for again while it is lively; four times slower otherwise. */
    private readonly trackingRefreshMs: number,
  ) {}

  async open(thread: InboxThread | null) {
    const { core } = this;
    const previous = core.state().thread;
    if (!thread || previous?.threadId !== thread.threadId) this.stopTrackingRefresh();
    if (!thread) {
      this.openSeq++;
      core.set({ thread: null, emails: [], base: null, source: null, loadError: null, loading: false, logging: emptyLogging(), focusContact: null, dealChoice: null });
      return;
    }
    const emails = externalEmails(thread);
    const emailsChanged = emails.join() !== core.state().emails.join();
    if (previous?.threadId === thread.threadId) {
      const newMessages = messageIdsOf(thread).join() !== messageIdsOf(previous).join();
      core.set({ thread, emails });
      if (emailsChanged && emails.length) await this.refresh();
      else {
        // A message just sent in this thread may be tracked: ask for its summary.
        if (newMessages && core.state().base) void this.refreshTracking();
        await core.syncLogging();
      }
      return;
    }
    const seq = ++this.openSeq;
    core.set({ thread, emails, base: null, source: null, loadError: null, logging: emptyLogging(), focusContact: null, dealChoice: null });
    if (emails.length === 0) return;
    const [cached, logging, settings, dealChoice] = await Promise.all([
      tolerant(contextCache.read(core.store, thread.threadId)),
      tolerant(core.store.get<ThreadLogging>(threadLoggingKey(thread.threadId))),
      tolerant(core.store.get<LoggingSettings>(loggingSettingsKey(thread.userEmail))),
      tolerant(core.store.get<string>(dealChoiceKey(thread.threadId))),
    ]);
    if (seq !== this.openSeq) return;
    core.set({
      base: cached ?? null,
      source: cached ? 'cache' : null,
      logging: logging ?? emptyLogging(),
      settings: settings ?? defaultLoggingSettings(thread.userEmail),
      dealChoice: dealChoice ?? null,
    });
    await this.refresh();
  }

  /** Asks the API for the open thread's context; on failure the cached one stays on screen. */
  async refresh(): Promise<void> {
    const { core } = this;
    const { thread, emails } = core.state();
    if (!thread || emails.length === 0) return;
    const seq = this.openSeq;
    core.set({ loading: true });
    const askedIds = messageIdsOf(thread);
    try {
      const context = await core.api.getContext(emails, askedIds);
      if (seq !== this.openSeq) return;
      const entry: CachedContext = { context, emails, savedAt: core.now().toISOString() };
      core.set({ base: entry, source: 'server', loading: false, loadError: null, connection: 'online' });
      // The host named more messages while this was asked (their ids came after the people): their tracking too.
      const current = core.state().thread;
      if (current && messageIdsOf(current).join() !== askedIds.join()) void this.refreshTracking();
      else this.scheduleTrackingRefresh();
      await tolerant(contextCache.write(core.store, thread.threadId, entry));
      void this.loadPipelines();
      await core.syncLogging();
      await core.flush();
    } catch (err) {
      if (seq !== this.openSeq) return;
      const error = asApiError(err);
      const connection: Connection = error.code === 'OFFLINE' ? 'offline' : error.code === 'UNAUTHENTICATED' ? 'signed-out' : core.state().connection;
      core.set({ loading: false, loadError: error, connection });
      if (isTransient(error)) core.scheduleRetry();
      await core.syncLogging(); // offline with a cached context: queue what should be logged
    }
  }

  /**
   * Asks for the open thread's tracked messages only (opens and clicks change while the thread is
   * open; the rest of the context does not need to). Failures are quiet: the last known counts stay.
   */
  async refreshTracking(): Promise<void> {
    const { core } = this;
    const { thread, base } = core.state();
    if (!thread || !base || core.state().connection === 'signed-out') return;
    const seq = this.openSeq;
    const messageIds = messageIdsOf(thread);
    if (!messageIds.length) return;
    try {
      const tracking = await core.api.listTrackedMessages({ messageIds });
      const current = core.state().base;
      if (seq !== this.openSeq || !current) return;
      const entry: CachedContext = { ...current, context: { ...current.context, tracking } };
      core.set({ base: entry });
      await tolerant(contextCache.write(core.store, thread.threadId, entry));
    } catch {
      // The next refresh or reopening the thread tries again.
    }
    if (seq === this.openSeq) this.scheduleTrackingRefresh();
  }

  /** Lively (sent in the last hour, or clicks being checked): every trackingRefreshMs; else four times slower. */
  private scheduleTrackingRefresh() {
    this.stopTrackingRefresh();
    const tracking = this.core.view().tracking;
    if (this.core.stopped() || tracking.length === 0) return;
    const now = this.core.now().getTime();
    const lively = tracking.some((t) => t.pendingClicks > 0 || now - Date.parse(t.sentAt) < hour);
    this.trackingTimer = setTimeout(() => {
      this.trackingTimer = null;
      void this.refreshTracking();
    }, lively ? this.trackingRefreshMs : this.trackingRefreshMs * 4);
  }

  stopTrackingRefresh() {
    if (this.trackingTimer) clearTimeout(this.trackingTimer);
    this.trackingTimer = null;
  }

  /** The stage names, kept in the store for the next start. */
  async loadPipelines() {
    if (this.pipelinesFetched) return;
    this.pipelinesFetched = true;
    try {
      const pipelines = await this.core.api.listPipelines();
      this.core.set({ pipelines });
      await tolerant(this.core.store.set('pipelines', pipelines));
    } catch {
      this.pipelinesFetched = false; // stage names fall back to the deal's own; try again next time
    }
  }

  /** At start: the stage names from the last session, until the API's arrive. */
  async restorePipelines() {
    const saved = await tolerant(this.core.store.get<Pipeline[]>('pipelines'));
    if (saved && !this.core.state().pipelines.length) this.core.set({ pipelines: saved });
  }
}
