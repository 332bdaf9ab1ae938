import { useId, useRef, useState, type FormEvent } from 'react';
import type { Deal } from '../api-client/api-types.ts';
import { DealPicker, defaultDealId } from './deal-picker.tsx';
import { dueAtFromDateInput, localDateInput } from './format.ts';

export interface TaskFormProps {
  deals: Deal[];
  now: Date;
  onAdd: (subject: string, dueAt: string | null, dealIds: string[]) => void;
}

const tomorrow = (now: Date) => localDateInput(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));

/** A follow-up task, due tomorrow unless the rep picks another day. */
export function TaskForm({ deals, now, onAdd }: TaskFormProps) {
  const id = useId();
  const [subject, setSubject] = useState('');
  const [due, setDue] = useState(() => tomorrow(now));
  const [dealId, setDealId] = useState(() => defaultDealId(deals));
  const field = useRef<HTMLInputElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = subject.trim();
    if (!text) return field.current?.focus();
    onAdd(text, dueAtFromDateInput(due), dealId && deals.some((d) => d.id === dealId) ? [dealId] : []);
    setSubject('');
    setDue(tomorrow(now));
    field.current?.focus();
  };
  return (
    <form onSubmit={submit} aria-label="Add a follow-up task">
      <label htmlFor={`${id}-subject`}>
        Follow-up task
        <input id={`${id}-subject`} ref={field} value={subject} onChange={(e) => setSubject(e.target.value)} placeholder="Send the proposal" />
      </label>
      <div className="crm-row">
        <label htmlFor={`${id}-due`}>
          Due
          <input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
        <DealPicker id={`${id}-deal`} deals={deals} value={dealId} onChange={setDealId} />
        <button type="submit" disabled={!subject.trim()}>Add task</button>
      </div>
    </form>
  );
}
