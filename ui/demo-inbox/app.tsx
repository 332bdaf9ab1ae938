// The demo inbox page: sign in against the API, then a small mail client (threads on the left, the
// open thread in the middle) with the real sidebar on the right, fed through a demo InboxHost.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { createFetchApi, isApiError, type AppNotification, type TrackingSettings } from '../sidebar/api.ts';
import type { KeyValueStore } from '../sidebar/cache.ts';
import { mountSidebar } from '../sidebar/mount.tsx';
import { ComposeBox, type ComposeResult } from './compose-box.tsx';
import { replyRecipients, replySubject } from './compose.ts';
import { createDemoHost, type DemoHost } from './demo-host.ts';
import { loadDirectory } from './directory.ts';
import { buildMailbox, lastDate, toInboxThread, type DemoMessage, type DemoThread, type MailboxDirectory, type Person } from './mailbox.ts';
import { NotificationsBell } from './notifications-bell.tsx';
import { openRecipientCopy, recipientPage, renderSenderCopy } from './sender-copy.tsx';
import { newThreadId, readSent, saveSent, sentMessage, threadKindFor, withSentMail, type SentRecord } from './sent-mail.ts';
import {
  clearSession,
  createPageApi,
  readCachedDirectory,
  readSession,
  saveCachedDirectory,
  saveSession,
  signIn,
  signOut,
  type DemoSession,
} from './session.ts';

/** The seeded demo user (db/demo-data.ts demoCredentials), prefilled so a newcomer just presses Sign in. */
export const demoSignIn = { email: 'rep1@demo.test', password: 'demo-password' };

export interface DemoInboxDeps {
  /** The API origin; the page is served by the API, so location.origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Where the session token lives (sessionStorage in the page). */
  storage: Storage;
  /** The sidebar's local store for this user (IndexedDB in the page). */
  createStore: (userEmail: string) => KeyValueStore;
  now?: () => Date;
  /** Prefilled in the sign-in form; demoSignIn by default. */
  signInAs?: { email: string; password: string };
  /** Opens the recipient's copy of a tracked message (a new tab in the page). */
  openWindow?: (url: string) => void;
  notificationPollMs?: number;
  trackingRefreshMs?: number;
}

type Phase =
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'loading'; session: DemoSession }
  | { kind: 'ready'; session: DemoSession; directory: MailboxDirectory; stale: boolean }
  | { kind: 'failed'; session: DemoSession; message: string };

async function loadMailbox(deps: DemoInboxDeps, session: DemoSession): Promise<Phase> {
  try {
    const directory = await loadDirectory(createPageApi({ baseUrl: deps.baseUrl, fetch: deps.fetch, token: session.token }));
    saveCachedDirectory(deps.storage, directory);
    return { kind: 'ready', session, directory, stale: false };
  } catch (err) {
    if (isApiError(err) && err.code === 'UNAUTHENTICATED') {
      clearSession(deps.storage);
      return { kind: 'signed-out', notice: 'Your session has ended. Sign in again.' };
    }
    const cached = readCachedDirectory(deps.storage, session.user.email);
    if (cached && isApiError(err) && err.code === 'OFFLINE') return { kind: 'ready', session, directory: cached, stale: true };
    return { kind: 'failed', session, message: err instanceof Error ? err.message : String(err) };
  }
}

