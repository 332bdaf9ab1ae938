// The demo inbox's compose box (a new message or a reply), with the tracking toggle: on by the rep's
// default, it says what the organisation's consent mode will record for these recipients (asked
// again as they change), and sending never waits more than a second for the CRM.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TrackingApi, TrackingDecision, TrackingSettings } from '../sidebar/api.ts';
import { formatRecipients, parseRecipients, prepareBody, REGISTER_TIMEOUT_MS, textToHtml, type TrackingOutcome } from './compose.ts';
import type { Person } from './mailbox.ts';

export interface ComposeResult {
  to: Person[];
  cc: Person[];
  subject: string;
  text: string;
  outcome: TrackingOutcome;
}

export interface ComposeBoxProps {
  api: Pick<TrackingApi, 'trackingDecision' | 'registerTrackedMessage' | 'updateTrackingSettings'>;
  /** Reply: the thread answered, and who and what the reply starts with. */
  reply?: { threadId: string; to: Person[]; cc: Person[]; subject: string };
  /** The rep's tracking settings; null while loading or when the CRM could not be reached. */
  settings: TrackingSettings | null;
  onSettingsChange?: (settings: TrackingSettings) => void;
  onSent: (result: ComposeResult) => void;
  onDiscard: () => void;
  /** How long typing must pause before the explanation is asked for again. */
  decisionDelayMs?: number;
  registerTimeoutMs?: number;
}

type Explanation =
  | { kind: 'off' }
  | { kind: 'no-recipients' }
  | { kind: 'checking' }
  | { kind: 'decided'; decision: TrackingDecision }
  | { kind: 'unavailable' };

