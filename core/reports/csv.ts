// CSV per RFC 4180: CRLF line ends, and a field holding a comma, quote, CR or LF is quoted with
// its quotes doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
// gets a leading apostrophe (OWASP's advice), since names and subjects come from outside. The
// cells themselves are written by core/export/csv-cells.ts, which the streamed exports share.
import { cellText, quoteField, type CsvCell } from '../export/csv-cells.ts';

export type { CsvCell };

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], options: { guardFormulas?: boolean } = {}): string {
  const guard = options.guardFormulas ?? true;
  const line = (cells: string[]) => `${cells.map(quoteField).join(',')}\r\n`;
  return line(columns.map((c) => cellText(c.header, guard))) + rows.map((row) => line(columns.map((c) => cellText(c.value(row), guard)))).join('');
}

/** 123456 → "1234.56", for money columns a spreadsheet reads as numbers. */
export function centsToDecimal(cents: number | null): string | null {
  if (cents === null) return null;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
