import { useId } from 'react';
import type { ThreadContext } from '../api-client/api-types.ts';
import { contactName, formatDate } from './format.ts';
import { skipReasonText, type LogDecision } from './logging.ts';
import type { LoggedRecord, ThreadLogging } from './sidebar-state.ts';
import { Section, type Fold } from './section.tsx';

export interface LoggingStatusProps {
  fold?: Fold;
  decisions: LogDecision[];
  logging: ThreadLogging;
  /** Message-IDs waiting in the outbox. */
  queued: ReadonlySet<string>;
  context: ThreadContext;
  locale: string;
  onToggle: (on: boolean) => void;
}

function where(record: LoggedRecord, context: ThreadContext): string {
  const { result } = record;
  if (!result.logged && !result.alreadyLogged) return 'Not logged: the CRM matched no contact';
  const names = [
    ...result.contactIds.map((id) => context.contacts.find((c) => c.id === id)).flatMap((c) => (c ? [contactName(c)] : [])),
    ...result.dealIds.map((id) => context.deals.find((d) => d.id === id)?.name).flatMap((n) => (n ? [n] : [])),
  ];
  const target = names.length ? names.join(', ') : `${result.contactIds.length} contact${result.contactIds.length === 1 ? '' : 's'}`;
  return `${result.alreadyLogged ? 'Already logged' : 'Logged'} to ${target}`;
}

/** What was logged where, and the per-thread switch. */
export function LoggingStatus({ decisions, logging, queued, context, locale, onToggle, fold }: LoggingStatusProps) {
  const switchId = useId();
  const inTimeline = new Set(context.activities.flatMap((a) => (a.messageId ? [a.messageId] : [])));
  return (
    <Section title="Email logging" fold={fold}>
      <label className="crm-inline" htmlFor={switchId}>
        <input id={switchId} type="checkbox" role="switch" checked={!logging.off} onChange={(e) => onToggle(e.target.checked)} />
        Log this thread’s emails to the CRM
      </label>
      <ul className="crm-list">
        {decisions.map(({ message, verdict }) => {
          const id = message.messageId.trim();
          const record = logging.logged[id];
          let status: string;
          if (record) status = where(record, context);
          else if (queued.has(id)) status = 'Waiting to be logged';
          else if (inTimeline.has(id)) status = 'Logged';
          else if (verdict.log) status = 'To be logged';
          else status = `Not logged: ${skipReasonText[verdict.reason]}${verdict.detail && verdict.reason === 'automated' ? ` (${verdict.detail})` : ''}`;
          return (
            <li key={id || message.date}>
              <div>{message.subject || '(no subject)'} <span className="crm-muted">· {formatDate(message.date, locale)}</span></div>
              <div className="crm-muted">{status}</div>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
