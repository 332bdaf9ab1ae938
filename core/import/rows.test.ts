import { describe, expect, it } from 'vitest';
import { isFormulaLike, neutralizeFormula } from './formula.ts';
import { domainFromWebsite, mapRow, normalizeCompanyName, splitFullName } from './rows.ts';
import { detectDelimiter, encodingOf } from './sniff.ts';

const options = { locale: 'en-US', now: new Date('2027-01-10T12:00:00Z') };

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.test","click")', `'=HYPERLINK("http://evil.test","click")`],
    ['+cmd|" /C calc"!A0', `'+cmd|" /C calc"!A0`],
    ['-2+3+cmd|"/C calc"!A0', `'-2+3+cmd|"/C calc"!A0`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`],
    ['+1 (555) 010-0100', '+1 (555) 010-0100'],
    ['-12.5', '-12.5'],
    ['Ada', 'Ada'],
    ['VP = Sales', 'VP = Sales'],
  ])('%j → %j', (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
    expect(isFormulaLike(neutralizeFormula(input))).toBe(false);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['email\nx@y.z\n', ','],
    ['"a,1";b;c\n"x,y";2;3\n', ';'],
    ['name,"note; with semicolon"\nAda,"x; y"\n', ','],
  ])('%j → %j', (head, delimiter) => {
    expect(detectDelimiter(head)).toEqual({ ok: true, delimiter });
  });

  it('says a file mixes delimiters', () => {
    const result = detectDelimiter('email;first;last\nada@x.test,Ada,Lovelace\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/mixes delimiters/);
  });
});

describe('encodingOf', () => {
  it.each([
    [[0xef, 0xbb, 0xbf, 0x61], { ok: true, encoding: 'utf-8', bomLength: 3 }],
    [[0xff, 0xfe, 0x61, 0x00], { ok: true, encoding: 'utf-16le', bomLength: 2 }],
    [[0xfe, 0xff, 0x00, 0x61], { ok: true, encoding: 'utf-16be', bomLength: 2 }],
    [[0x61, 0x62], { ok: true, encoding: 'utf-8', bomLength: 0 }],
  ])('%j', (bytes, expected) => {
    expect(encodingOf(new Uint8Array(bytes))).toEqual(expected);
  });
  it('refuses UTF-16 without a byte-order mark', () => {
    expect(encodingOf(new Uint8Array([0x61, 0x00, 0x62, 0x00])).ok).toBe(false);
  });
});

describe('mapRow', () => {
  it('reads a contact, splitting a full name and neutralising formulas', () => {
    const result = mapRow('contacts', ['ADA@Example.test', 'Ada King Lovelace', '=HYPERLINK("x")', 'Acme'], { '0': 'email', '1': 'fullName', '2': 'title', '3': 'company' }, options);
    expect(result).toEqual({ ok: true, values: { email: 'ada@example.test', firstName: 'Ada', lastName: 'King Lovelace', title: `'=HYPERLINK("x")`, phone: null, company: 'Acme', owner: null } });
  });

  it.each([
    { object: 'contacts' as const, cells: [''], mapping: { '0': 'email' }, reason: 'email: required' },
    { object: 'contacts' as const, cells: ['=HYPERLINK("a@b.c")'], mapping: { '0': 'email' }, reason: 'email: "=HYPERLINK("a@b.c")" is not an email address' },
    { object: 'contacts' as const, cells: ['a@b.test', 'x'.repeat(10_001)], mapping: { '0': 'email', '1': 'title' }, reason: 'title: the cell has 10001 characters; at most 10000 are kept' },
    { object: 'companies' as const, cells: ['', 'acme.test'], mapping: { '0': 'name', '1': 'domain' }, reason: 'name: required' },
    { object: 'companies' as const, cells: ['Acme', 'not a site'], mapping: { '0': 'name', '1': 'domain' }, reason: 'domain: "not a site" is not a domain or website address' },
    { object: 'deals' as const, cells: ['Big', 'lots'], mapping: { '0': 'name', '1': 'value' }, reason: 'value: "lots": Enter an amount, like' },
    { object: 'deals' as const, cells: ['Big', 'dollars'], mapping: { '0': 'name', '1': 'currency' }, reason: 'currency: "dollars" is not a three-letter ISO code' },
    { object: 'deals' as const, cells: ['Big', '31/31/2027'], mapping: { '0': 'name', '1': 'expectedCloseDate' }, reason: 'expectedCloseDate: "31/31/2027"' },
  ] as { object: 'contacts' | 'companies' | 'deals'; cells: string[]; mapping: Record<string, string>; reason: string }[])('rejects: $reason', ({ object, cells, mapping, reason }) => {
    const result = mapRow(object, cells, mapping, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join('\n')).toContain(reason);
  });

  it('reads a deal: money, ISO timestamps and dates, currency', () => {
    const result = mapRow('deals', ['Renewal', '$52,000.50', 'eur', 'Qualified', '2027-03-01 00:00', 'Rep@X.test'], { '0': 'name', '1': 'value', '2': 'currency', '3': 'stage', '4': 'expectedCloseDate', '5': 'owner' }, options);
    expect(result).toEqual({ ok: true, values: { name: 'Renewal', valueCents: 5_200_050, currency: 'EUR', stage: 'Qualified', expectedCloseDate: '2027-03-01', owner: 'Rep@X.test', company: null, contactEmail: null } });
  });
});

describe('helpers', () => {
  it.each([
    ['https://www.Acme.com/about', 'acme.com'],
    ['acme.co.uk', 'acme.co.uk'],
    ['http://sub.acme.io:8080', 'sub.acme.io'],
    ['acme', null],
  ])('domainFromWebsite(%j) = %j', (input, output) => expect(domainFromWebsite(input)).toBe(output));
  it.each([
    ['Acme, Inc.', 'acme'],
    ['ACME GmbH', 'acme'],
    ['Société Générale SA', 'societe generale'],
  ])('normalizeCompanyName(%j) = %j', (input, output) => expect(normalizeCompanyName(input)).toBe(output));
  it('splitFullName', () => expect(splitFullName('  Ada  ')).toEqual({ firstName: 'Ada', lastName: null }));
});
