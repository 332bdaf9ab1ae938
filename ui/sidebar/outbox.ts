// Changes waiting for the API, persisted in the KeyValueStore and sent strictly in order.
// - Each item carries a client-generated key, sent as Idempotency-Key on every attempt.
// - An item stays queued until the server confirms it; offline, signed-out or a server hiccup
//   stops the run and keeps it. A refusal (4xx) drops it, and the changes that depended on it.
// - Creates whose earlier answer was lost are looked up before being sent again (findApplied);
//   contacts, deal/task updates and email logs are idempotent on the server already.
// - Several sidebars (tabs) may share one store: the head item is claimed for a lease before it
//   is sent, so two tabs never send it at once.
import { ApiError, isApiError, isTransient } from '../api-client/api-error.ts';
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import { createdIds, findApplied, ownTempIds, referencedIds, rewriteIds, type Change, type Confirmation } from './changes.ts';
import type { KeyValueStore } from './cache.ts';

export interface OutboxItem {
  /** The idempotency key. For email logging it is derived from the Message-ID. */
  key: string;
  change: Change;
  /** What a person reads in the pending list, e.g. Move “Acme renewal” to Proposal. */
  label: string;
  threadId: string | null;
  /** The thread's participant addresses, to look the change up again after a lost answer. */
  emails: string[];
  queuedAt: string;
  attempts: number;
  lastError?: string;
  claim?: { by: string; until: number };
}

export interface FlushHandlers {
  /** Awaited before the item leaves the queue, so what it records is durable first. */
  onConfirmed?(item: OutboxItem, confirmation: Confirmation): void | Promise<void>;
  onRefused?(item: OutboxItem, error: ApiError, dropped: OutboxItem[]): void;
}

export interface FlushResult {
  sent: number;
  refused: number;
  /** Why the run stopped with items left: offline, signed out, server trouble, another tab. */
  blocked: ApiError | null;
}

export type Lock = <T>(work: () => Promise<T>) => Promise<T>;

export interface OutboxOptions {
  now?: () => Date;
  /** Serializes read-modify-write of the queue across tabs; defaults to the Web Locks API when present. */
  lock?: Lock;
  /** Attempts before a change the server keeps failing (5xx) is given up, visibly. */
  maxAttempts?: number;
  leaseMs?: number;
  storageKey?: string;
}

const webLock = (name: string): Lock | null => {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  return locks ? <T>(work: () => Promise<T>) => locks.request(name, work) as Promise<T> : null;
};

function asApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  return new ApiError('BAD_RESPONSE', err instanceof Error ? err.message : String(err), 0);
}

async function sendChange(api: SidebarApi, change: Change, key: string): Promise<Confirmation> {
  const write = { idempotencyKey: key };
  switch (change.kind) {
    case 'createContact':
      return createContact(api, change, key);
    case 'createDeal':
      return { kind: 'deal', deal: await api.createDeal(change.deal, write) };
    case 'deleteDeal':
      await api.deleteDeal(change.dealId, write);
      return { kind: 'deleted', dealId: change.dealId };
    case 'deleteContact':
      await api.deleteContact(change.contactId, write);
      return { kind: 'deletedContact', contactId: change.contactId, email: change.email };
    case 'deleteActivity':
      await api.deleteActivity(change.activityId, write);
      return { kind: 'deletedActivity', activityId: change.activityId };
    case 'updateDeal':
      return { kind: 'deal', deal: await api.updateDeal(change.dealId, change.patch, write) };
    case 'addNote':
      return { kind: 'activity', activity: await api.addNote(change.note, write) };
    case 'addTask':
      return { kind: 'activity', activity: await api.addTask(change.task, write) };
    case 'completeTask':
      return { kind: 'activity', activity: await api.completeTask(change.taskId, write) };
    case 'logEmail':
      return { kind: 'email', result: await api.logEmail(change.email) };
  }
}

