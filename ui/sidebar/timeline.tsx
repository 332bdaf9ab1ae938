import { useId } from 'react';
import type { Activity } from '../api-client/api-types.ts';
import { formatDate } from './format.ts';

export interface TimelineProps {
  activities: Activity[];
  pendingIds: ReadonlySet<string>;
  locale: string;
  limit?: number;
}

// email_opened and email_clicked are written by tracking: a counted open of a tracked email, a counted click.
const typeLabel: Record<Activity['type'], string> = { email: 'Email', call: 'Call', meeting: 'Meeting', note: 'Note', task: 'Task', email_opened: 'Email opened', email_clicked: 'Link clicked' };

function summary(a: Activity): string {
  const text = a.subject || a.body || '';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The latest activities of these contacts and deals, newest first. */
export function Timeline({ activities, pendingIds, locale, limit = 10 }: TimelineProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Recent activity</h2>
      {activities.length === 0 ? (
        <p className="crm-muted">Nothing yet.</p>
      ) : (
        <ul className="crm-list">
          {activities.slice(0, limit).map((a) => (
            <li key={a.id}>
              <div>
                <strong>{a.type === 'email' && a.direction ? `${typeLabel.email} ${a.direction === 'inbound' ? 'received' : 'sent'}` : typeLabel[a.type]}</strong>
                {pendingIds.has(a.id) && <> <span className="crm-badge crm-pending">Pending</span></>}
              </div>
              <div>{summary(a)}</div>
              <div className="crm-muted">
                {formatDate(a.occurredAt, locale)}
                {a.owner ? ` · ${a.owner.name}` : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
