// "Tracking": for each tracked message of the thread, the opens and clicks that count as a person's,
// and apart from them, collapsed, the machine hits that were not counted, each with why.
import { useId, useState, type ReactNode } from 'react';
import type { Contact, TrackedMessageSummary } from '../api-client/api-types.ts';
import { contactName, formatDay, formatRelative, shortUrl } from './format.ts';
import { Section, type Fold } from './section.tsx';

type MachineClass = keyof TrackedMessageSummary['machineHits'];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** How each class of uncounted hit is named, in the order shown, and why it is not a person. */
const machineClasses: { key: MachineClass; label: (n: number) => string; why: string }[] = [
  {
    key: 'apple_mpp',
    label: (n) => plural(n, 'Apple Mail prefetch', 'Apple Mail prefetches'),
    why: 'Apple Mail Privacy Protection downloads every image when a message arrives, read or not, so it says nothing about an open. It also means a later real open by that recipient cannot be seen.',
  },
  {
    key: 'scanner',
    label: (n) => plural(n, 'security scanner hit', 'security scanner hits'),
    why: 'Security services (Microsoft Safe Links, Proofpoint, Mimecast and others) fetch images and follow links to check them, often within seconds of delivery and several at once. They are not people. A person behind such a service’s browser isolation is missed the same way.',
  },
  {
    key: 'image_proxy',
    label: (n) => plural(n, 'image proxy fetch at send time', 'image proxy fetches at send time'),
    why: 'Gmail, Yahoo and Outlook load images through their own servers. In the first seconds after sending that is your sent copy being shown or delivery-time processing, not the recipient reading. Later proxy fetches are counted as probable opens: the proxy hides the device, so they are never certain.',
  },
  {
    key: 'sender_self',
    label: (n) => plural(n, 'view by you', 'views by you'),
    why: 'You looking at your own sent message. Gmail loads images through its proxy, which hides who is looking, so your mailbox tells the CRM when you open your sent mail and images fetched around then are set aside. A recipient opening at that very moment is set aside too.',
  },
  {
    key: 'unknown',
    label: (n) => plural(n, 'unidentified request', 'unidentified requests'),
    why: 'Requests that did not say which program made them, or came seconds after sending, before anyone could read the message. Rather than guess, they are not counted.',
  },
];

const pendingWhy =
  'A click is counted 15 seconds after it happens, once a security scanner following every link at once would have been seen. The recipient was already taken to the page.';

/** A "?" button whose explanation shows on hover, focus or press, and hides with Escape. */
function WhyTip({ subject, children }: { subject: string; children: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span className="crm-tip" onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        className="crm-tip-button"
        aria-label={`Why: ${subject}`}
        aria-describedby={id}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        ?
      </button>
      <span role="tooltip" id={id} className="crm-tooltip" hidden={!open}>
        {children}
      </span>
    </span>
  );
}

export interface TrackingSectionProps {
  fold?: Fold;
  tracking: TrackedMessageSummary[];
  contacts: Contact[];
  /** Display names the mailbox shows, by lower-cased address. */
  nameOf: (email: string) => string;
  threadSubject: string;
  now: Date;
  locale: string;
}

export function TrackingSection({ tracking, contacts, nameOf, threadSubject, now, locale, fold }: TrackingSectionProps) {
  if (tracking.length === 0) return null;
  const newestFirst = [...tracking].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  const who = (email: string) => {
    const contact = contacts.find((c) => c.email.toLowerCase() === email.toLowerCase());
    return contact ? contactName(contact) : nameOf(email.toLowerCase()) || email;
  };
  return (
    <Section title="Tracking" fold={fold}>
      {newestFirst.map((message) => (
        <TrackedMessageCard key={message.id} message={message} who={who} threadSubject={threadSubject} now={now} locale={locale} />
      ))}
    </Section>
  );
}

function TrackedMessageCard({ message, who, threadSubject, now, locale }: { message: TrackedMessageSummary; who: (email: string) => string; threadSubject: string; now: Date; locale: string }) {
  const day = message.precision === 'day';
  const when = (iso: string) => (day ? formatDay(iso, now, locale) : formatRelative(iso, now, locale));
  const { opens, clicks, machineHits, pendingClicks } = message;
  const subject = message.subject || threadSubject || '(no subject)';
  const opener = message.attribution.kind === 'recipient' ? who(message.attribution.email) : 'A recipient';
  const recipients = message.recipientCount === 1 ? '1 recipient' : `${message.recipientCount} recipients`;
  const notCounted = machineClasses.filter((c) => machineHits[c.key] > 0);

  return (
    <article className="crm-card crm-tracking" aria-label={`Tracking: ${subject}`}>
      <header>
        <h3>{subject}</h3>
        {opens.count > 0 ? <span className="crm-badge crm-opened">Opened</span> : <span className="crm-badge">Not opened yet</span>}
      </header>
      <p className="crm-muted">
        Sent <time dateTime={message.sentAt}>{formatRelative(message.sentAt, now, locale)}</time> to {recipients}
      </p>
      {opens.count > 0 ? (
        <>
          <p>
            <strong>{opener} opened it {times(opens.count)}</strong>
          </p>
          {opens.first && (
            <p className="crm-muted">
              {opens.count > 1 && opens.last && opens.last !== opens.first ? (
                <>
                  First <time dateTime={opens.first}>{when(opens.first)}</time>, last <time dateTime={opens.last}>{when(opens.last)}</time>
                </>
              ) : (
                <>
                  Opened <time dateTime={opens.first}>{when(opens.first)}</time>
                </>
              )}
            </p>
          )}
        </>
      ) : (
        <p>{message.attribution.kind === 'recipient' ? `${opener} has not opened it yet.` : 'No recipient has opened it yet.'}</p>
      )}
      {day && <p className="crm-muted crm-small">Your organization records counts by day, without naming who.</p>}

      {(clicks.length > 0 || pendingClicks > 0) && (
        <>
          <h4 className="crm-subheading">Clicks</h4>
          <ul className="crm-list">
            {clicks.map((click) => (
              <li key={click.linkIndex} className="crm-click">
                <a href={click.url} target="_blank" rel="noopener noreferrer" title={click.url} className="crm-click-url">
                  {shortUrl(click.url)}
                </a>
                <span>
                  {plural(click.count, 'click', 'clicks')}
                  <span className="crm-muted"> · last <time dateTime={click.last}>{when(click.last)}</time></span>
                </span>
              </li>
            ))}
            {pendingClicks > 0 && (
              <li className="crm-has-tip">
                <span className="crm-pending-text">{plural(pendingClicks, 'click', 'clicks')} being checked</span>
                <WhyTip subject="clicks being checked">{pendingWhy}</WhyTip>
              </li>
            )}
          </ul>
        </>
      )}

      {notCounted.length > 0 && (
        <details className="crm-machine-hits">
          <summary>Not counted: {notCounted.map((c) => c.label(machineHits[c.key])).join(', ')}</summary>
          <ul className="crm-list">
            {notCounted.map((c) => (
              <li key={c.key} className="crm-has-tip">
                <span>{capitalize(c.label(machineHits[c.key]))}</span>
                <WhyTip subject={`${c.label(machineHits[c.key])} not counted`}>{c.why}</WhyTip>
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