const existingIdOf = (err: ApiError): string | null => {
  const id = (err.details as { existingId?: unknown } | undefined)?.existingId;
  return typeof id === 'string' ? id : null;
};

async function createContact(api: SidebarApi, change: Extract<Change, { kind: 'createContact' }>, key: string): Promise<Confirmation> {
  let companyId = change.companyId;
  let company = null;
  if (!companyId && change.company) {
    try {
      company = await api.createCompany({ name: change.company.name, domain: change.company.domain }, { idempotencyKey: `${key}:company` });
      companyId = company.id;
    } catch (err) {
      // The domain's company exists (maybe from our own lost attempt): use it. Without its id the
      // API still links the contact to the company of its email domain.
      if (!isApiError(err) || err.code !== 'CONFLICT') throw err;
      companyId = existingIdOf(err);
    }
  }
  const { email, firstName, lastName, title } = change.contact;
  try {
    const contact = await api.createContact({ email, firstName, lastName, ...(title ? { title } : {}), ...(companyId ? { companyId } : {}) }, { idempotencyKey: key });
    return { kind: 'contact', contactId: contact.id, companyId: contact.companyId, contact, company };
  } catch (err) {
    if (!isApiError(err) || err.code !== 'CONFLICT') throw err;
    // Someone (or our lost attempt) created it already: the rep's intent is met.
    const found = (await api.getContext([email])).contacts.find((c) => c.email.toLowerCase() === email.toLowerCase());
    const contactId = found?.id ?? existingIdOf(err);
    if (!contactId) throw err;
    return { kind: 'contact', contactId, companyId: found?.companyId ?? companyId, contact: found ?? null, company };
  }
}

export class Outbox {
  private readonly store: KeyValueStore;
  private readonly now: () => Date;
  private readonly lock: Lock;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly storageKey: string;
  private readonly owner = `tab-${Math.random().toString(36).slice(2)}`;
  private localQueue: Promise<unknown> = Promise.resolve();
  private snapshot: OutboxItem[] = [];
  private listeners = new Set<(items: OutboxItem[]) => void>();
  private running: Promise<FlushResult> | null = null;
  private again = false;

