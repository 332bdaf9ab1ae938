// The sidebar's actions: a change the rep makes is queued in the outbox, shown at once and sent when
// the API is reachable; what the API confirms is folded into the context, what it refuses is said.
// Also the retries while offline and the notices the rep reads.
import type { ApiError } from '../api-client/api-error.ts';
import type { Draft } from './actions.ts';
import { contextCache } from './cache.ts';
import { applyConfirmed, createdIds, ownTempIds, referencedIds, rewriteIds, type Confirmation } from './changes.ts';
import { describeError } from './describe-error.ts';
import { tolerant, type ModelCore } from './model-core.ts';
import type { OutboxItem } from './outbox.ts';
import type { Notice } from './sidebar-state.ts';

export class ChangeSender {
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Confirmed items not yet gone from the outbox snapshot: never overlay them twice. */
  private confirmedKeys = new Set<string>();
  /** Set while the API is unreachable, so the rep hears when queued changes went through. */
  private wasOffline = false;
  private savedAfterOffline = 0;
  private noticeSeq = 0;
  /** Notices offering Undo: the change they take back, until the window closes. */
  private undoable = new Map<number, { draft: Draft; timer: ReturnType<typeof setTimeout> }>();
  /** temp id → real id of what this sidebar created, so an undo sent later names the real record. */
  private created: Record<string, string> = {};

  constructor(
    private readonly core: ModelCore,
    /** How soon to try again after the API was unreachable. */
    private readonly retryIntervalMs: number,
    /** How long a change's confirmation offers Undo. */
    private readonly undoMs = 6_000,
  ) {}

  /** The queued changes still to show as pending (confirmed ones are in the context already). */
  unconfirmed(items: OutboxItem[]): OutboxItem[] {
    return items.filter((i) => !this.confirmedKeys.has(i.key));
  }

  /** The outbox changed (here or in another tab). */
  outboxChanged(items: OutboxItem[]) {
    for (const key of this.confirmedKeys) if (!items.some((i) => i.key === key)) this.confirmedKeys.delete(key);
  }

  wentOffline() {
    this.wasOffline = true;
  }

  /** Queues a change, shows it at once, and sends it if the API is reachable. */
  async submit({ key, change, label, done, inverse }: Draft): Promise<void> {
    const { thread, emails } = this.core.state();
    try {
      await this.core.outbox.enqueue(change, { key, label, threadId: thread?.threadId ?? null, emails });
    } catch (err) {
      this.notify('error', `Not saved: ${label}. This computer could not store the change (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    if (change.kind === 'createContact') this.core.set({ focusContact: change.contact.email.toLowerCase() });
    if (done) this.offerUndo({ key, change, label, done, inverse });
    await this.flush();
  }

  private offerUndo(draft: Draft) {
    const id = this.notify('info', draft.done!, { undoable: !!draft.inverse, quiet: true });
    if (!draft.inverse) return;
    const timer = setTimeout(() => {
      this.undoable.delete(id);
      this.dismiss(id);
    }, this.undoMs);
    this.undoable.set(id, { draft, timer });
  }

  /**
   * Takes back the change behind a notice: still queued, it is dropped before being sent; sent
   * already, its inverse is queued (a stage or value set back, a new deal deleted).
   */
  async undo(noticeId: number): Promise<void> {
    const entry = this.undoable.get(noticeId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.undoable.delete(noticeId);
    this.dismiss(noticeId);
    const { draft } = entry;
    // Still queued: dropped, with whatever was queued on top of it (a task on the new deal).
    const created = new Set(ownTempIds(draft.change));
    const cancelled = await this.core.outbox
      .cancel((i) => i.key === draft.key || referencedIds(i.change).some((id) => created.has(id)))
      .catch(() => []);
    if (cancelled.some((i) => i.key === draft.key)) return;
    const inverse = rewriteIds(draft.inverse!, this.created);
    await this.submit({ key: globalThis.crypto.randomUUID(), change: inverse, label: `Undo: ${draft.label}` });
  }

  async flush(): Promise<void> {
    const { core } = this;
    if (core.state().connection === 'signed-out' || core.stopped()) return;
    let result;
    try {
      result = await core.outbox.flush(core.api, {
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
      if (code === 'UNAUTHENTICATED') core.set({ connection: 'signed-out' });
      else if (code === 'OFFLINE') core.set({ connection: 'offline' });
      if (code !== 'UNAUTHENTICATED') this.scheduleRetry();
      return;
    }
    // An empty queue proves nothing about the network; a sent change does.
    if (result.sent > 0 && core.state().connection === 'offline') core.set({ connection: 'online' });
    const saved = this.savedAfterOffline;
    this.wasOffline = false;
    this.savedAfterOffline = 0;
    if (saved > 0) this.notify('info', `${saved} change${saved === 1 ? '' : 's'} made offline ${saved === 1 ? 'was' : 'were'} saved to the CRM.`);
    if (result.sent > 0) await core.refresh();
  }

  private async confirmed(item: OutboxItem, confirmation: Confirmation) {
    const { core } = this;
    this.confirmedKeys.add(item.key);
    Object.assign(this.created, createdIds(item.change, confirmation));
    if (this.wasOffline && item.change.kind !== 'logEmail') this.savedAfterOffline++;
    if (confirmation.kind === 'email' && item.change.kind === 'logEmail' && item.threadId) {
      await core.recordLogged(item.threadId, item.change.email.messageId, { at: core.now().toISOString(), result: confirmation.result });
    }
    const { base, thread } = core.state();
    // Changes made in another thread show up there on its next refresh.
    if (base && thread && item.threadId === thread.threadId) {
      const entry = { ...base, context: applyConfirmed(base.context, item.change, confirmation) };
      core.set({ base: entry });
      await tolerant(contextCache.write(core.store, thread.threadId, entry));
    }
  }

  private refused(item: OutboxItem, error: ApiError, dropped: OutboxItem[]) {
    this.notify('error', `Not saved: ${item.label}. ${describeError(error)}`);
    for (const d of dropped) this.notify('error', `Not saved: ${d.label}, because “${item.label}” was refused.`);
  }

  /** `quiet`: in the sidebar only, not also as the host's own notification (a confirmation of what the rep just did). */
  notify(tone: Notice['tone'], text: string, options: { undoable?: boolean; quiet?: boolean } = {}): number {
    const id = ++this.noticeSeq;
    this.core.set({ notices: [...this.core.state().notices, { id, tone, text, ...(options.undoable ? { undoable: true } : {}) }].slice(-5) });
    if (!options.quiet) this.core.host.showNotification?.(text);
    return id;
  }

  dismiss(id: number) {
    const entry = this.undoable.get(id);
    if (entry) clearTimeout(entry.timer);
    this.undoable.delete(id);
    this.core.set({ notices: this.core.state().notices.filter((n) => n.id !== id) });
  }

  /** After the rep signed in again. */
  async signedIn(): Promise<void> {
    this.core.set({ connection: 'online', loadError: null });
    await this.reload();
  }

  /** Tries the API again now (the offline banner's button, the browser's online event). */
  async retry(): Promise<void> {
    this.stopRetry();
    if (this.core.state().connection === 'signed-out') return;
    await this.reload();
  }

  private async reload() {
    const { thread, emails } = this.core.state();
    if (thread && emails.length) await this.core.refresh();
    else await this.flush();
  }

  scheduleRetry() {
    if (this.retryTimer || this.core.stopped()) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.retry();
    }, this.retryIntervalMs);
  }

  stopRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
