// The signed-in demo mailbox: the thread list, the open thread (or compose), the sidebar beside it
// through the demo InboxHost, the bell, toasts, and the tracked-send flow every compose box uses.
// One API client underneath, seen through three facades (the sidebar's, tracking's, the bell's).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppNotification } from '../api-client/api-types.ts';
import { createNotificationsApi } from '../api-client/notifications-api.ts';
import { createSidebarApi, type SidebarApi } from '../api-client/sidebar-api.ts';
import { createTrackingApi } from '../api-client/tracking-api.ts';
import type { SentMessage } from '../compose/compose-host.ts';
import { createComposeTracking } from '../compose/compose-tracking.ts';
import { createApiTrackingPort } from '../compose/tracking-port.ts';
import type { KeyValueStore } from '../sidebar/cache.ts';
import { mountSidebar } from '../sidebar/mount.tsx';
import type { DemoInboxDeps } from './app.tsx';
import { ComposeBox, type ComposeResult } from './compose-box.tsx';
import { replyRecipients, replySubject } from './compose-fields.ts';
import { createDemoHost, type DemoHost } from './demo-host.ts';
import { toInboxThread, type DemoThread } from './demo-thread.ts';
import type { MailboxDirectory } from './directory.ts';
import { buildMailbox, mailboxAnchor } from './mailbox.ts';
import { NotificationsBell } from './notifications-bell.tsx';
import { newThreadId, readSent, saveSent, sentMessage, threadKindFor, withSentMail, type SentRecord } from './sent-mail.ts';
import { saveSession, type DemoSession } from './session.ts';
import { SignInDialog } from './sign-in.tsx';
import { ThreadRow, ThreadView } from './thread-view.tsx';

const threadFromHash = (threads: DemoThread[]): string | null => {
  const id = new URLSearchParams(window.location.hash.slice(1)).get('thread');
  return id && threads.some((t) => t.threadId === id) ? id : null;
};

export function Mailbox({
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
  const now = useMemo(() => mailboxAnchor(deps.storage, userEmail, clock()), [clock, deps.storage, userEmail]);
  const [sent, setSent] = useState<SentRecord[]>(() => readSent(deps.storage, userEmail));
  const threads = useMemo(() => withSentMail(buildMailbox(directory, now), sent), [directory, now, sent]);
  const [composing, setComposing] = useState<null | 'new' | { threadId: string }>(null);
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
  // One client, three facades: the sidebar's calls, tracking around sending, the bell.
  const apis = useMemo(() => {
    const options = { baseUrl: deps.baseUrl, getToken: () => token.current, fetch: deps.fetch };
    return { sidebar: createSidebarApi(options), tracking: createTrackingApi(options), notifications: createNotificationsApi(options) };
  }, [deps]);
  const host = useMemo(
    () => createDemoHost({ notify: (text) => notify.current(text), reportSenderView: (ids) => apis.tracking.reportSenderView(ids, { timeoutMs: 1000 }) }),
    [apis],
  );
  // The tracked-send flow for every compose box of this mailbox; a reported send tells the sidebar to look.
  const tracker = useMemo(
    () =>
      createComposeTracking({
        port: createApiTrackingPort(apis.tracking),
        onReported: (sent) => sent.threadId && host.trackedMessageSent({ threadId: sent.threadId, messageId: sent.messageId }),
      }),
    [apis, host],
  );
  useEffect(() => tracker.start(), [tracker]);
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

  /** Keeps what compose sent in the mailbox; answers its ids, which the flow reports to the CRM when tracked. */
  const sendMail = (result: ComposeResult, replyTo: DemoThread | null): SentMessage => {
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
      html: result.html,
      date,
      tracking: registration && { trackedMessageId: registration.trackedMessageId, html: registration.html, pixelUrl: registration.pixelUrl, links: registration.links ?? [] },
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
    // An untracked send's reason is told by the flow itself.
    if (!outcome.notice) notify.current(registration ? 'Sent, with open and click tracking.' : 'Sent.');
    return { messageId: message.messageId, threadId, sentAt: date.toISOString() };
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
            api={apis.notifications}
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
            <ComposeBox tracker={tracker} notify={(text) => notify.current(text)} onSent={(r) => sendMail(r, null)} onDiscard={() => setComposing(null)} />
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
                    tracker={tracker}
                    notify={(text) => notify.current(text)}
                    reply={{ threadId: open.threadId, subject: replySubject(open.subject), ...replyRecipients(open.messages.at(-1), userEmail) }}
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
        <SidebarPane host={host} api={apis.sidebar} store={store} onSignIn={onSignIn} trackingRefreshMs={deps.trackingRefreshMs} />
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

function SidebarPane(props: { host: DemoHost; api: SidebarApi; store: KeyValueStore; onSignIn: () => Promise<void>; trackingRefreshMs?: number }) {
  const { host, api, store, onSignIn, trackingRefreshMs } = props;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const unmount = mountSidebar(ref.current!, { host, api, store, onSignIn, trackingRefreshMs });
    // Unmounting another React root while this one commits is not allowed: do it just after.
    return () => void setTimeout(unmount, 0);
  }, [host, api, store, onSignIn, trackingRefreshMs]);
  return <aside ref={ref} className="demo-sidebar" data-testid="demo-sidebar" aria-label="CRM sidebar" />;
}