  constructor(store: KeyValueStore, options: OutboxOptions = {}) {
    this.store = store;
    this.now = options.now ?? (() => new Date());
    this.storageKey = options.storageKey ?? 'outbox';
    this.lock = options.lock ?? webLock(`inbox-crm:${this.storageKey}`) ?? ((work) => work());
    this.maxAttempts = options.maxAttempts ?? 5;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  items(): OutboxItem[] {
    return this.snapshot;
  }

  subscribe(listener: (items: OutboxItem[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the queue again (another tab may have changed it). */
  load(): Promise<OutboxItem[]> {
    return this.update((items) => ({ items, result: items }), false);
  }

  /** Queues a change; a second change with the same key is ignored (null). */
  enqueue(change: Change, meta: { label: string; threadId?: string | null; emails?: string[]; key?: string }): Promise<OutboxItem | null> {
    const key = meta.key ?? globalThis.crypto.randomUUID();
    return this.update((items) => {
      if (items.some((i) => i.key === key)) return { items, result: null };
      const item: OutboxItem = { key, change, label: meta.label, threadId: meta.threadId ?? null, emails: meta.emails ?? [], queuedAt: this.now().toISOString(), attempts: 0 };
      return { items: [...items, item], result: item };
    });
  }

  /** Takes back queued changes that are not being sent right now; returns them. */
  cancel(match: (item: OutboxItem) => boolean): Promise<OutboxItem[]> {
    return this.update((items) => {
      const gone = items.filter((i) => match(i) && !this.inFlight(i));
      return { items: items.filter((i) => !gone.includes(i)), result: gone };
    });
  }

  /** Sends queued changes in order until the queue is empty or something blocks it. */
  flush(api: SidebarApi, handlers: FlushHandlers = {}): Promise<FlushResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      const total: FlushResult = { sent: 0, refused: 0, blocked: null };
      do {
        this.again = false;
        const run = await this.drain(api, handlers);
        total.sent += run.sent;
        total.refused += run.refused;
        total.blocked = run.blocked;
      } while (this.again && !total.blocked);
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private inFlight(item: OutboxItem) {
    return !!item.claim && item.claim.until > this.now().getTime();
  }

  private claimedElsewhere(item: OutboxItem) {
    return !!item.claim && item.claim.by !== this.owner && item.claim.until > this.now().getTime();
  }

  private async drain(api: SidebarApi, handlers: FlushHandlers): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, refused: 0, blocked: null };
    for (;;) {
      const head = await this.update<OutboxItem | 'busy' | null>((items) => {
        const first = items[0];
        if (!first) return { items, result: null };
        if (this.claimedElsewhere(first)) return { items, result: 'busy' as const };
        const claimed: OutboxItem = { ...first, attempts: first.attempts + 1, claim: { by: this.owner, until: this.now().getTime() + this.leaseMs } };
        return { items: [claimed, ...items.slice(1)], result: claimed };
      });
      if (head === null) return result;
      if (head === 'busy') return { ...result, blocked: new ApiError('CONFLICT', 'Another window is sending these changes', 0) };

      let confirmation: Confirmation;
      try {
        confirmation = await this.send(api, head);
      } catch (err) {
        const error = asApiError(err);
        const givenUp = error.code !== 'OFFLINE' && head.attempts >= this.maxAttempts;
        if ((isTransient(error) && !givenUp) || error.code === 'UNAUTHENTICATED') {
          await this.update((items) => ({ items: items.map((i) => (i.key === head.key ? { ...i, claim: undefined, lastError: error.message } : i)), result: null }));
          return { ...result, blocked: error };
        }
        const dropped = await this.update((items) => {
          // Everything that points at what this change would have created goes too.
          const gone = new Set(ownTempIds(head.change));
          const out: OutboxItem[] = [];
          const kept = items.filter((i) => {
            if (i.key === head.key) return false;
            if (referencedIds(i.change).some((id) => gone.has(id))) {
              ownTempIds(i.change).forEach((id) => gone.add(id));
              out.push(i);
              return false;
            }
            return true;
          });
          return { items: kept, result: out };
        });
        result.refused += 1 + dropped.length;
        handlers.onRefused?.(head, error, dropped);
        continue;
      }
      await handlers.onConfirmed?.(head, confirmation);
      const ids = createdIds(head.change, confirmation);
      await this.update((items) => ({
        items: items.filter((i) => i.key !== head.key).map((i) => ({ ...i, change: rewriteIds(i.change, ids) })),
        result: null,
      }));
      result.sent += 1;
    }
  }

  private async send(api: SidebarApi, item: OutboxItem): Promise<Confirmation> {
    const mayExist = item.attempts > 1 && item.emails.length > 0 && ['createDeal', 'addNote', 'addTask'].includes(item.change.kind);
    if (mayExist) {
      const applied = findApplied(item.change, await api.getContext(item.emails));
      if (applied) return applied;
    }
    return sendChange(api, item.change, item.key);
  }

  /** One read-modify-write of the persisted queue, serialized in this tab and across tabs. */
  private update<R>(modify: (items: OutboxItem[]) => { items: OutboxItem[]; result: R }, write = true): Promise<R> {
    const step = this.localQueue.then(() =>
      this.lock(async () => {
        const stored = (await this.store.get<OutboxItem[]>(this.storageKey)) ?? [];
        const { items, result } = modify(stored);
        if (write && items !== stored) await this.store.set(this.storageKey, items);
        return { items, result };
      }),
    );
    this.localQueue = step.catch(() => undefined);
    return step.then(({ items, result }) => {
      this.snapshot = items;
      this.listeners.forEach((l) => l(items));
      return result;
    });
  }
}
