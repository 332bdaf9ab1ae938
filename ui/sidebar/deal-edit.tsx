import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatMoneyInput } from '../../core/money-input.ts';
import type { Deal } from '../api-client/api-types.ts';
import { DateField, MoneyField, readDate, readMoney } from './typed-inputs.tsx';

export interface DealEditProps {
  deal: Deal;
  locale: string;
  now: Date;
  onSave: (patch: { valueCents?: number; expectedCloseDate?: string | null }) => void;
  disabled?: boolean;
}

/** Value and expected close date, behind an Edit button, typed as a person writes them; focus goes in and comes back. */
export function DealEdit({ deal, locale, now, onSave, disabled = false }: DealEditProps) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [closeDate, setCloseDate] = useState('');
  const [tried, setTried] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    if (!open && wasOpen.current) editButton.current?.focus();
    wasOpen.current = open;
  }, [open]);

  const start = () => {
    setValue(formatMoneyInput(deal.valueCents, locale));
    setCloseDate(deal.expectedCloseDate ?? '');
    setTried(false);
    setOpen(true);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    const money = readMoney(value, locale);
    const date = readDate(closeDate, locale, now);
    if (!money.ok || !date.ok) return;
    const patch: { valueCents?: number; expectedCloseDate?: string | null } = {};
    const cents = money.value ?? 0;
    if (cents !== deal.valueCents) patch.valueCents = cents;
    if (date.value !== deal.expectedCloseDate) patch.expectedCloseDate = date.value;
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
    <form onSubmit={submit} aria-label={`Edit ${deal.name}`} className="crm-form">
      <MoneyField label={`Value (${deal.currency})`} text={value} onText={setValue} locale={locale} currency={deal.currency} showProblem={tried} autoFocus />
      <DateField label="Close date" text={closeDate} onText={setCloseDate} locale={locale} now={now} showProblem={tried} />
      <div className="crm-row">
        <button type="submit" className="crm-primary">Save</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
