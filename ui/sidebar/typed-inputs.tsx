// Fields for what a person types: an amount ("$52,000", "52k", "52.000,00 €" in their locale) and a
// date (typed: "15.01.2027", "Jan 15", "in 2 weeks"; or picked from the browser's calendar). The
// reading is core/money-input.ts and core/date-input.ts; these show what was understood.
import { useId } from 'react';
import { parseDateInput } from '../../core/date-input.ts';
import { parseMoneyInput } from '../../core/money-input.ts';
import { formatDate, formatMoney } from './format.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Empty is fine (no value): null. */
export function readMoney(text: string, locale: string): Parsed<number | null> {
  if (!text.trim()) return { ok: true, value: null };
  const parsed = parseMoneyInput(text, locale);
  return parsed.ok ? { ok: true, value: parsed.cents } : parsed;
}

/** Empty is fine (no date): null. */
export function readDate(text: string, locale: string, now: Date): Parsed<string | null> {
  if (!text.trim()) return { ok: true, value: null };
  const parsed = parseDateInput(text, { locale, now });
  return parsed.ok ? { ok: true, value: parsed.date } : parsed;
}

interface FieldProps {
  label: string;
  text: string;
  onText: (text: string) => void;
  locale: string;
  /** Shown under the field once the rep tried to save. */
  showProblem?: boolean;
  autoFocus?: boolean;
}

export function MoneyField({ label, text, onText, locale, currency, showProblem = false, autoFocus }: FieldProps & { currency: string }) {
  const id = useId();
  const read = readMoney(text, locale);
  const understood = read.ok && read.value !== null && !/^[\d]+$/.test(text.trim()) ? formatMoney(read.value, currency, locale) : null;
  return (
    <div className="crm-field crm-grow">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        value={text}
        autoFocus={autoFocus}
        placeholder="e.g. 52,000 or 52k"
        onChange={(e) => onText(e.target.value)}
        aria-invalid={!read.ok && showProblem ? true : undefined}
        aria-describedby={`${id}-hint`}
      />
      <span id={`${id}-hint`} className={`crm-small ${!read.ok && showProblem ? 'crm-overdue' : 'crm-muted'}`} role={!read.ok && showProblem ? 'alert' : undefined}>
        {!read.ok ? (showProblem ? read.message : '') : understood ? `= ${understood}` : ''}
      </span>
    </div>
  );
}

export function DateField({ label, text, onText, locale, now, showProblem = false }: FieldProps & { now: Date }) {
  const id = useId();
  const read = readDate(text, locale, now);
  const picked = read.ok && read.value ? read.value : '';
  const understood = read.ok && read.value && !/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? formatDate(read.value, locale) : null;
  return (
    <div className="crm-field crm-grow">
      <label htmlFor={id}>{label}</label>
      <span className="crm-date-field">
        <input
          id={id}
          value={text}
          placeholder="e.g. Jan 15 or in 2 weeks"
          onChange={(e) => onText(e.target.value)}
          aria-invalid={!read.ok && showProblem ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
        <input type="date" aria-label={`Pick the ${label.toLowerCase()}`} value={picked} onChange={(e) => onText(e.target.value)} />
      </span>
      <span id={`${id}-hint`} className={`crm-small ${!read.ok && showProblem ? 'crm-overdue' : 'crm-muted'}`} role={!read.ok && showProblem ? 'alert' : undefined}>
        {!read.ok ? (showProblem ? read.message : '') : understood ? `= ${understood}` : ''}
      </span>
    </div>
  );
}
