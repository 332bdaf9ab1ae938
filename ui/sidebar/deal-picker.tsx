import type { Deal } from '../api-client/api-types.ts';

export interface DealPickerProps {
  id: string;
  deals: Deal[];
  /** A deal id, NO_DEAL, or '' while the rep has not chosen among several. */
  value: string;
  onChange: (value: string) => void;
}

export const NO_DEAL = 'none';

/** Which open deal a note or task belongs to; hidden when there is none. */
export function DealPicker({ id, deals, value, onChange }: DealPickerProps) {
  if (deals.length === 0) return null;
  return (
    <label htmlFor={id} className="crm-grow">
      Deal
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required aria-invalid={value === '' ? true : undefined}>
        {value === '' && <option value="" disabled>Choose a deal…</option>}
        {deals.map((d) => (
          <option key={d.id} value={d.id}>{d.name}</option>
        ))}
        <option value={NO_DEAL}>No deal</option>
      </select>
    </label>
  );
}

/**
 * What a new note or task is attached to before the rep says: the one open deal; with several, the
 * one last used on this thread, else nothing yet (the rep picks).
 */
export function defaultDealId(deals: Deal[], lastUsed: string | null): string {
  if (deals.length === 0) return NO_DEAL;
  if (deals.length === 1) return deals[0]!.id;
  return lastUsed && deals.some((d) => d.id === lastUsed) ? lastUsed : '';
}

/** The picker's value as the change's deal ids. */
export const dealIdsOf = (value: string, deals: Deal[]) => (deals.some((d) => d.id === value) ? [value] : []);
