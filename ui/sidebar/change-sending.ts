// The sidebar's actions: a change the rep makes is queued in the outbox, shown at once and sent when
// the API is reachable; what the API confirms is folded into the context, what it refuses is said.
// Also the retries while offline and the notices the rep reads.
import type { ApiError } from '../api-client/api-error.ts';
import type { Draft } from './actions.ts';
import { contextCache } from './cache.ts';
import { applyConfirmed, type Confirmation } from './changes.ts';
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

  constructor(
    private readonly core: ModelCore,
    /** How soon to try again after the API was unreachable. */
    private readonly retryIntervalMs: number,
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
  async submit({ key, change, label }: Draft): Promise<void> {
    const { thread, emails } = this.core.state();
    try {
      await this.core.outbox.enqueue(change, { key, label, threadId: thread?.threadId ?? null, emails });
    } catch (err) {
      this.notify('error', `Not saved: ${label}. This computer could not store the change (${err instanceof Error ? err.message : String(err)}).`);
      return;
    }
    if (change.kind === 'createContact') this.core.set({ focusContact: change.contact.email.toLowerCase() });
    await this.flush();
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

  notify(tone: Notice['tone'], text: string) {
    this.core.set({ notices: [...this.core.state().notices, { id: ++this.noticeSeq, tone, text }].slice(-5) });
    this.core.host.showNotification?.(text);
  }

  dismiss(id: number) {
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
