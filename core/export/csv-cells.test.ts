import { describe, expect, it } from 'vitest';
import { csvRecord, neutraliseFormula, type CsvCell } from './csv-cells.ts';

describe('neutraliseFormula (OWASP CSV injection)', () => {
  it.each<{ name: string; text: string; out: string }>([
    { name: 'a formula', text: '=HYPERLINK("http://evil.test","click")', out: '\'=HYPERLINK("http://evil.test","click")' },
    { name: 'a plus formula', text: '+SUM(A1:A2)', out: "'+SUM(A1:A2)" },
    { name: 'a phone number is data', text: '+1 415 555 0100', out: '+1 415 555 0100' },
    { name: 'a negative number is data', text: '-12.5', out: '-12.5' },
    { name: 'a minus', text: '-2+3', out: "'-2+3" },
    { name: 'an at sign', text: '@SUM(A1:A9)', out: "'@SUM(A1:A9)" },
    { name: 'a leading tab', text: '\t=1+1', out: "'\t=1+1" },
    { name: 'a leading CR', text: '\r=1+1', out: "'\r=1+1" },
    { name: 'DDE payload', text: "=cmd|' /C calc'!A0", out: "'=cmd|' /C calc'!A0" },
    { name: 'a formula character later on', text: 'Acme = best', out: 'Acme = best' },
    { name: 'an email', text: 'ann@acme.test', out: 'ann@acme.test' },
    { name: 'a leading space', text: ' =1', out: ' =1' },
    { name: 'empty', text: '', out: '' },
  ])('$name', ({ text, out }) => {
    expect(neutraliseFormula(text)).toBe(out);
  });
});

describe('csvRecord (RFC 4180)', () => {
  it.each<{ name: string; cells: CsvCell[]; csv: string }>([
    { name: 'plain cells', cells: ['Acme', 'ann@acme.test'], csv: 'Acme,ann@acme.test\r\n' },
    { name: 'a comma is quoted', cells: ['Acme, Inc.'], csv: '"Acme, Inc."\r\n' },
    { name: 'quotes are doubled', cells: ['The "big" one'], csv: '"The ""big"" one"\r\n' },
    { name: 'line breaks are quoted', cells: ['a\nb', 'c\r\nd'], csv: '"a\nb","c\r\nd"\r\n' },
    { name: 'null and undefined are empty', cells: [null, undefined, ''], csv: ',,\r\n' },
    { name: 'numbers stay numbers, negative ones too', cells: [-5, 12.5, Number.NaN], csv: '-5,12.5,\r\n' },
    { name: 'booleans and dates', cells: [true, new Date('2026-03-15T12:00:00Z')], csv: 'true,2026-03-15T12:00:00.000Z\r\n' },
    { name: 'a formula with quotes is guarded, then quoted', cells: ['=HYPERLINK("x")'], csv: '"\'=HYPERLINK(""x"")"\r\n' },
  ])('$name', ({ cells, csv }) => {
    expect(csvRecord(cells)).toBe(csv);
  });

  it('leaves formulas alone when asked to', () => {
    expect(csvRecord(['=1+1'], false)).toBe('=1+1\r\n');
  });
});
