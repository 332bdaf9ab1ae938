import { useId, useRef, useState, type FormEvent } from 'react';
import type { Deal } from '../api-client/api-types.ts';
import { DealPicker, dealIdsOf, defaultDealId } from './deal-picker.tsx';
import { dueAtFromDateInput, localDateInput } from './format.ts';
import { DateField, readDate } from './typed-inputs.tsx';

export interface TaskFormProps {
  deals: Deal[];
  /** The deal last used on this thread. */
  lastDealId: string | null;
  now: Date;
  locale: string;
  onAdd: (subject: string, dueAt: string | null, dealIds: string[]) => void;
  onCancel: () => void;
}

const tomorrow = (now: Date) => localDateInput(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));

/** A follow-up task, due tomorrow unless the rep types or picks another day. */
export function TaskForm({ deals, lastDealId, now, locale, onAdd, onCancel }: TaskFormProps) {
  const id = useId();
  const [subject, setSubject] = useState('');
  const [due, setDue] = useState(() => tomorrow(now));
  const [tried, setTried] = useState(false);
  const [dealId, setDealId] = useState(() => defaultDealId(deals, lastDealId));
  const field = useRef<HTMLInputElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    const text = subject.trim();
    const date = readDate(due, locale, now);
    if (!text || dealId === '') return field.current?.focus();
    if (!date.ok) return;
    onAdd(text, date.value ? dueAtFromDateInput(date.value) : null, dealIdsOf(dealId, deals));
  };
  return (
    <form onSubmit={submit} aria-label="Add a follow-up task" className="crm-form">
      <label htmlFor={`${id}-subject`}>
        Follow-up task
        <input id={`${id}-subject`} ref={field} value={subject} autoFocus onChange={(e) => setSubject(e.target.value)} placeholder="Send the proposal" />
      </label>
      <div className="crm-two">
        <DateField label="Due" text={due} onText={setDue} locale={locale} now={now} showProblem={tried} />
        <DealPicker id={`${id}-deal`} deals={deals} value={dealId} onChange={setDealId} />
      </div>
      <div className="crm-row">
        <button type="submit" className="crm-primary" disabled={!subject.trim() || dealId === ''}>Add task</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