export function DemoInbox({ deps }: { deps: DemoInboxDeps }) {
  const [phase, setPhase] = useState<Phase>(() => {
    const session = readSession(deps.storage);
    return session ? { kind: 'loading', session } : { kind: 'signed-out' };
  });

  useEffect(() => {
    if (phase.kind !== 'loading') return;
    let cancelled = false;
    void loadMailbox(deps, phase.session).then((next) => {
      if (!cancelled) setPhase(next);
    });
    return () => {
      cancelled = true;
    };
  }, [deps, phase]);

  const signedIn = useCallback(
    (session: DemoSession) => {
      saveSession(deps.storage, session);
      setPhase({ kind: 'loading', session });
    },
    [deps],
  );

  const signedOut = useCallback(async () => {
    const session = readSession(deps.storage);
    clearSession(deps.storage);
    setPhase({ kind: 'signed-out' });
    if (session) await signOut(deps, session.token);
  }, [deps]);

  return (
    <div className="demo-app" data-testid="demo-inbox" data-state={phase.kind}>
      {phase.kind === 'signed-out' && (
        <main className="demo-welcome">
          <SignInCard deps={deps} notice={phase.notice} onSignedIn={signedIn} />
        </main>
      )}
      {phase.kind === 'loading' && (
        <main className="demo-welcome">
          <p className="demo-muted" role="status">Loading your mailbox…</p>
        </main>
      )}
      {phase.kind === 'failed' && (
        <main className="demo-welcome">
          <section className="demo-card" role="alert">
            <h1>The mailbox could not be loaded</h1>
            <p>{phase.message}</p>
            <div className="demo-actions">
              <button type="button" className="demo-button demo-primary" onClick={() => setPhase({ kind: 'loading', session: phase.session })}>Try again</button>
              <button type="button" className="demo-button" onClick={() => void signedOut()}>Sign out</button>
            </div>
          </section>
        </main>
      )}
      {phase.kind === 'ready' && (
        <Mailbox
          key={phase.session.user.email.toLowerCase()}
          deps={deps}
          session={phase.session}
          directory={phase.directory}
          stale={phase.stale}
          onSignOut={() => void signedOut()}
          onOtherUser={signedIn}
        />
      )}
    </div>
  );
}

function SignInCard({ deps, notice, onSignedIn }: { deps: DemoInboxDeps; notice?: string; onSignedIn: (s: DemoSession) => void }) {
  const headingId = useId();
  return (
    <section className="demo-card demo-sign-in" aria-labelledby={headingId}>
      <h1 id={headingId}>Demo inbox</h1>
      <p>A sample mailbox with the CRM sidebar beside it. Sign in as a demo user; the threads are built from that user’s contacts and deals. Nothing is sent anywhere.</p>
      {notice && <p className="demo-notice" role="status">{notice}</p>}
      <SignInForm deps={deps} initialEmail={(deps.signInAs ?? demoSignIn).email} initialPassword={(deps.signInAs ?? demoSignIn).password} onSignedIn={onSignedIn} />
      <p className="demo-muted demo-small">
        Other demo users: rep2@demo.test, manager@demo.test, admin@demo.test (password demo-password). <a href="/api/v1/docs">API reference</a>
      </p>
    </section>
  );
}

