import { useRef } from 'react';
import { Section, type Fold } from './section.tsx';
import type { Activity } from '../api-client/api-types.ts';
import { formatDue, isOverdue } from './format.ts';

export interface TaskListProps {
  tasks: Activity[];
  pendingIds: ReadonlySet<string>;
  now: Date;
  locale: string;
  onComplete: (task: Activity) => void;
  fold?: Fold;
}

export function TaskList({ tasks, pendingIds, now, locale, onComplete, fold }: TaskListProps) {
  const heading = useRef<HTMLButtonElement>(null);
  const complete = (task: Activity) => {
    onComplete(task);
    // The task leaves the list; keep keyboard focus in this section rather than on the page.
    heading.current?.focus();
  };
  return (
    <Section title="Open tasks" fold={fold} headingRef={heading}>
      {tasks.length === 0 ? (
        <p className="crm-muted">No open tasks.</p>
      ) : (
        <ul className="crm-list">
          {tasks.map((task) => (
            <li key={task.id}>
              <div>{task.subject ?? '(no subject)'} {pendingIds.has(task.id) && <span className="crm-badge crm-pending">Pending</span>}</div>
              <div className="crm-row">
                <span className={isOverdue(task.dueAt, now) ? 'crm-overdue' : 'crm-muted'}>{formatDue(task.dueAt, now, locale)}</span>
                <button type="button" onClick={() => complete(task)} aria-label={`Complete task: ${task.subject ?? '(no subject)'}`}>
                  Complete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
