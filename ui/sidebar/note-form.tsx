import { useId, useRef, useState, type FormEvent } from 'react';
import type { Deal } from '../api-client/api-types.ts';
import { DealPicker, defaultDealId } from './deal-picker.tsx';

export interface NoteFormProps {
  deals: Deal[];
  onAdd: (body: string, dealIds: string[]) => void;
}

export function NoteForm({ deals, onAdd }: NoteFormProps) {
  const id = useId();
  const [body, setBody] = useState('');
  const [dealId, setDealId] = useState(() => defaultDealId(deals));
  const field = useRef<HTMLTextAreaElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return field.current?.focus();
    onAdd(text, dealId && deals.some((d) => d.id === dealId) ? [dealId] : []);
    setBody('');
    field.current?.focus();
  };
  return (
    <form onSubmit={submit} aria-label="Add a note">
      <label htmlFor={`${id}-body`}>
        Note
        <textarea id={`${id}-body`} ref={field} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <div className="crm-row">
        <DealPicker id={`${id}-deal`} deals={deals} value={dealId} onChange={setDealId} />
        <button type="submit" disabled={!body.trim()}>Add note</button>
      </div>
    </form>
  );
}