function SignInForm({
  deps,
  initialEmail,
  initialPassword = '',
  onSignedIn,
  onCancel,
}: {
  deps: DemoInboxDeps;
  initialEmail: string;
  initialPassword?: string;
  onSignedIn: (s: DemoSession) => void;
  onCancel?: () => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState(initialPassword);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Signing in again: the address is known, the password is what is missing.
  const askPassword = initialEmail !== '' && initialPassword === '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(deps, email.trim(), password));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <form className="demo-form" data-testid="sign-in-form" onSubmit={(e) => void submit(e)}>
      <label>
        Email
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus={!askPassword} />
      </label>
      <label>
        Password
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} autoFocus={askPassword} />
      </label>
      {error && (
        <p className="demo-error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <div className="demo-actions">
        <button type="submit" className="demo-button demo-primary" data-testid="sign-in-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {onCancel && (
          <button type="button" className="demo-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

const threadFromHash = (threads: DemoThread[]): string | null => {
  const id = new URLSearchParams(window.location.hash.slice(1)).get('thread');
  return id && threads.some((t) => t.threadId === id) ? id : null;
};

function Mailbox({
  deps,
  session,
  directory,
  stale,
  onSignOut,
  onOtherUser,
}: {
  deps: DemoInboxDeps;
  session: DemoSession;
  directory: MailboxDirectory;
  stale: boolean;
  onSignOut: () => void;
  onOtherUser: (s: DemoSession) => void;
}) {
  const userEmail = directory.user.email;
  const clock = useMemo(() => deps.now ?? (() => new Date()), [deps]);
  const now = useMemo(() => clock(), [clock]);
  const [sent, setSent] = useState<SentRecord[]>(() => readSent(deps.storage, userEmail));
  const threads = useMemo(() => withSentMail(buildMailbox(directory, now), sent), [directory, now, sent]);
  const [composing, setComposing] = useState<null | 'new' | { threadId: string }>(null);
  const [trackingSettings, setTrackingSettings] = useState<TrackingSettings | null>(null);
  const [openId, setOpenId] = useState<string | null>(() => threadFromHash(threads));
  const [read, setRead] = useState<ReadonlySet<string>>(() => new Set(openId ? [openId] : []));
  const [toasts, setToasts] = useState<{ id: number; text: string }[]>([]);
  const [reauth, setReauth] = useState<{ resolve: () => void; reject: (reason: unknown) => void } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const token = useRef(session.token);
  const notify = useRef<(text: string) => void>(() => undefined);
  notify.current = (text) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-2), { id, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 5000);
  };
  const api = useMemo(() => createFetchApi({ baseUrl: deps.baseUrl, getToken: () => token.current, fetch: deps.fetch }), [deps]);
  const host = useMemo(
    () => createDemoHost({ notify: (text) => notify.current(text), reportSenderView: (ids) => api.reportSenderView(ids, { timeoutMs: 1000 }) }),
    [api],
  );
  const store = useMemo(() => deps.createStore(userEmail), [deps, userEmail]);
  const focusBeforeDialog = useRef<HTMLElement | null>(null);
  const onSignIn = useCallback(() => {
    focusBeforeDialog.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise<void>((resolve, reject) => setReauth({ resolve, reject }));
  }, []);
  // Back where the user was once the dialog is gone (the page behind it was inert).
  useEffect(() => {
    if (reauth) return;
    const previous = focusBeforeDialog.current;
    focusBeforeDialog.current = null;
    if (previous?.isConnected) previous.focus();
  }, [reauth]);

  const open = threads.find((t) => t.threadId === openId) ?? null;
  useEffect(() => {
    if (open) host.open(toInboxThread(open, userEmail));
    else host.close();
    const url = window.location.pathname + window.location.search + (open ? `#thread=${encodeURIComponent(open.threadId)}` : '');
    window.history.replaceState(null, '', url);
  }, [host, open, userEmail]);

  // The rep's own tracked sent messages in the open thread are shown only once the API has heard
  // that the rep is looking at them (see DemoHost.viewingOwnSent); each is reported once per opening.
  const [senderViews, setSenderViews] = useState<Record<string, number>>({});
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const reported = useRef<{ threadId: string | null; ids: Set<string> }>({ threadId: null, ids: new Set() });
  const ownTracked = (open?.messages ?? []).filter((m) => m.tracking).map((m) => m.messageId);
  const ownTrackedKey = ownTracked.join(' ');
  useEffect(() => {
    const threadId = open?.threadId ?? null;
    if (reported.current.threadId !== threadId) {
      reported.current = { threadId, ids: new Set() };
      setRevealed(new Set());
    }
    const ids = ownTracked.filter((id) => !reported.current.ids.has(id));
    if (!ids.length) return;
    ids.forEach((id) => reported.current.ids.add(id));
    const at = clock().getTime();
    void host.viewingOwnSent(ids).then(() => {
      if (reported.current.threadId !== threadId) return;
      setSenderViews((views) => ({ ...views, ...Object.fromEntries(ids.map((id) => [id, at])) }));
      setRevealed((r) => new Set([...r, ...ids]));
    });
    // ownTracked is derived from the open thread; ownTrackedKey says when it changed.
  }, [host, clock, open?.threadId, ownTrackedKey]);

  useEffect(() => {
    let cancelled = false;
    api.trackingSettings().then(
      (settings) => !cancelled && setTrackingSettings(settings),
      () => undefined, // The toggle then starts off; sending says why if the CRM is still away.
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const openThread = (id: string) => {
    setOpenId(id);
    setComposing((c) => (c && c !== 'new' && c.threadId === id ? c : null));
    setRead((r) => new Set([...r, id]));
  };
  const closeThread = () => {
    const id = openId;
    setOpenId(null);
    setComposing(null);
    if (id) listRef.current?.querySelector<HTMLButtonElement>(`button[data-thread-id="${CSS.escape(id)}"]`)?.focus();
  };

  const sendMail = (result: ComposeResult, replyTo: DemoThread | null) => {
    const date = clock();
    const { outcome } = result;
    const registration = outcome.registration;
    const subject = result.subject || (replyTo ? replySubject(replyTo.subject) : '(no subject)');
    const message = sentMessage({
      from: directory.user,
      to: result.to,
      cc: result.cc,
      subject,
      text: result.text,
      html: outcome.html,
      date,
      tracking: registration && { trackedMessageId: registration.trackedMessageId, html: registration.html, pixelUrl: registration.pixelUrl, links: registration.links },
      trackingNotice: outcome.notice,
    });
    const threadId = replyTo ? replyTo.threadId : newThreadId(userEmail, message.messageId);
    const record: SentRecord = { threadId, newThread: replyTo ? null : { subject, ...threadKindFor([...result.to, ...result.cc], directory) }, message };
    setSent((list) => {
      const next = [...list, record];
      saveSent(deps.storage, userEmail, next);
      return next;
    });
    setComposing(null);
    setOpenId(threadId);
    setRead((r) => new Set([...r, threadId]));
    notify.current(outcome.notice ?? (registration ? 'Sent, with open and click tracking.' : 'Sent.'));
    if (registration) {
      // After sending, as a host adapter does: the API learns the message's host id, so the sidebar
      // can find it in the thread; then the sidebar is told to look.
      api
        .markTrackedMessageSent(registration.trackedMessageId, { messageId: message.messageId, threadId, sentAt: date.toISOString() }, { timeoutMs: 10_000 })
        .then(
          () => host.trackedMessageSent({ threadId, messageId: message.messageId }),
          () => notify.current('The CRM could not be told this message was sent, so its opens will not show in the sidebar.'),
        );
    }
  };

  const openNotification = (n: AppNotification) => {
    const threadId = typeof n.data.threadId === 'string' ? n.data.threadId : null;
    if (threadId && threads.some((t) => t.threadId === threadId)) openThread(threadId);
  };

  const renewed = (next: DemoSession) => {
    const pending = reauth;
    setReauth(null);
    if (next.user.email.toLowerCase() === userEmail.toLowerCase()) {
      saveSession(deps.storage, next);
      token.current = next.token;
      pending?.resolve();
    } else {
      pending?.reject(new Error('Signed in as another user'));
      onOtherUser(next);
    }
  };

  return (
    <>
      <header className="demo-topbar" inert={reauth !== null}>
        <div className="demo-brand">
          <span className="demo-logo" aria-hidden="true">✉</span>
          <span>Demo inbox</span>
          <span className="demo-muted">· {directory.organizationName}</span>
        </div>
        <div className="demo-account">
          <NotificationsBell
            api={api}
            now={clock}
            pollMs={deps.notificationPollMs}
            onOpen={openNotification}
            onArrived={(list) => list.filter((n) => n.kind === 'email_opened').forEach((n) => notify.current(n.title))}
          />
          <span data-testid="signed-in-user" title={userEmail}>
            {directory.user.name} <span className="demo-muted">&lt;{userEmail}&gt;</span>
          </span>
          <a href="/api/v1/docs">API reference</a>
          <button type="button" className="demo-link" data-testid="sign-out" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {stale && (
        <p className="demo-banner" role="status">
          The API cannot be reached, so this is the mailbox from your last visit. The sidebar shows what it has cached and keeps your changes until the API is back.
        </p>
      )}
      <div className="demo-panes" inert={reauth !== null}>
        <nav className="demo-list" aria-label="Conversations">
          <div className="demo-list-head">
            <h2 className="demo-pane-title">Inbox</h2>
            <button
              type="button"
              className="demo-button demo-primary demo-compose-button"
              data-testid="compose-new"
              onClick={() => {
                setOpenId(null);
                setComposing('new');
              }}
            >
              Compose
            </button>
          </div>
          {threads.length === 0 && <p className="demo-muted">No conversations.</p>}
          <ul ref={listRef}>
            {threads.map((t) => (
              <li key={t.threadId}>
                <ThreadRow thread={t} userEmail={userEmail} now={now} isOpen={t.threadId === openId} unread={!read.has(t.threadId) && t.messages.at(-1)?.direction === 'inbound'} onOpen={openThread} />
              </li>
            ))}
          </ul>
        </nav>
        <main
          className="demo-main"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && open) {
              e.preventDefault();
              closeThread();
            }
          }}
        >
          {composing === 'new' ? (
            <ComposeBox api={api} settings={trackingSettings} onSettingsChange={setTrackingSettings} onSent={(r) => sendMail(r, null)} onDiscard={() => setComposing(null)} />
          ) : open ? (
            <ThreadView
              thread={open}
              userEmail={userEmail}
              onClose={closeThread}
              revealed={revealed}
              senderViews={senderViews}
              clock={clock}
              openWindow={deps.openWindow}
              reply={
                typeof composing === 'object' && composing?.threadId === open.threadId ? (
                  <ComposeBox
                    key={open.threadId}
                    api={api}
                    reply={{ threadId: open.threadId, subject: replySubject(open.subject), ...replyRecipients(open.messages.at(-1), userEmail) }}
                    settings={trackingSettings}
                    onSettingsChange={setTrackingSettings}
                    onSent={(r) => sendMail(r, open)}
                    onDiscard={() => setComposing(null)}
                  />
                ) : null
              }
              onReply={() => setComposing({ threadId: open.threadId })}
            />
          ) : (
            <div className="demo-empty" data-testid="no-thread">
              <p>Pick a conversation on the left.</p>
              <p className="demo-muted">The CRM sidebar on the right shows who is on it: contacts, company, open deals, tasks and what was logged.</p>
            </div>
          )}
        </main>
        <SidebarPane host={host} api={api} store={store} onSignIn={onSignIn} trackingRefreshMs={deps.trackingRefreshMs} />
      </div>
      <div className="demo-toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="demo-toast" data-testid="toast">
            {t.text}
          </div>
        ))}
      </div>
      {reauth && (
        <SignInDialog
          deps={deps}
          email={userEmail}
          onSignedIn={renewed}
          onCancel={() => {
            reauth.reject(new Error('Sign-in cancelled'));
            setReauth(null);
          }}
        />
      )}
    </>
  );
}

