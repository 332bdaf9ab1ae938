import type { Deal } from '../api-client/api-types.ts';

export interface DealPickerProps {
  id: string;
  deals: Deal[];
  value: string;
  onChange: (dealId: string) => void;
}

/** Which open deal a note or task belongs to; hidden when there is none. */
export function DealPicker({ id, deals, value, onChange }: DealPickerProps) {
  if (deals.length === 0) return null;
  return (
    <label htmlFor={id}>
      Deal
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">No deal</option>
        {deals.map((d) => (
          <option key={d.id} value={d.id}>{d.name}</option>
        ))}
      </select>
    </label>
  );
}

/** The one open deal is the likely subject; with several, the rep picks. */
export const defaultDealId = (deals: Deal[]) => (deals.length === 1 ? deals[0]!.id : '');
