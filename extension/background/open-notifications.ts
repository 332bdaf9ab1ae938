// Browser notifications for first human opens. While someone is signed in, a one-minute alarm
// polls GET /notifications?unread=true; each `email_opened` notification not shown before becomes a
// chrome notification, once (the ids shown are kept in storage.local, per CRM user, because the
// worker is stopped between alarms). Clicking one opens the Gmail thread and marks it read.
//
// Polling, not push: an MV3 worker cannot hold a connection open, and a minute is soon enough for
// "they opened it". Notifications older than a day, or more than three at a time (the first poll
// after a night signed out), are folded into one summary instead of a burst.
import { call, type ApiClient } from '../../ui/api-client/api-client.ts';
import { storedItem, type StorageAreaLike } from './stored.ts';

export const minuteAlarm = 'crm:minute';

export interface NotificationsLike {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; contextMessage?: string; priority?: number }): Promise<string>;
  clear(id: string): Promise<boolean>;
}

export interface AlarmsLike {
  create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): Promise<void>;
  clear(name: string): Promise<boolean>;
  get(name: string): Promise<unknown>;
}

export interface OpenNotifierDeps {
  /** The typed client with the session token (api-access.ts). */
  client(): Promise<ApiClient>;
  storage: StorageAreaLike;
  notifications: NotificationsLike;
  alarms: AlarmsLike;
  openTab(url: string): Promise<unknown>;
  /** runtime.getURL of the extension's icon (chrome requires one for basic notifications). */
  iconUrl: string;
  /** The signed-in CRM user, or null. */
  signedInUser(): Promise<string | null>;
  /** Also run on every tick while signed in (the tracking "sent" outbox). */
  onTick?(): Promise<unknown>;
  now?: () => Date;
}

export interface OpenNotification {
  id: string;
  title: string;
  body: string | null;
  threadId: string | null;
  createdAt: string;
}

interface Shown {
  /** The CRM user the ids below belong to. */
  userId: string;
  /** Notification ids already shown (or skipped as too old): never shown again. */
  seen: string[];
  /** chrome notification id → where a click goes and which CRM notification it marks read. */
  targets: Record<string, { url: string | null; notificationId: string | null }>;
}
const shownItem = storedItem<Shown>('open-notifications', 1);

const maxAgeMs = 86_400_000;
const maxAtOnce = 3;
const seenLimit = 500;
const targetLimit = 50;
export const summaryNotificationId = 'crm-open:summary';
const sentListUrl = 'https://mail.google.com/mail/u/0/#sent';

/** The Gmail address of a thread, when the id is one InboxSDK gives (legacy hex, with or without gmail:). */
export function gmailThreadUrl(threadId: unknown): string | null {
  const hex = typeof threadId === 'string' ? /^(?:gmail:)?([0-9a-f]{12,20})$/i.exec(threadId)?.[1] : undefined;
  return hex ? `https://mail.google.com/mail/u/0/#inbox/${hex.toLowerCase()}` : null;
}

/** The `email_opened` items of GET /notifications, read defensively (other kinds are the in-app list's). */
export function openNotificationsIn(body: unknown): OpenNotification[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return [];
  return data.flatMap((n: unknown) => {
    const item = n as { id?: unknown; kind?: unknown; title?: unknown; body?: unknown; data?: unknown; createdAt?: unknown } | null;
    if (item?.kind !== 'email_opened' || typeof item.id !== 'string' || typeof item.title !== 'string' || typeof item.createdAt !== 'string') return [];
    // The member turned browser notifications off for this kind (notification preferences): the bell only.
    if ((item.data as { browser?: unknown } | null)?.browser === false) return [];
    const threadId = (item.data as { threadId?: unknown } | null)?.threadId;
    return [{ id: item.id, title: item.title, body: typeof item.body === 'string' ? item.body : null, threadId: typeof threadId === 'string' ? threadId : null, createdAt: item.createdAt }];
  });
}

