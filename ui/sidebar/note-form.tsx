import { useId, useRef, useState, type FormEvent } from 'react';
import type { Deal } from '../api-client/api-types.ts';
import { DealPicker, dealIdsOf, defaultDealId } from './deal-picker.tsx';

export interface NoteFormProps {
  deals: Deal[];
  /** The deal last used on this thread. */
  lastDealId: string | null;
  onAdd: (body: string, dealIds: string[]) => void;
  onCancel: () => void;
}

export function NoteForm({ deals, lastDealId, onAdd, onCancel }: NoteFormProps) {
  const id = useId();
  const [body, setBody] = useState('');
  const [dealId, setDealId] = useState(() => defaultDealId(deals, lastDealId));
  const field = useRef<HTMLTextAreaElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text || dealId === '') return field.current?.focus();
    onAdd(text, dealIdsOf(dealId, deals));
  };
  return (
    <form onSubmit={submit} aria-label="Add a note" className="crm-form">
      <label htmlFor={`${id}-body`}>
        Note
        <textarea id={`${id}-body`} ref={field} value={body} autoFocus onChange={(e) => setBody(e.target.value)} />
      </label>
      <DealPicker id={`${id}-deal`} deals={deals} value={dealId} onChange={setDealId} />
      <div className="crm-row">
        <button type="submit" className="crm-primary" disabled={!body.trim() || dealId === ''}>Add note</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
