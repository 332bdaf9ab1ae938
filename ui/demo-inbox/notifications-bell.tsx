// The demo inbox header's bell: the rep's in-app notifications (a tracked email's first human open,
// a deal turning high-risk), asked for every 15 s and whenever the tab gets the focus back.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AppNotification, NotificationList } from '../api-client/api-types.ts';
import type { NotificationsApi } from '../api-client/notifications-api.ts';

export interface NotificationsBellProps {
  api: NotificationsApi;
  now: () => Date;
  pollMs?: number;
  /** A notification was chosen: the page opens its thread when it has one. */
  onOpen?: (notification: AppNotification) => void;
  /** New unread notifications since the last look (not the ones there at sign-in). */
  onArrived?: (notifications: AppNotification[]) => void;
}

function ago(iso: string, now: Date): string {
  const minutes = Math.round((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

export function NotificationsBell({ api, now, pollMs = 15_000, onOpen, onArrived }: NotificationsBellProps) {
  const panelId = useId();
  const [page, setPage] = useState<NotificationList | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const seen = useRef<Set<string> | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const arrived = useRef(onArrived);
  arrived.current = onArrived;

  const load = useCallback(async () => {
    try {
      const next = await api.listNotifications({ limit: 20 });
      setFailed(false);
      setPage(next);
      const fresh = next.data.filter((n) => !n.readAt && seen.current && !seen.current.has(n.id));
      seen.current = new Set([...(seen.current ?? []), ...next.data.map((n) => n.id)]);
      if (fresh.length) arrived.current?.(fresh);
    } catch {
      setFailed(true);
    }
  }, [api]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), pollMs);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [load, pollMs]);

  // A click anywhere else closes the panel.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (notification: AppNotification) => {
    if (!notification.readAt) {
      const readAt = now().toISOString();
      // Shown read at once; the next poll brings the server's word.
      setPage((p) => p && { data: p.data.map((n) => (n.id === notification.id ? { ...n, readAt } : n)), unread: Math.max(0, p.unread - 1) });
      api.markNotificationRead(notification.id).catch(() => undefined);
    }
    setOpen(false);
    onOpen?.(notification);
  };

  const unread = page?.unread ?? 0;
  return (
    <div
      className="demo-bell"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="demo-bell-button"
        data-testid="notifications-bell"
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen((o) => !o);
          if (!open) void load();
        }}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="demo-bell-count" data-testid="notifications-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <div id={panelId} className="demo-bell-panel" data-testid="notifications-panel" hidden={!open} role="region" aria-label="Notifications">
        <h2 className="demo-bell-title">Notifications</h2>
        {failed && <p className="demo-muted demo-small">Notifications cannot be loaded right now.</p>}
        {page && page.data.length === 0 && <p className="demo-muted">Nothing yet. You hear here when a tracked email is first opened by a person, or a deal turns high-risk.</p>}
        {page && page.data.length > 0 && (
          <ul>
            {page.data.map((n) => (
              <li key={n.id}>
                <button type="button" className={`demo-notification${n.readAt ? '' : ' demo-notification-unread'}`} data-testid="notification" data-kind={n.kind} onClick={() => choose(n)}>
                  <span className="demo-notification-title">
                    {!n.readAt && <span className="demo-visually-hidden">Unread: </span>}
                    {titleOf(n)}
                  </span>
                  {n.body && <span className="demo-notification-body">{n.body}</span>}
                  {/* The text says what was true when the deal turned high-risk; a reply logged since may have brought it down. */}
                  {n.currentRisk && n.currentRisk.band !== 'high' && (
                    <span className="demo-small" data-testid="risk-now">
                      Now: risk {n.currentRisk.score} · {n.currentRisk.band}
                    </span>
                  )}
                  <time className="demo-muted demo-small" dateTime={n.createdAt}>
                    {ago(n.createdAt, now())}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** The API writes the title ("Ana opened “Proposal”"); an email_opened without one is still readable. */
function titleOf(n: AppNotification): string {
  if (n.title) return n.title;
  const subject = typeof n.data.subject === 'string' ? n.data.subject : '';
  return n.kind === 'email_opened' ? `Opened “${subject || '(no subject)'}”` : n.kind;
}
