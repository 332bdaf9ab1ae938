import { Section, type Fold } from './section.tsx';
import type { Activity, Contact } from '../api-client/api-types.ts';
import { contactName, formatDate } from './format.ts';

export interface TimelineProps {
  activities: Activity[];
  pendingIds: ReadonlySet<string>;
  /** The thread's contacts: a received email names its sender by them. */
  contacts: Contact[];
  /** The rep: their own notes and emails say "you". */
  userEmail: string;
  locale: string;
  limit?: number;
  fold?: Fold;
}

// email_opened and email_clicked are written by tracking: a counted open of a tracked email, a counted click.
const typeLabel: Record<Activity['type'], string> = { email: 'Email', call: 'Call', meeting: 'Meeting', note: 'Note', task: 'Task', email_opened: 'Email opened', email_clicked: 'Link clicked' };

function labelOf(a: Activity): string {
  if (a.type === 'email' && a.direction) return `${typeLabel.email} ${a.direction === 'inbound' ? 'received' : 'sent'}`;
  if (a.type === 'task' && a.completedAt) return 'Task completed';
  return typeLabel[a.type];
}

/** A note is its body (its subject is only ever "Note"); the rest are their subject. */
function summary(a: Activity): string {
  const text = a.type === 'note' ? a.body || a.subject || '' : a.subject || a.body || '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Who the entry is from: the sender of a received email, else who recorded it. */
function authorOf(a: Activity, contacts: Contact[], userEmail: string): string | null {
  if (a.type === 'email' && a.direction === 'inbound' && a.from) {
    const contact = contacts.find((c) => c.email.toLowerCase() === a.from!.toLowerCase());
    return contact ? contactName(contact) : a.from;
  }
  if (!a.owner) return null;
  return a.owner.email.toLowerCase() === userEmail.toLowerCase() ? 'you' : a.owner.name;
}

/** The latest activities of these contacts and deals, newest first. */
export function Timeline({ activities, pendingIds, contacts, userEmail, locale, limit = 10, fold }: TimelineProps) {
  return (
    <Section title="Recent activity" fold={fold}>
      {activities.length === 0 ? (
        <p className="crm-muted">Nothing yet.</p>
      ) : (
        <ul className="crm-list">
          {activities.slice(0, limit).map((a) => {
            const author = authorOf(a, contacts, userEmail);
            const done = a.type === 'task' && !!a.completedAt;
            return (
              <li key={a.id} className={done ? 'crm-done' : undefined}>
                <div>
                  <strong>{labelOf(a)}</strong>
                  {done && <span aria-hidden="true"> ✓</span>}
                  {pendingIds.has(a.id) && <> <span className="crm-badge crm-pending">Pending</span></>}
                </div>
                <div className="crm-summary">{summary(a)}</div>
                <div className="crm-muted crm-small">
                  {formatDate(a.occurredAt, locale)}
                  {author ? ` · ${author}` : ''}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
