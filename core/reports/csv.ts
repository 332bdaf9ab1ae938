// CSV per RFC 4180: CRLF line ends, and a field holding a comma, quote, CR or LF is quoted with
// its quotes doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
// gets a leading apostrophe (OWASP's advice), since names and subjects come from outside.
export type CsvCell = string | number | boolean | Date | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], options: { guardFormulas?: boolean } = {}): string {
  const guard = options.guardFormulas ?? true;
  const line = (cells: string[]) => `${cells.map(quote).join(',')}\r\n`;
  return line(columns.map((c) => text(c.header, guard))) + rows.map((row) => line(columns.map((c) => text(c.value(row), guard)))).join('');
}

/** 123456 → "1234.56", for money columns a spreadsheet reads as numbers. */
export function centsToDecimal(cents: number | null): string | null {
  if (cents === null) return null;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function text(cell: CsvCell, guard: boolean): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return guard && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
