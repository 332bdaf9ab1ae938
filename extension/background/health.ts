// The self-test's record (the popup shows it): what the Gmail tab and the sidebar page last
// reported, whether the API answered, and the last error, each with its time.
import type { GmailReport } from '../messages.ts';
import { emptyHealth, healthItem, type Health, type StorageAreaLike } from './stored.ts';

export function createHealthRecord(storage: StorageAreaLike, now: () => string) {
  // Read-modify-write, one at a time: the Gmail content script and the sidebar page framed in it
  // report at about the same moment, and two interleaved updates would lose one of them.
  let writes: Promise<unknown> = Promise.resolve();
  function update(change: (health: Health) => Health): Promise<void> {
    const write = writes.then(async () => {
      const health = (await healthItem.get(storage)) ?? emptyHealth();
      await healthItem.set(storage, change(health));
    });
    writes = write.catch(() => undefined);
    return write;
  }

  const recordError = (source: 'api' | 'gmail' | 'extension', message: string) => update((h) => ({ ...h, lastError: { message, source, at: now() } }));

  /** A report of the Gmail content script or the sidebar page. */
  async function report(r: GmailReport): Promise<{ ok: true }> {
    const at = now();
    await update((h) => {
      const gmail = { ...h.gmail, reportedAt: at };
      if (r.hookAttached !== undefined) gmail.hookAttachedAt = r.hookAttached ? at : null;
      if (r.sidebarMounted !== undefined) gmail.sidebarMountedAt = r.sidebarMounted ? at : null;
      const mailbox = r.mailbox?.trim().toLowerCase();
      if (mailbox) gmail.mailboxes = [mailbox, ...gmail.mailboxes.filter((m) => m !== mailbox)].slice(0, 10);
      const lastError = r.error ? { message: r.error.slice(0, 500), source: 'gmail' as const, at } : h.lastError;
      return { ...h, gmail, lastError };
    });
    return { ok: true };
  }

  const read = async () => (await healthItem.get(storage)) ?? emptyHealth();

  return { update, recordError, report, read };
}

export type HealthRecord = ReturnType<typeof createHealthRecord>;