export function ComposeBox({ api, reply, settings, onSettingsChange, onSent, onDiscard, decisionDelayMs = 400, registerTimeoutMs = REGISTER_TIMEOUT_MS }: ComposeBoxProps) {
  const headingId = useId();
  const explanationId = useId();
  const [to, setTo] = useState(() => formatRecipients(reply?.to ?? []));
  const [cc, setCc] = useState(() => formatRecipients(reply?.cc ?? []));
  const [subject, setSubject] = useState(reply?.subject ?? '');
  const [text, setText] = useState('');
  // Follows the rep's default until they touch the toggle.
  const [trackChoice, setTrackChoice] = useState<boolean | null>(null);
  const track = trackChoice ?? settings?.trackByDefault ?? false;
  const [optOutLink, setOptOutLink] = useState(false);
  const [explanation, setExplanation] = useState<Explanation>({ kind: 'off' });
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [savingDefault, setSavingDefault] = useState(false);
  // What tracking will record for these recipients: asked once typing pauses; a stale answer is dropped.
  const toPeople = parseRecipients(to).people;
  const ccPeople = parseRecipients(cc).people;
  const recipientsKey = [...toPeople, ...ccPeople].map((p) => p.email).join(',') + '|' + ccPeople.length;
  useEffect(() => {
    if (!track) {
      setExplanation({ kind: 'off' });
      return;
    }
    if (toPeople.length + ccPeople.length === 0) {
      setExplanation({ kind: 'no-recipients' });
      return;
    }
    setExplanation({ kind: 'checking' });
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .trackingDecision({ to: toPeople.map((p) => p.email), cc: ccPeople.map((p) => p.email), bcc: [] }, { signal: controller.signal, timeoutMs: 5000 })
        .then(
          (decision) => !controller.signal.aborted && setExplanation({ kind: 'decided', decision }),
          () => !controller.signal.aborted && setExplanation({ kind: 'unavailable' }),
        );
    }, decisionDelayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // toPeople/ccPeople are new arrays each render; recipientsKey says when they changed.
  }, [recipientsKey, track, api, decisionDelayMs]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const parsedTo = parseRecipients(to);
    const parsedCc = parseRecipients(cc);
    const invalid = [...parsedTo.invalid, ...parsedCc.invalid];
    if (invalid.length) return setError(`Check ${invalid.length === 1 ? 'this address' : 'these addresses'}: ${invalid.join(', ')}`);
    if (parsedTo.people.length === 0) return setError('Add at least one recipient in To.');
    setError(null);
    setSending(true);
    const html = textToHtml(text);
    const outcome = await prepareBody(
      api,
      { to: parsedTo.people, cc: parsedCc.people, subject: subject.trim(), html, threadId: reply?.threadId ?? null, track, optOutLink: track && optOutLink },
      registerTimeoutMs,
    );
    setSending(false);
    onSent({ to: parsedTo.people, cc: parsedCc.people, subject: subject.trim(), text, outcome });
  };

  const rememberDefault = async () => {
    setSavingDefault(true);
    try {
      onSettingsChange?.(await api.updateTrackingSettings({ trackByDefault: track }));
    } catch {
      setError('Your default could not be saved: the CRM could not be reached.');
    } finally {
      setSavingDefault(false);
    }
  };

  return (
    <form className="demo-compose" data-testid="compose" aria-labelledby={headingId} onSubmit={(e) => void submit(e)} onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Esc leaves an empty draft; a written one stays (and the thread behind it stays open).
        e.stopPropagation();
        if (!sending && !text.trim()) onDiscard();
      }}>
      <h2 id={headingId} className="demo-compose-title">{reply ? 'Reply' : 'New message'}</h2>
      <div className="demo-compose-fields">
        <label>
          <span>To</span>
          <input name="to" value={to} onChange={(e) => setTo(e.target.value)} autoFocus={!reply} autoComplete="off" placeholder="name@company.com, …" />
        </label>
        <label>
          <span>Cc</span>
          <input name="cc" value={cc} onChange={(e) => setCc(e.target.value)} autoComplete="off" />
        </label>
        <label>
          <span>Subject</span>
          <input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="off" />
        </label>
      </div>
      <label className="demo-compose-body">
        <span className="demo-visually-hidden">Message</span>
        <textarea name="body" rows={8} value={text} onChange={(e) => setText(e.target.value)} autoFocus={!!reply} placeholder="Write your message. Links (https://…) become clickable." />
      </label>

      <fieldset className="demo-tracking" data-testid="tracking-options">
        <legend className="demo-visually-hidden">Tracking</legend>
        <div className="demo-tracking-row">
          <label className="demo-switch">
            <input type="checkbox" role="switch" data-testid="track-toggle" checked={track} onChange={(e) => setTrackChoice(e.target.checked)} aria-describedby={explanationId} />
            <span>Track opens and clicks</span>
          </label>
          <label className="demo-check">
            <input type="checkbox" data-testid="opt-out-link" checked={track && optOutLink} disabled={!track} onChange={(e) => setOptOutLink(e.target.checked)} />
            <span>Add opt-out link</span>
          </label>
          {settings && track !== settings.trackByDefault && (
            <button type="button" className="demo-link demo-small" onClick={() => void rememberDefault()} disabled={savingDefault}>
              {track ? 'Track by default' : 'Don’t track by default'}
            </button>
          )}
        </div>
        <p id={explanationId} className={`demo-tracking-explanation${explanation.kind === 'decided' && !explanation.decision.track ? ' demo-tracking-no' : ''}`} data-testid="tracking-explanation" data-state={explanation.kind} aria-live="polite">
          {explanationText(explanation, settings)}
        </p>
      </fieldset>

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

function explanationText(explanation: Explanation, settings: TrackingSettings | null): string {
  switch (explanation.kind) {
    case 'off':
      return 'Not tracked: the message goes out as you wrote it, with no pixel and links unchanged.';
    case 'no-recipients':
      return settings ? `${settings.description} Add a recipient to see what will be recorded for them.` : 'Add a recipient to see what tracking will record.';
    case 'checking':
      return 'Checking what tracking will record for these recipients…';
    case 'decided':
      return explanation.decision.explanation;
    case 'unavailable':
      return 'The CRM cannot be reached to say what will be recorded. If it still cannot be reached when you send, the message goes out untracked.';
  }
}