function SidebarPane(props: { host: DemoHost; api: ReturnType<typeof createFetchApi>; store: KeyValueStore; onSignIn: () => Promise<void>; trackingRefreshMs?: number }) {
  const { host, api, store, onSignIn, trackingRefreshMs } = props;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const unmount = mountSidebar(ref.current!, { host, api, store, onSignIn, trackingRefreshMs });
    // Unmounting another React root while this one commits is not allowed: do it just after.
    return () => void setTimeout(unmount, 0);
  }, [host, api, store, onSignIn, trackingRefreshMs]);
  return <aside ref={ref} className="demo-sidebar" data-testid="demo-sidebar" aria-label="CRM sidebar" />;
}

function SignInDialog({ deps, email, onSignedIn, onCancel }: { deps: DemoInboxDeps; email: string; onSignedIn: (s: DemoSession) => void; onCancel: () => void }) {
  const headingId = useId();
  return (
    <div className="demo-backdrop">
      <section
        className="demo-card demo-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        data-testid="sign-in-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      >
        <h2 id={headingId}>Sign in again</h2>
        <p className="demo-muted">Your session has ended. Sign in to keep using the sidebar.</p>
        <SignInForm deps={deps} initialEmail={email} onSignedIn={onSignedIn} onCancel={onCancel} />
      </section>
    </div>
  );
}

