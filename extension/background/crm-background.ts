// The background worker's side of the protocol in ../messages.ts: it alone holds the session
// token and calls the API. The sidebar page gets a relay limited to the sidebar's routes and a
// key-value store under its account's prefix; the Gmail content script gets health reports and the
// tracking messages (tracking-handlers.ts), each bound to one route; the popup and options pages
// get the rest. While signed in, a minute alarm polls for first opens (open-notifications.ts).
// Browser APIs and fetch come in as dependencies so the handlers run under vitest as they are.
import { apiErrorFrom } from '../../ui/sidebar/api.ts';
import { checkApiUrl, fallbackApiUrl, permissionPatternFor } from '../api-url.ts';
import {
  contentScriptMayAsk,
  isCrmMessage,
  type Account,
  type CrmAnswers,
  type CrmMessage,
  type GmailReport,
  type HealthStatus,
  type HttpMethod,
  type RelayAnswer,
  type RelayRequest,
  type SignInAnswer,
  type TabMessage,
} from '../messages.ts';
import {
  emptyHealth,
  healthItem,
  sessionItem,
  settingsItem,
  sidebarPrefix,
  type Health,
  type Session,
  type StorageAreaLike,
} from './stored.ts';
import { createOpenNotifier, type AlarmsLike, type NotificationsLike } from './open-notifications.ts';
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

const methods = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
/**
 * The routes ui/sidebar's SidebarApi calls. Anything else (sessions, API keys, members, tracking
 * settings changes, sender views) is not relayed. Tracking is read-only from the sidebar: it shows
 * the thread's tracked messages.
 */
const sidebarRoutes: { methods: ReadonlySet<string>; path: RegExp }[] = [
  { methods, path: /^\/api\/v1\/(?:context|contacts|companies|deals|activities|tasks|emails|pipelines|me)(?:\/[^/]+)?$/ },
  { methods: new Set(['GET']), path: /^\/api\/v1\/tracking\/(?:messages(?:\/[^/]+)?|settings)$/ },
];
export const isSidebarRoute = (method: string, route: string) => sidebarRoutes.some((r) => r.methods.has(method) && r.path.test(route));
const gmailOrigin = 'https://mail.google.com/';

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message } });

function asAccount(body: unknown): Account | null {
  const b = body as { user?: Account['user']; organization?: Account['organization']; role?: unknown } | null;
  if (!b || typeof b.user?.id !== 'string' || typeof b.user.email !== 'string' || typeof b.organization?.id !== 'string' || typeof b.role !== 'string') return null;
  return {
    user: { id: b.user.id, name: String(b.user.name ?? ''), email: b.user.email },
    organization: { id: b.organization.id, name: String(b.organization.name ?? '') },
    role: b.role,
  };
}

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

const isQuotaError = (err: unknown) => /quota/i.test(err instanceof Error ? err.message : String(err));