export function createOpenNotifier(deps: OpenNotifierDeps) {
  const { storage, notifications, alarms } = deps;
  const now = () => (deps.now ? deps.now() : new Date());

  // A poll and a click both rewrite the stored state: one at a time, or one loses the other's change.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(run: () => Promise<T>): Promise<T> {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  }

  /** Starts (signed in) or stops (signed out) the minute alarm. */
  async function sessionChanged(signedIn: boolean) {
    if (signedIn) await alarms.create(minuteAlarm, { periodInMinutes: 1 });
    else await alarms.clear(minuteAlarm);
  }

  /** At worker start: alarms usually survive, but not every browser restart; make them match the session. */
  async function resume() {
    const signedIn = Boolean(await deps.signedInUser());
    if (signedIn && (await alarms.get(minuteAlarm))) return;
    await sessionChanged(signedIn);
  }

  const poll = () => serial(pollNow);
  async function pollNow(): Promise<{ shown: number }> {
    const userId = await deps.signedInUser();
    if (!userId) {
      await alarms.clear(minuteAlarm);
      return { shown: 0 };
    }
    let list: unknown;
    try {
      list = await call((await deps.client()).GET('/notifications', { params: { query: { unread: 'true', limit: 50 } } }));
    } catch {
      // Down, or the session just ended (the call ended it; the next tick stops the alarm): try later.
      return { shown: 0 };
    }
    const items = openNotificationsIn(list);
    const saved = await shownItem.get(storage);
    const state: Shown = saved && saved.userId === userId ? saved : { userId, seen: [], targets: {} };
    const seen = new Set(state.seen);
    const unseen = items.filter((n) => !seen.has(n.id));
    const recent = unseen
      .filter((n) => now().getTime() - Date.parse(n.createdAt) <= maxAgeMs)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const individual = recent.slice(-maxAtOnce);
    const folded = recent.length - individual.length;

    for (const n of individual) {
      const id = `crm-open:${n.id}`;
      await notifications.create(id, { type: 'basic', iconUrl: deps.iconUrl, title: n.title, message: n.body ?? 'Opened for the first time', contextMessage: 'Inbox CRM', priority: 1 });
      state.targets[id] = { url: gmailThreadUrl(n.threadId), notificationId: n.id };
    }
    if (folded > 0) {
      await notifications.create(summaryNotificationId, {
        type: 'basic',
        iconUrl: deps.iconUrl,
        title: `${folded} more ${folded === 1 ? 'email was' : 'emails were'} opened`,
        message: 'The Inbox CRM sidebar shows which, beside each thread.',
        contextMessage: 'Inbox CRM',
      });
      state.targets[summaryNotificationId] = { url: sentListUrl, notificationId: null };
    }
    // Everything unseen is now seen, including what was too old to show: it never pops up later.
    state.seen = [...state.seen, ...unseen.map((n) => n.id)].slice(-seenLimit);
    state.targets = Object.fromEntries(Object.entries(state.targets).slice(-targetLimit));
    await shownItem.set(storage, state);
    return { shown: individual.length + (folded > 0 ? 1 : 0) };
  }

  async function onAlarm(alarm: { name: string }) {
    if (alarm.name !== minuteAlarm) return;
    if (!(await deps.signedInUser())) {
      await alarms.clear(minuteAlarm);
      return;
    }
    await deps.onTick?.().catch(() => undefined);
    await poll();
  }

  /** A click on one of ours: open the thread, mark the CRM notification read, close it. */
  const onClicked = (notificationId: string) => serial(() => clicked(notificationId));
  async function clicked(notificationId: string): Promise<boolean> {
    if (!notificationId.startsWith('crm-open:')) return false;
    const state = await shownItem.get(storage);
    const target = state?.targets[notificationId];
    await notifications.clear(notificationId);
    if (!state || !target) return false;
    if (target.url) await deps.openTab(target.url);
    const id = target.notificationId;
    if (id) await call((await deps.client()).POST('/notifications/{id}/read', { params: { path: { id } } })).catch(() => undefined);
    delete state.targets[notificationId];
    await shownItem.set(storage, state);
    return true;
  }

  return { sessionChanged, resume, poll, onAlarm, onClicked };
}

export type OpenNotifier = ReturnType<typeof createOpenNotifier>;
