// Calendar months in UTC ('YYYY-MM'). TODO(2026-03-15): use the org's time zone once it has one.

export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);

export function addMonths(month: string, count: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + count, 1));
  return monthOf(d);
}

/** Every month from `first` to `last`, both included. */
export function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}
