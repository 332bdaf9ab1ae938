// The SOQL subset parser, table-driven: what it understands and what it refuses as Salesforce does.
import { describe, expect, it } from 'vitest';
import { parseSoql } from './soql.ts';
import { SfError } from './store.ts';

describe('parseSoql', () => {
  it.each([
    ['SELECT Id FROM Contact', { fields: ['Id'], from: 'Contact', where: null, limit: null }],
    ['select Id, Account.Name from Contact limit 5 offset 10', { fields: ['Id', 'Account.Name'], limit: 5, offset: 10 }],
    ['SELECT COUNT() FROM Account', { count: true, fields: [] }],
    ["SELECT Id FROM Contact WHERE Email = 'a\\'b@x.example'", { where: { kind: 'compare', field: 'Email', op: '=', value: { kind: 'string', value: "a'b@x.example" } } }],
    ['SELECT Id FROM Contact WHERE SystemModstamp > 2026-01-02T03:04:05Z', { where: { kind: 'compare', field: 'SystemModstamp', op: '>', value: { kind: 'datetime', value: Date.parse('2026-01-02T03:04:05Z') } } }],
    ['SELECT Id FROM Contact WHERE SystemModstamp >= 2026-01-02T03:04:05.000+0100', { where: { kind: 'compare', field: 'SystemModstamp', op: '>=', value: { kind: 'datetime', value: Date.parse('2026-01-02T02:04:05Z') } } }],
    ['SELECT Id FROM Opportunity WHERE CloseDate <= 2026-03-31 AND Amount != null', { where: { kind: 'and', left: { kind: 'compare', field: 'CloseDate', op: '<=', value: { kind: 'date', value: '2026-03-31' } }, right: { kind: 'compare', field: 'Amount', op: '!=', value: { kind: 'null' } } } }],
    ["SELECT Id FROM Lead WHERE Status NOT IN ('a', 'b') OR Name LIKE 'Jo%'", { where: { kind: 'or', left: { kind: 'in', field: 'Status', negated: true, values: [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }] }, right: { kind: 'compare', field: 'Name', op: 'like', value: { kind: 'string', value: 'Jo%' } } } }],
    ['SELECT Id FROM Task WHERE NOT (IsDeleted = true)', { where: { kind: 'not', inner: { kind: 'compare', field: 'IsDeleted', op: '=', value: { kind: 'boolean', value: true } } } }],
    ['SELECT Id FROM Contact ORDER BY LastName DESC NULLS LAST, Id', { orderBy: [{ field: 'LastName', descending: true, nullsLast: true }, { field: 'Id', descending: false, nullsLast: false }] }],
  ])('%s', (text, expected) => {
    expect(parseSoql(text)).toMatchObject(expected);
  });

  it.each([
    'SELECT FROM Contact',
    'SELECT Id Contact',
    'SELECT Id FROM Contact WHERE',
    "SELECT Id FROM Contact WHERE Name ~ 'x'",
    'SELECT Id FROM Contact LIMIT 2.5',
    'SELECT Id FROM Contact GROUP BY Id',
  ])('refuses %s with MALFORMED_QUERY', (text) => {
    const error = (() => {
      try {
        parseSoql(text);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SfError);
    expect((error as SfError).errorCode).toBe('MALFORMED_QUERY');
  });
});
