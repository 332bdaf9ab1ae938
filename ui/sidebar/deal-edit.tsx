import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Deal } from '../api-client/api-types.ts';

export interface DealEditProps {
  deal: Deal;
  onSave: (patch: { valueCents?: number; expectedCloseDate?: string | null }) => void;
  disabled?: boolean;
}

/** Value and expected close date, behind an Edit button; focus goes in and comes back. */
export function DealEdit({ deal, onSave, disabled = false }: DealEditProps) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [closeDate, setCloseDate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const valueInput = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);
  const id = useId();

  useEffect(() => {
    if (open) valueInput.current?.focus();
    else if (wasOpen.current) editButton.current?.focus();
    wasOpen.current = open;
  }, [open]);

  const start = () => {
    setValue(String(deal.valueCents / 100));
    setCloseDate(deal.expectedCloseDate ?? '');
    setProblem(null);
    setOpen(true);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = Number(value.replace(/[\s,]/g, ''));
    if (value.trim() === '' || !Number.isFinite(amount) || amount < 0) return setProblem('Enter the value as a number, like 12000 or 12000.50.');
    const patch: { valueCents?: number; expectedCloseDate?: string | null } = {};
    const cents = Math.round(amount * 100);
    if (cents !== deal.valueCents) patch.valueCents = cents;
    const date = closeDate || null;
    if (date !== deal.expectedCloseDate) patch.expectedCloseDate = date;
    if (Object.keys(patch).length) onSave(patch);
    setOpen(false);
  };

  if (!open) {
    return (
      <button type="button" ref={editButton} disabled={disabled} onClick={start} aria-label={`Edit value and close date of ${deal.name}`}>
        Edit
      </button>
    );
  }
  return (
    <form onSubmit={submit} aria-label={`Edit ${deal.name}`} className="crm-row">
      <label htmlFor={`${id}-value`}>
        Value ({deal.currency})
        <input id={`${id}-value`} ref={valueInput} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)}
          aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} />
      </label>
      <label htmlFor={`${id}-close`}>
        Close date
        <input id={`${id}-close`} type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} />
      </label>
      {problem && <p id={`${id}-problem`} role="alert" className="crm-overdue">{problem}</p>}
      <div className="crm-row">
        <button type="submit" className="crm-primary">Save</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
