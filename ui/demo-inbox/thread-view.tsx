// The mailbox's list and reading pane: a thread's row, the open thread with its messages, and the
// demo-only "Open as the recipient" of a tracked message the rep sent.
import { useEffect, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { lastDate, type DemoMessage, type DemoThread, type Person } from './demo-thread.ts';
import { openRecipientCopy, recipientPage, renderSenderCopy } from './sender-copy.tsx';

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

export function ThreadRow({ thread, userEmail, now, isOpen, unread, onOpen }: { thread: DemoThread; userEmail: string; now: Date; isOpen: boolean; unread: boolean; onOpen: (id: string) => void }) {
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

export function ThreadView({ thread, userEmail, onClose, onReply, reply, revealed, senderViews, clock, openWindow }: ThreadViewProps) {
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
