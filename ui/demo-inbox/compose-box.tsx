// The demo inbox's compose box (a new message or a reply). Tracking is ui/compose's: the toggle
// with its sentence, and the send that never waits more than a second for the CRM; this box is
// the ComposeHost it runs on (demo-compose-host.ts), plus the fields and their checks.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SendOutcome, SentMessage } from '../compose/compose-host.ts';
import type { ComposeSession, ComposeTracker } from '../compose/compose-tracking.ts';
import { TrackingToggle } from '../compose/tracking-toggle.tsx';
import { formatRecipients, parseRecipients } from './compose-fields.ts';
import { DemoComposeHost, type ComposeFields } from './demo-compose-host.ts';
import type { Person } from './demo-thread.ts';

export interface ComposeResult {
  to: Person[];
  cc: Person[];
  subject: string;
  text: string;
  /** What went out: the tracked body when tracked, else the text as HTML. */
  html: string;
  outcome: SendOutcome;
}

export interface ComposeBoxProps {
  tracker: ComposeTracker;
  /** Reply: the thread answered, and who and what the reply starts with. */
  reply?: { threadId: string; to: Person[]; cc: Person[]; subject: string };
  /** Shows a toast (what the flow tells the rep, e.g. why a message went out untracked). */
  notify: (text: string) => void;
  /** The page keeps the sent message and answers its ids (the flow reports a tracked one's to the CRM). */
  onSent: (result: ComposeResult) => SentMessage;
  onDiscard: () => void;
}

export function ComposeBox({ tracker, reply, notify, onSent, onDiscard }: ComposeBoxProps) {
  const headingId = useId();
  const [fields, setFields] = useState<ComposeFields>(() => ({ to: formatRecipients(reply?.to ?? []), cc: formatRecipients(reply?.cc ?? []), subject: reply?.subject ?? '', text: '' }));
  const [host] = useState(() => new DemoComposeHost(reply?.threadId ?? null, notify));
  const [session, setSession] = useState<ComposeSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    host.update(fields);
  }, [host, fields]);
  useEffect(() => {
    host.reopen();
    const attached = tracker.attach(host);
    setSession(attached);
    return () => {
      attached.detach();
      host.close();
    };
  }, [tracker, host]);

  const change = (field: keyof ComposeFields) => (value: string) => setFields((f) => ({ ...f, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const to = parseRecipients(fields.to);
    const cc = parseRecipients(fields.cc);
    const invalid = [...to.invalid, ...cc.invalid];
    if (invalid.length) return setError(`Check ${invalid.length === 1 ? 'this address' : 'these addresses'}: ${invalid.join(', ')}`);
    if (to.people.length === 0) return setError('Add at least one recipient in To.');
    setError(null);
    setSending(true);
    const sent = await host.pressSend();
    setSending(false);
    if (!sent) return;
    host.sent(onSent({ to: to.people, cc: cc.people, subject: fields.subject.trim(), text: fields.text, html: sent.html, outcome: sent.outcome }));
  };

  return (
    <form
      className="demo-compose"
      data-testid="compose"
      aria-labelledby={headingId}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Esc leaves an empty draft; a written one stays (and the thread behind it stays open).
        e.stopPropagation();
        if (!sending && !fields.text.trim()) onDiscard();
      }}
    >
      <h2 id={headingId} className="demo-compose-title">{reply ? 'Reply' : 'New message'}</h2>
      <div className="demo-compose-fields">
        <label>
          <span>To</span>
          <input name="to" value={fields.to} onChange={(e) => change('to')(e.target.value)} autoFocus={!reply} autoComplete="off" placeholder="name@company.com, …" />
        </label>
        <label>
          <span>Cc</span>
          <input name="cc" value={fields.cc} onChange={(e) => change('cc')(e.target.value)} autoComplete="off" />
        </label>
        <label>
          <span>Subject</span>
          <input name="subject" value={fields.subject} onChange={(e) => change('subject')(e.target.value)} autoComplete="off" />
        </label>
      </div>
      <label className="demo-compose-body">
        <span className="demo-visually-hidden">Message</span>
        <textarea name="body" rows={8} value={fields.text} onChange={(e) => change('text')(e.target.value)} autoFocus={!!reply} placeholder="Write your message. Links (https://…) become clickable." />
      </label>

      {session && <TrackingToggle session={session} offerOptOut offerDefault />}

      {error && (
        <p className="demo-error" role="alert" data-testid="compose-error">
          {error}
        </p>
      )}
      <div className="demo-actions">
        <button type="submit" className="demo-button demo-primary" data-testid="compose-send" disabled={sending}>
          {sending ? 'Sending…' : 'Send'}
        </button>
        <button type="button" className="demo-button" onClick={onDiscard} disabled={sending}>
          Discard
        </button>
        <span className="demo-muted demo-small">Demo: the message goes to this mailbox only; no email leaves it.</span>
      </div>
    </form>
  );
}
