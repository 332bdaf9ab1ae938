import { describe, expect, it } from 'vitest';
import { centsToDecimal, toCsv, type CsvCell } from './csv.ts';

// The one field of a one-column, one-row CSV: drop the header line and the record's CRLF.
const one = (cell: CsvCell, guardFormulas?: boolean) =>
  toCsv([{ cell }], [{ header: 'h', value: (r) => r.cell }], guardFormulas === undefined ? {} : { guardFormulas }).slice('h\r\n'.length, -2);

describe('toCsv (RFC 4180)', () => {
  it.each<{ name: string; cell: CsvCell; csv: string }>([
    { name: 'plain text', cell: 'Acme Robotics', csv: 'Acme Robotics' },
    { name: 'a comma', cell: 'Acme, Inc.', csv: '"Acme, Inc."' },
    { name: 'quotes', cell: 'The "big" one', csv: '"The ""big"" one"' },
    { name: 'a line break', cell: 'line 1\nline 2', csv: '"line 1\nline 2"' },
    { name: 'a CRLF', cell: 'a\r\nb', csv: '"a\r\nb"' },
    { name: 'leading spaces kept', cell: '  padded ', csv: '  padded ' },
    { name: 'empty text', cell: '', csv: '' },
    { name: 'null', cell: null, csv: '' },
    { name: 'undefined', cell: undefined, csv: '' },
    { name: 'a number', cell: 1234.5, csv: '1234.5' },
    { name: 'a negative number', cell: -5, csv: '-5' },
    { name: 'not a number', cell: Number.NaN, csv: '' },
    { name: 'a boolean', cell: true, csv: 'true' },
    { name: 'a date', cell: new Date('2026-03-15T12:00:00Z'), csv: '2026-03-15T12:00:00.000Z' },
    // Text a spreadsheet would run as a formula is defused.
    { name: 'a formula', cell: '=HYPERLINK("http://x.test","click")', csv: '"\'=HYPERLINK(""http://x.test"",""click"")"' },
    { name: 'a leading @', cell: '@SUM(A1)', csv: "'@SUM(A1)" },
    { name: 'a leading minus in text', cell: '-2+3', csv: "'-2+3" },
  ])('$name', ({ cell, csv }) => {
    expect(one(cell)).toBe(csv);
  });

  it('can leave formulas alone', () => {
    expect(one('=1+1', false)).toBe('=1+1');
  });

  it('writes a header and CRLF-terminated records', () => {
    const rows = [
      { name: 'Acme, Inc.', valueCents: 123_456 },
      { name: 'Bluefin', valueCents: 5 },
    ];
    const csv = toCsv(rows, [
      { header: 'Deal', value: (r) => r.name },
      { header: 'Value (USD)', value: (r) => centsToDecimal(r.valueCents) },
    ]);
    expect(csv).toBe('Deal,Value (USD)\r\n"Acme, Inc.",1234.56\r\nBluefin,0.05\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(toCsv([], [{ header: 'a', value: () => 1 }, { header: 'b', value: () => 2 }])).toBe('a,b\r\n');
  });
});

describe('centsToDecimal', () => {
  it.each([
    { cents: 123_456, text: '1234.56' },
    { cents: 5, text: '0.05' },
    { cents: 0, text: '0.00' },
    { cents: -150, text: '-1.50' },
    { cents: null, text: null },
  ])('$cents → $text', ({ cents, text }) => {
    expect(centsToDecimal(cents)).toBe(text);
  });
});
