// Automatic email logging as the sidebar runs it: every message of the open thread that logging.ts
// says should be logged is queued once (keyed by its Message-ID), the per-thread switch stops it,
// and what the API logged is remembered per thread in the local store.
import { emailLogOf } from './logging.ts';
import { tolerant, type ModelCore } from './model-core.ts';
import { emptyLogging, threadLoggingKey, type LoggedRecord, type ThreadLogging } from './sidebar-state.ts';

export class EmailLogging {
  /** Read-modify-writes of the per-thread record, one at a time. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Message-IDs queued for logging by this sidebar: never queued twice, whatever the records say. */
  private queued = new Set<string>();

  constructor(private readonly core: ModelCore) {}

  async setThreadLogging(on: boolean): Promise<void> {
    const thread = this.core.state().thread;
    if (!thread) return;
    await this.update(thread.threadId, (l) => ({ ...l, off: !on }));
    if (on) await this.sync();
    else {
      const cancelled = await this.core.outbox.cancel((i) => i.change.kind === 'logEmail' && i.threadId === thread.threadId);
      for (const { change } of cancelled) if (change.kind === 'logEmail') this.queued.delete(change.email.messageId);
    }
  }

  recordLogged(threadId: string, messageId: string, record: LoggedRecord): Promise<void> {
    return this.update(threadId, (l) => ({ ...l, logged: { ...l.logged, [messageId]: record } }));
  }

  private update(threadId: string, change: (l: ThreadLogging) => ThreadLogging): Promise<void> {
    const { core } = this;
    const step = this.writes.then(async () => {
      const next = change((await tolerant(core.store.get<ThreadLogging>(threadLoggingKey(threadId)))) ?? emptyLogging());
      await tolerant(core.store.set(threadLoggingKey(threadId), next));
      if (core.state().thread?.threadId === threadId) core.set({ logging: next });
    });
    this.writes = step.catch(() => undefined);
    return step;
  }

  /** Queues every message of the open thread that should be logged and is not yet. */
  async sync(): Promise<void> {
    const { core } = this;
    const { thread, connection, logging, emails } = core.state();
    if (!thread || connection === 'signed-out') return;
    const { context, decisions } = core.view();
    if (!context) return;
    const done = new Set([...Object.keys(logging.logged), ...context.activities.flatMap((a) => (a.messageId ? [a.messageId] : []))]);
    let queued = 0;
    for (const { message, verdict } of decisions) {
      const messageId = message.messageId.trim();
      if (!verdict.log || done.has(messageId) || this.queued.has(messageId)) continue;
      this.queued.add(messageId);
      const change = { kind: 'logEmail' as const, email: emailLogOf(message, thread.threadId) };
      const label = `Log the email “${message.subject || '(no subject)'}”`;
      const item = await tolerant(core.outbox.enqueue(change, { key: `email:${messageId}`, label, threadId: thread.threadId, emails }));
      if (item) queued++;
    }
    if (queued) await core.flush();
  }
}