export function createCrmBackground(deps: BackgroundDeps) {
  const { storage } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const defaultApiUrl = (deps.defaultApiUrl && checkApiUrl(deps.defaultApiUrl).ok && deps.defaultApiUrl.replace(/\/+$/, '')) || fallbackApiUrl;

  const apiUrl = async () => (await settingsItem.get(storage))?.apiUrl ?? defaultApiUrl;

  // Read-modify-write, one at a time: the Gmail content script and the sidebar page framed in it
  // report at about the same moment, and two interleaved updates would lose one of them.
  let healthWrites: Promise<unknown> = Promise.resolve();
  function updateHealth(change: (health: Health) => Health): Promise<void> {
    const write = healthWrites.then(async () => {
      const health = (await healthItem.get(storage)) ?? emptyHealth();
      await healthItem.set(storage, change(health));
    });
    healthWrites = write.catch(() => undefined);
    return write;
  }
  const recordError = (source: 'api' | 'gmail' | 'extension', message: string) =>
    updateHealth((h) => ({ ...h, lastError: { message, source, at: now() } }));

  async function endSession(session: Session, endedBy: 'sign-out' | 'expired') {
    await sessionItem.set(storage, { ...session, token: null, endedAt: now(), endedBy });
  }

  /** One request to the API, or why no HTTP answer came back (network, timeout, no permission). */
  async function callApi(
    method: string,
    path: string,
    init: { token?: string | null; body?: string; idempotencyKey?: string; timeoutMs?: number } = {},
  ): Promise<{ response: Response; text: string } | { error: string }> {
    const limitMs = init.timeoutMs ?? timeoutMs;
    const base = await apiUrl();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
    try {
      const response = await deps.fetch(base + path, {
        method,
        headers,
        body: init.body,
        // The bearer token is the only credential: never the API's cookies.
        credentials: 'omit',
        signal: AbortSignal.timeout(limitMs),
      });
      return { response, text: await response.text() };
    } catch (err) {
      const origin = new URL(base).origin;
      const permitted = await deps.hasPermission(permissionPatternFor(origin)).catch(() => false);
      const message = !permitted
        ? `The extension is not allowed to reach ${origin} yet: open Inbox CRM's options and press Save`
        : err instanceof Error && err.name === 'TimeoutError'
          ? `${base} did not answer within ${limitMs < 1000 ? `${limitMs} ms` : `${Math.round(limitMs / 1000)} s`}`
          : `${base} cannot be reached (${err instanceof Error ? err.message : String(err)})`;
      return { error: message };
    }
  }

  async function relay(request: RelayRequest): Promise<RelayAnswer> {
    const base = await apiUrl();
    let target: URL;
    try {
      target = new URL(base + request.path);
    } catch {
      return { kind: 'response', ok: false, status: 400, body: errorJson('VALIDATION_FAILED', 'Not an API path') };
    }
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    // Checked after URL normalization, so /api/v1/contacts/../session is refused too.
    const route = target.pathname.startsWith(basePath) ? target.pathname.slice(basePath.length) : '';
    if (!request.path.startsWith('/') || target.origin !== new URL(base).origin || !isSidebarRoute(request.method, route)) {
      return { kind: 'response', ok: false, status: 403, body: errorJson('FORBIDDEN', `The extension does not relay ${request.method} ${route || request.path}`) };
    }
    return authorizedCall(request.method, request.path, { body: request.body, idempotencyKey: request.idempotencyKey });
  }

  /** A call with the session token: signed out answers 401 unsent; a 401 ends the session. `path` is ours, never a content script's. */
  async function authorizedCall(method: HttpMethod, path: string, init: { body?: string; idempotencyKey?: string; timeoutMs?: number } = {}): Promise<RelayAnswer> {
    const session = await sessionItem.get(storage);
    if (!session?.token) {
      return { kind: 'response', ok: false, status: 401, body: errorJson('UNAUTHENTICATED', 'Sign in from the Inbox CRM button in the browser toolbar') };
    }
    const answer = await callApi(method, path, { ...init, token: session.token });
    if ('error' in answer) {
      await recordError('api', answer.error);
      return { kind: 'network-error', message: answer.error };
    }
    const { response, text } = answer;
    if (response.status === 401) {
      await endSession(session, 'expired');
      await recordError('api', 'The CRM ended the session; sign in again');
    } else if (response.status >= 500) {
      await recordError('api', `${method} ${path.split('?')[0]} answered ${response.status}`);
    }
    return { kind: 'response', ok: response.ok, status: response.status, body: text };
  }

  const tracking = createTrackingHandlers({
    call: (method, path, options = {}) =>
      authorizedCall(method, path, { timeoutMs: options.timeoutMs, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) }),
    storage,
    registerTimeoutMs: deps.registerTimeoutMs,
    now: deps.now,
  });

  const openNotifier = createOpenNotifier({
    call: (method, path) => authorizedCall(method, path),
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

  async function signIn(email: string, password: string): Promise<SignInAnswer> {
    const answer = await callApi('POST', '/api/v1/session', { body: JSON.stringify({ email, password }) });
    if ('error' in answer) return { ok: false, code: 'OFFLINE', message: answer.error };
    const body = parseJson(answer.text);
    if (!answer.response.ok) {
      const error = apiErrorFrom(answer.response.status, body);
      return { ok: false, code: error.code, message: error.message };
    }
    const account = asAccount(body);
    const token = (body as { token?: unknown } | null)?.token;
    if (!account || typeof token !== 'string' || !token) return { ok: false, code: 'BAD_RESPONSE', message: 'The CRM answered the sign-in in a way the extension cannot read' };
    await sessionItem.set(storage, { token, account, signedInAt: now() });
    await updateHealth((h) => ({ ...h, lastError: null }));
    await openNotifier.sessionChanged(true).catch((err: unknown) => recordError('extension', `Polling for opens did not start: ${String(err)}`));
    await deps.notifyTabs({ type: 'crm:session-changed', signedIn: true }).catch(() => undefined);
    return { ok: true, account };
  }

  async function signOut(): Promise<{ ok: true }> {
    const session = await sessionItem.get(storage);
    if (session?.token) {
      // Best effort: the token is forgotten here whether or not the API hears about it.
      await callApi('DELETE', '/api/v1/session', { token: session.token });
      await endSession(session, 'sign-out');
    }
    await openNotifier.sessionChanged(false).catch(() => undefined);
    await deps.notifyTabs({ type: 'crm:session-changed', signedIn: false }).catch(() => undefined);
    return { ok: true };
  }

  async function status(checkApi: boolean): Promise<HealthStatus> {
    const base = await apiUrl();
    const apiPermission = await deps.hasPermission(permissionPatternFor(new URL(base).origin)).catch(() => false);
    if (checkApi) {
      const session = await sessionItem.get(storage);
      const answer = await callApi('GET', '/api/v1/me', { token: session?.token });
      let api: Health['api'];
      if ('error' in answer) {
        api = { reachable: false, message: answer.error, checkedAt: now() };
      } else {
        const { status: code } = answer.response;
        // A gateway that cannot reach the API answers 502–504: for the rep that is "down".
        const reachable = code < 502 || code > 504;
        api = { reachable, status: code, checkedAt: now(), ...(reachable ? {} : { message: `${base} answered ${code}` }) };
        const account = code === 200 ? asAccount(parseJson(answer.text)) : null;
        if (session?.token && account) await sessionItem.set(storage, { ...session, account });
        if (session?.token && code === 401) await endSession(session, 'expired');
      }
      await updateHealth((h) => ({ ...h, api }));
    }
    const [session, health] = await Promise.all([sessionItem.get(storage), healthItem.get(storage)]);
    const h = health ?? emptyHealth();
    return {
      apiUrl: base,
      apiPermission,
      signedIn: Boolean(session?.token),
      account: session?.account ?? null,
      sessionExpired: session?.endedBy === 'expired',
      api: h.api,
      gmail: h.gmail,
      lastError: h.lastError,
      storageTrustedOnly: deps.storageTrustedOnly(),
    };
  }

  async function report(r: GmailReport): Promise<{ ok: true }> {
    const at = now();
    await updateHealth((h) => {
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

  async function setApiUrl(input: string): Promise<CrmAnswers['crm:set-api-url']> {
    const checked = checkApiUrl(input);
    if (!checked.ok) return checked;
    const previous = await apiUrl();
    await settingsItem.set(storage, { apiUrl: checked.apiUrl });
    if (previous !== checked.apiUrl) {
      // A token is only good for the API that issued it.
      const session = await sessionItem.get(storage);
      if (session?.token) {
        await endSession(session, 'sign-out');
        await openNotifier.sessionChanged(false).catch(() => undefined);
      }
      await updateHealth((h) => ({ ...h, api: null }));
    }
    return { ok: true, apiUrl: checked.apiUrl };
  }

  const validKey = (key: unknown): key is string => typeof key === 'string' && key.length > 0 && key.length <= 512;
  const storeKey = async (key: string) => sidebarPrefix((await sessionItem.get(storage))?.account) + key;

  /** Frees room by forgetting the oldest half of the cached thread contexts (they are only a cache). */
  async function pruneContexts(prefix: string) {
    const all = await storage.get(null);
    const cached = Object.entries(all)
      .filter(([k]) => k.startsWith(`${prefix}context:`))
      .map(([k, v]) => ({ k, savedAt: String((v as { savedAt?: unknown } | null)?.savedAt ?? '') }))
      .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    if (cached.length) await storage.remove(cached.slice(0, Math.ceil(cached.length / 2)).map((c) => c.k));
  }

  async function storeSet(key: string, value: unknown): Promise<CrmAnswers['crm:store-set']> {
    const full = await storeKey(key);
    try {
      await storage.set({ [full]: value });
    } catch (err) {
      if (!isQuotaError(err)) return { ok: false, message: err instanceof Error ? err.message : String(err) };
      await pruneContexts(full.slice(0, full.length - key.length));
      try {
        await storage.set({ [full]: value });
      } catch (again) {
        return { ok: false, message: again instanceof Error ? again.message : String(again) };
      }
    }
    return { ok: true };
  }

  async function handle(message: CrmMessage): Promise<unknown> {
    switch (message.type) {
      case 'crm:relay':
        return relay(message.request);
      case 'crm:sign-in':
        return signIn(String(message.email), String(message.password));
      case 'crm:sign-out':
        return signOut();
      case 'crm:status':
        return status(Boolean(message.checkApi));
      case 'crm:report':
        return report(message.report ?? {});
      case 'crm:set-api-url':
        return setApiUrl(String(message.apiUrl));
      case 'crm:open-sign-in':
        return { opened: await deps.openSignIn() };
      case 'crm:store-get': {
        if (!validKey(message.key)) return { value: undefined };
        const full = await storeKey(message.key);
        return { value: (await storage.get(full))[full] };
      }
      case 'crm:store-set':
        if (!validKey(message.key)) return { ok: false, message: 'Invalid key' };
        return storeSet(message.key, message.value);
      case 'crm:store-delete':
        if (validKey(message.key)) await storage.remove(await storeKey(message.key));
        return { ok: true };
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
        void recordError('extension', `${message.type}: ${text}`).catch(() => undefined);
        sendResponse(undefined); // the sender reads "no answer" as a failure
      },
    );
    return true;
  }

  return {
    onMessage,
    handle,
    relay,
    signIn,
    signOut,
    status,
    report,
    setApiUrl,
    /** chrome.alarms.onAlarm: the minute tick (opens, queued "sent" reports). */
    onAlarm: (alarm: { name: string }) => openNotifier.onAlarm(alarm),
    /** chrome.notifications.onClicked. */
    onNotificationClicked: (id: string) => openNotifier.onClicked(id),
    /** At worker start: the minute alarm runs exactly while someone is signed in. */
    resume: () => openNotifier.resume(),
    tracking,
  };
}

export type CrmBackground = ReturnType<typeof createCrmBackground>;
