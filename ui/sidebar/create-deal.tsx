import { useId, useRef, useState, type FormEvent } from 'react';
import type { Company, Contact, Pipeline } from '../api-client/api-types.ts';
import type { NewDeal } from './changes.ts';
import { contactName } from './format.ts';
import { DateField, MoneyField, readDate, readMoney } from './typed-inputs.tsx';

export type DealFields = Omit<NewDeal, 'contactIds' | 'companyId'>;

export interface CreateDealProps {
  contact: Contact;
  company: Company | undefined;
  /** The name the form starts with (company and thread subject). */
  suggestedName: string;
  /** The default pipeline, whose open stages the deal can start in. */
  pipeline: Pipeline | undefined;
  /** The currency values are shown in while typed (the org's, as its other deals show). */
  currency: string;
  locale: string;
  now: Date;
  /** `key` is one per opening of the form: the same deal is never queued twice, however often Create is pressed. */
  onCreate: (fields: DealFields, key: string) => void;
}

/** A button, then a small form: name (suggested), value, close date and stage; one deal per opening. */
export function CreateDeal({ contact, company, suggestedName, pipeline, currency, locale, now, onCreate }: CreateDealProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [closeDate, setCloseDate] = useState('');
  const [stage, setStage] = useState('');
  const [tried, setTried] = useState(false);
  const key = useRef<string | null>(null);
  const stages = [...(pipeline?.stages ?? [])].filter((s) => !s.isWon && !s.isLost).sort((a, b) => a.position - b.position);

  const start = () => {
    key.current = globalThis.crypto.randomUUID();
    setName(suggestedName);
    setValue('');
    setCloseDate('');
    setStage(stages[0]?.id ?? '');
    setTried(false);
    setOpen(true);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    const money = readMoney(value, locale);
    const date = readDate(closeDate, locale, now);
    if (!name.trim() || !money.ok || !date.ok || !key.current) return;
    const fields: DealFields = {
      name: name.trim(),
      ...(money.value !== null ? { valueCents: money.value } : {}),
      ...(date.value ? { expectedCloseDate: date.value } : {}),
      ...(stage ? { stage } : {}),
    };
    onCreate(fields, key.current);
    key.current = null; // a second submit of this opening does nothing
    setOpen(false);
  };

  if (!open) {
    return (
      <div className="crm-row">
        <button type="button" onClick={start} aria-label={`Create a deal with ${contactName(contact)}`}>
          + New deal
        </button>
      </div>
    );
  }
  return (
    <form className="crm-card crm-form" aria-label={`New deal with ${company?.name ?? contactName(contact)}`} onSubmit={submit}>
      <label htmlFor={`${id}-name`}>
        Name
        <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-invalid={tried && !name.trim() ? true : undefined} autoFocus />
      </label>
      {tried && !name.trim() && <p role="alert" className="crm-overdue crm-small">Give the deal a name.</p>}
      <div className="crm-two">
        <MoneyField label="Value" text={value} onText={setValue} locale={locale} currency={currency} showProblem={tried} />
        {stages.length > 0 && (
          <label htmlFor={`${id}-stage`} className="crm-grow">
            Stage
            <select id={`${id}-stage`} value={stage} onChange={(e) => setStage(e.target.value)}>
              {stages.map((s) => (
                <option key={s.id} value={s.id}>{s.name}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      <DateField label="Close date" text={closeDate} onText={setCloseDate} locale={locale} now={now} showProblem={tried} />
      <div className="crm-row">
        <button type="submit" className="crm-primary">Create deal</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
