// CSV cells and records per RFC 4180, with OWASP's CSV-injection guard: text a spreadsheet would
// run as a formula (first character =, +, -, @, tab or CR) gets a leading apostrophe, so Excel,
// LibreOffice and Sheets show it as text. Names, subjects and bodies come from outside (emails,
// imports, other CRMs), so every exported text cell goes through here. What counts as a formula is
// the importer's own rule (core/import/formula.ts), so a file exported and imported again comes
// back the same: plain numbers and phone numbers ("+1 415 555 0100", "-12.5") have no function to
// call and stay as they are.
import { isFormulaLike } from '../import/formula.ts';

export type CsvCell = string | number | boolean | Date | null | undefined;

/** '=HYPERLINK(…)' → "'=HYPERLINK(…)"; anything else unchanged. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/** A cell as the text of its field (not yet quoted). Numbers stay numbers: only text is guarded. */
export function cellText(cell: CsvCell, guardFormulas = true): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return guardFormulas ? neutraliseFormula(cell) : cell;
}

/** A field holding a comma, quote, CR or LF is quoted, its quotes doubled. */
export function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** One CRLF-terminated record. */
export function csvRecord(cells: readonly CsvCell[], guardFormulas = true): string {
  return `${cells.map((c) => quoteField(cellText(c, guardFormulas))).join(',')}\r\n`;
}
