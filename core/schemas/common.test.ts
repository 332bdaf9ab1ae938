import { describe, expect, it } from 'vitest';
import { Currency } from './common.ts';
import { DealCreate } from './deals.ts';
import { ReportQuery } from './reports.ts';

describe('Currency', () => {
  it.each([
    ['USD', true],
    ['EUR', true],
    ['JPY', true],
    ['CHF', true],
    ['usd', false], // codes are upper case
    ['US', false],
    ['USDX', false],
    ['ABC', false], // three letters, but no currency
    ['USS', false],
    ['XYZ', false],
    ['', false],
  ])('%j → %s', (code, valid) => {
    expect(Currency.safeParse(code).success).toBe(valid);
  });

  it('is what deals and money reports accept', () => {
    expect(DealCreate.safeParse({ name: 'X', currency: 'ABC' }).success).toBe(false);
    expect(DealCreate.safeParse({ name: 'X', currency: 'GBP' }).success).toBe(true);
    expect(ReportQuery.safeParse({ currency: 'ABC' }).success).toBe(false);
    expect(ReportQuery.parse({}).currency).toBe('USD');
  });
});