// ---- list and reading pane ----

const isMe = (p: Person, userEmail: string) => p.email.toLowerCase() === userEmail.toLowerCase();
const displayName = (p: Person, userEmail: string) => (isMe(p, userEmail) ? 'me' : p.name || p.email);

function sendersOf(thread: DemoThread, userEmail: string): string {
  const names: string[] = [];
  for (const m of thread.messages) {
    const name = displayName(m.from, userEmail);
    if (!names.includes(name)) names.push(name);
  }
  if (names.length === 1) return names[0]!;
  return names.map((n) => (n === 'me' ? n : (n.split(' ')[0] ?? n))).join(', ');
}

function shortDate(iso: string, now: Date): string {
  const date = new Date(iso);
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  if (now.getTime() - date.getTime() < 6 * 86_400_000) return date.toLocaleDateString('en-US', { weekday: 'short' });
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

function ThreadRow({ thread, userEmail, now, isOpen, unread, onOpen }: { thread: DemoThread; userEmail: string; now: Date; isOpen: boolean; unread: boolean; onOpen: (id: string) => void }) {
  const last = thread.messages.at(-1);
  const moveFocus = (event: KeyboardEvent<HTMLButtonElement>) => {
    const list = event.currentTarget.closest('ul');
    if (!list) return;
    const rows = [...list.querySelectorAll<HTMLButtonElement>('button[data-thread-id]')];
    const here = rows.indexOf(event.currentTarget);
    const target = { ArrowDown: here + 1, j: here + 1, ArrowUp: here - 1, k: here - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    rows[Math.max(0, Math.min(rows.length - 1, target))]?.focus();
  };
  return (
    <button
      type="button"
      className={`demo-row${isOpen ? ' demo-row-open' : ''}${unread ? ' demo-row-unread' : ''}`}
      data-testid="thread-row"
      data-thread-id={thread.threadId}
      data-thread-kind={thread.kind}
      data-contact-email={thread.contactEmail ?? undefined}
      aria-current={isOpen ? 'true' : undefined}
      onClick={() => onOpen(thread.threadId)}
      onKeyDown={moveFocus}
    >
      <span className="demo-row-top">
        {unread && <span className="demo-visually-hidden">Unread. </span>}
        <span className="demo-row-from">{sendersOf(thread, userEmail)}</span>
        {thread.messages.length > 1 && <span className="demo-row-count">{thread.messages.length}</span>}
        {last && (
          <time className="demo-row-date" dateTime={last.date}>
            {shortDate(lastDate(thread), now)}
          </time>
        )}
      </span>
      <span className="demo-row-subject">{thread.subject}</span>
      <span className="demo-row-snippet">{last?.snippet}</span>
    </button>
  );
}

const kindLabel: Partial<Record<DemoThread['kind'], string>> = { bulk: 'Mailing list', internal: 'Internal' };

interface ThreadViewProps {
  thread: DemoThread;
  userEmail: string;
  onClose: () => void;
  onReply: () => void;
  /** The reply box, when one is open. */
  reply: ReactNode;
  /** Own tracked messages whose sender view was reported: their bodies can be shown. */
  revealed: ReadonlySet<string>;
  /** When the rep's view of each own tracked message was last reported (epoch ms). */
  senderViews: Record<string, number>;
  clock: () => Date;
  openWindow?: (url: string) => void;
}

function ThreadView({ thread, userEmail, onClose, onReply, reply, revealed, senderViews, clock, openWindow }: ThreadViewProps) {
  const headingId = useId();
  const label = kindLabel[thread.kind];
  return (
    <article className="demo-thread" data-testid="open-thread" data-thread-id={thread.threadId} data-thread-kind={thread.kind} aria-labelledby={headingId}>
      <header className="demo-thread-header">
        <h1 id={headingId}>{thread.subject}</h1>
        {label && <span className="demo-chip">{label}</span>}
        <button type="button" className="demo-button demo-close" data-testid="close-thread" onClick={onClose} aria-label="Close conversation" title="Close (Esc)">
          ✕
        </button>
      </header>
      <ol className="demo-messages">
        {thread.messages.map((m) => (
          <li key={m.messageId}>
            <MessageView message={m} userEmail={userEmail} revealed={!m.tracking || revealed.has(m.messageId)}>
              {m.tracking && <RecipientPreview message={m} lastSenderView={senderViews[m.messageId] ?? null} clock={clock} openWindow={openWindow} />}
            </MessageView>
          </li>
        ))}
      </ol>
      {reply ?? (
        <div className="demo-reply-bar">
          <button type="button" className="demo-button" data-testid="reply" onClick={onReply}>
            Reply
          </button>
        </div>
      )}
    </article>
  );
}

// Opens counted from the recipient's side only after these: earlier ones are classified as the send
// itself or the sender's own view (core/tracking/classify.ts, sendWindowMs and senderViewWindowMs).
const SEND_WINDOW_MS = 15_000;
const SENDER_VIEW_WINDOW_MS = 20_000;

/** Demo only: open the tracked message as its recipient would, in a new tab, to see an open counted. */
function RecipientPreview({ message, lastSenderView, clock, openWindow }: { message: DemoMessage; lastSenderView: number | null; clock: () => Date; openWindow?: (url: string) => void }) {
  const noteId = useId();
  const readyAt = Math.max(Date.parse(message.date) + SEND_WINDOW_MS, (lastSenderView ?? 0) + SENDER_VIEW_WINDOW_MS) + 1000;
  const [nowMs, setNowMs] = useState(() => clock().getTime());
  const wait = Math.max(0, Math.ceil((readyAt - nowMs) / 1000));
  useEffect(() => {
    if (wait === 0) return;
    const timer = setTimeout(() => setNowMs(clock().getTime()), 1000);
    return () => clearTimeout(timer);
  }, [wait, nowMs, clock]);
  const tracking = message.tracking!;
  const openCopy = () =>
    openRecipientCopy(
      recipientPage({
        subject: message.subject,
        from: message.from.name ? `${message.from.name} <${message.from.email}>` : message.from.email,
        to: message.to.map((p) => p.name || p.email).join(', '),
        decoratedHtml: tracking.html,
      }),
      openWindow,
    );
  return (
    <div className="demo-recipient-preview" data-testid="recipient-preview">
      <span className="demo-chip demo-chip-demo">Demo only</span>
      <button type="button" className="demo-button" data-testid="open-as-recipient" disabled={wait > 0} aria-describedby={noteId} onClick={openCopy}>
        Open as the recipient
      </button>
      <span id={noteId} className="demo-muted demo-small" aria-live="polite">
        {wait > 0
          ? `Ready in ${wait} s: opens within 15 s of sending or 20 s of your own view are not counted as the recipient’s.`
          : 'Opens the copy the recipient got in a new tab: its pixel loads with your browser, and its links are tracked.'}
      </span>
    </div>
  );
}

const fullDate = (iso: string) => new Date(iso).toLocaleString('en-US', { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

function MessageView({ message, userEmail, revealed, children }: { message: DemoMessage; userEmail: string; revealed: boolean; children?: ReactNode }) {
  const people = (list: Person[]) => list.map((p) => displayName(p, userEmail)).join(', ');
  const headers = Object.entries(message.headers ?? {});
  const from = message.from;
  return (
    <article className="demo-message" data-testid="message" data-message-id={message.messageId} data-direction={message.direction}>
      <header className="demo-message-header">
        <span className={`demo-avatar${message.direction === 'outbound' ? ' demo-avatar-me' : ''}`} aria-hidden="true">
          {(from.name || from.email).charAt(0).toUpperCase()}
        </span>
        <div className="demo-message-meta">
          <div>
            <strong>{isMe(from, userEmail) ? `${from.name || from.email} (me)` : from.name || from.email}</strong>{' '}
            <span className="demo-muted">&lt;{from.email}&gt;</span>
            {headers.some(([name]) => name.toLowerCase() === 'list-unsubscribe') && <span className="demo-chip demo-chip-small">Unsubscribe available</span>}
            {message.tracking && <span className="demo-chip demo-chip-small demo-chip-tracked" data-testid="tracked-chip">Tracked</span>}
            {!message.tracking && message.trackingNotice && (
              <span className="demo-chip demo-chip-small" title={message.trackingNotice} data-testid="untracked-chip">
                Not tracked
              </span>
            )}
          </div>
          <div className="demo-muted">
            to {people(message.to)}
            {message.cc.length > 0 && <>, cc {people(message.cc)}</>}
          </div>
        </div>
        <time className="demo-muted demo-message-date" dateTime={message.date}>
          {fullDate(message.date)}
        </time>
      </header>
      <div className="demo-message-body" data-testid="message-body">
        {message.html === undefined ? (
          message.body.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>
              {paragraph.split('\n').map((line, j) => (
                <span key={j}>
                  {j > 0 && <br />}
                  {line}
                </span>
              ))}
            </p>
          ))
        ) : revealed ? (
          renderSenderCopy(message.html, message.tracking)
        ) : (
          <p className="demo-muted">Loading…</p>
        )}
        {message.trackingNotice && !message.tracking && <p className="demo-muted demo-small">{message.trackingNotice}</p>}
      </div>
      {children}
      <details className="demo-details">
        <summary>Message details</summary>
        <dl>
          {[
            ['Message-ID', message.messageId],
            ['Date', message.date],
            ['Direction', message.direction],
            ...(message.tracking ? [['Tracked message', message.tracking.trackedMessageId]] : []),
            ...headers,
          ].map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </details>
    </article>
  );
}
