// The background worker's side of the protocol in ../messages.ts: it alone holds the session token
// and calls the API (api-access.ts). This file wires the parts and decides who may ask what: the
// sidebar page gets the relay of the sidebar's routes and its store (sidebar-relay.ts); the Gmail
// content script gets health reports and the tracking messages (tracking-handlers.ts), each bound to
// one route; the popup and options pages get the session and the self-test (session-handlers.ts,
// health.ts). While signed in, a minute alarm polls for first opens (open-notifications.ts).
// Browser APIs and fetch come in as dependencies so the handlers run under vitest as they are.
import { contentScriptMayAsk, isCrmMessage, type CrmMessage, type TabMessage } from '../messages.ts';
import { createApiAccess } from './api-access.ts';
import { createHealthRecord } from './health.ts';
import { createOpenNotifier, type AlarmsLike, type NotificationsLike } from './open-notifications.ts';
import { createSessionHandlers } from './session-handlers.ts';
import { createSidebarRelay } from './sidebar-relay.ts';
import { sessionItem, type StorageAreaLike } from './stored.ts';
import { createTrackingHandlers } from './tracking-handlers.ts';

export interface BackgroundDeps {
  storage: StorageAreaLike;
  fetch: typeof fetch;
  /** chrome-extension://<id>/ — messages from pages under it are the extension's own. */
  extensionOrigin: string;
  /** WXT_API_URL at build time, else http://localhost:8787. */
  defaultApiUrl?: string;
  /** permissions.contains for one origin pattern. */
  hasPermission(pattern: string): Promise<boolean>;
  /** Opens the popup (or, where that is not allowed, the popup page in a tab). */
  openSignIn(): Promise<'popup' | 'tab'>;
  /** Tells the Gmail tabs, e.g. that the session changed. */
  notifyTabs(message: TabMessage): Promise<void>;
  /** Whether storage.local.setAccessLevel('TRUSTED_CONTEXTS') succeeded. */
  storageTrustedOnly(): boolean;
  /** chrome.alarms: the minute alarm that polls for opens while signed in. */
  alarms: AlarmsLike;
  /** chrome.notifications, for first opens. */
  notifications: NotificationsLike;
  /** Opens a tab (a notification's Gmail thread). */
  openTab(url: string): Promise<unknown>;
  /** The icon notifications show (runtime.getURL). */
  iconUrl: string;
  now?: () => Date;
  timeoutMs?: number;
  /** Registering a message for tracking while the rep waits on Send; 900 ms by default. */
  registerTimeoutMs?: number;
}

export interface SenderLike {
  url?: string;
  tab?: unknown;
}

const gmailOrigin = 'https://mail.google.com/';

export function createCrmBackground(deps: BackgroundDeps) {
  const { storage } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const health = createHealthRecord(storage, now);
  const access = createApiAccess({
    storage,
    fetch: deps.fetch,
    hasPermission: deps.hasPermission,
    defaultApiUrl: deps.defaultApiUrl,
    timeoutMs: deps.timeoutMs,
    recordError: (source, message) => health.recordError(source, message),
    now,
  });
  const tracking = createTrackingHandlers({ client: (options) => access.client(options), storage, registerTimeoutMs: deps.registerTimeoutMs, now: deps.now });
  const openNotifier = createOpenNotifier({
    client: () => access.client(),
    storage,
    notifications: deps.notifications,
    alarms: deps.alarms,
    openTab: deps.openTab,
    iconUrl: deps.iconUrl,
    signedInUser: async () => {
      const session = await sessionItem.get(storage);
      return session?.token ? session.account.user.id : null;
    },
    onTick: () => tracking.flushPendingSent(),
    now: deps.now,
  });
  const session = createSessionHandlers({
    storage,
    access,
    health,
    openNotifier,
    hasPermission: deps.hasPermission,
    notifyTabs: deps.notifyTabs,
    storageTrustedOnly: deps.storageTrustedOnly,
    now,
  });
  const sidebar = createSidebarRelay({ storage, access });

  async function handle(message: CrmMessage): Promise<unknown> {
    switch (message.type) {
      case 'crm:relay':
        return sidebar.relay(message.request);
      case 'crm:sign-in':
        return session.signIn(String(message.email), String(message.password));
      case 'crm:sign-out':
        return session.signOut();
      case 'crm:status':
        return session.status(Boolean(message.checkApi));
      case 'crm:report':
        return health.report(message.report ?? {});
      case 'crm:set-api-url':
        return session.setApiUrl(String(message.apiUrl));
      case 'crm:open-sign-in':
        return { opened: await deps.openSignIn() };
      case 'crm:store-get':
        return sidebar.storeGet(message.key);
      case 'crm:store-set':
        return sidebar.storeSet(message.key, message.value);
      case 'crm:store-delete':
        return sidebar.storeDelete(message.key);
      // The tracking messages: every field is checked in tracking-handlers.ts (a content script sent it).
      case 'crm:tracking-settings':
        return tracking.settings();
      case 'crm:tracking-set-default':
        return tracking.setDefault(message.trackByDefault);
      case 'crm:tracking-decision':
        return tracking.decision(message.recipients);
      case 'crm:tracking-register':
        return tracking.register(message.message);
      case 'crm:tracking-sent':
        return tracking.sent(message.sent);
      case 'crm:sender-view':
        return tracking.senderView(message.messageIds);
      case 'crm:thread-states':
        return tracking.threadStates(message.threadIds);
    }
  }

  function senderKind(sender: SenderLike): 'extension-page' | 'content-script' | null {
    if (sender.url?.startsWith(deps.extensionOrigin)) return 'extension-page';
    if (sender.tab && sender.url?.startsWith(gmailOrigin)) return 'content-script';
    return null;
  }

  /**
   * runtime.onMessage listener. Answers (and returns true) only for this protocol's messages from
   * a sender allowed to ask; anything else — InboxSDK's 'inboxsdk__injectPageWorld' above all —
   * is left to the other listeners, since the first answer wins.
   */
  function onMessage(message: unknown, sender: SenderLike, sendResponse: (answer?: unknown) => void): boolean {
    if (!isCrmMessage(message)) return false;
    const kind = senderKind(sender);
    if (!kind || (kind === 'content-script' && !contentScriptMayAsk.has(message.type))) return false;
    handle(message).then(
      (answer) => sendResponse(answer),
      (err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        void health.recordError('extension', `${message.type}: ${text}`).catch(() => undefined);
        sendResponse(undefined); // the sender reads "no answer" as a failure
      },
    );
    return true;
  }

  return {
    onMessage,
    /** chrome.alarms.onAlarm: the minute tick (opens, queued "sent" reports). */
    onAlarm: (alarm: { name: string }) => openNotifier.onAlarm(alarm),
    /** chrome.notifications.onClicked. */
    onNotificationClicked: (id: string) => openNotifier.onClicked(id),
    /** At worker start: the minute alarm runs exactly while someone is signed in. */
    resume: () => openNotifier.resume(),
    tracking,
  };
}
