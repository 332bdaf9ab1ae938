import { describe, expect, it } from 'vitest';
import { companyNameFromDomain } from '../../core/company-from-email.ts';
import { formatDay, formatDue, formatMoney, formatRelative, shortUrl, splitName } from './format.ts';

describe('format', () => {
  it.each([
    ['acme.com', 'Acme'],
    ['north-wind.co.uk', 'North Wind'],
    ['mail.bigbank.com', 'Bigbank'],
    ['example.com.au', 'Example'],
  ])('company name from %s → %s', (domain, name) => expect(companyNameFromDomain(domain)).toBe(name));

  it.each([
    ['Ann Lee', { firstName: 'Ann', lastName: 'Lee' }],
    ['Lee, Ann', { firstName: 'Ann', lastName: 'Lee' }],
    ['"Ann Marie van Dyke"', { firstName: 'Ann', lastName: 'Marie van Dyke' }],
    ['Cher', { firstName: 'Cher', lastName: null }],
    ['ann@acme.test', { firstName: null, lastName: null }],
    ['', { firstName: null, lastName: null }],
  ])('splits %j', (name, expected) => expect(splitName({ name, email: 'x@y.test' })).toEqual(expected));

  it.each([
    [1_200_000, 'USD', '$12,000'],
    [1_234_550, 'EUR', '€12,345.50'],
    [0, 'GBP', '£0'],
  ])('%i cents %s → %s', (cents, currency, text) => expect(formatMoney(cents, currency, 'en-US')).toBe(text));

  it.each([
    ['2026-11-19T09:00:00Z', 'Overdue · Nov 19, 2026'],
    ['2026-11-20T15:00:00Z', 'Due today'],
    ['2026-11-21T15:00:00Z', 'Due tomorrow'],
    [null, 'No due date'],
  ])('due %s → %s', (due, text) => expect(formatDue(due, new Date('2026-11-20T12:00:00Z'), 'en-US')).toBe(text));

  const now = new Date('2026-11-20T12:00:00Z');
  it.each([
    ['2026-11-20T11:59:40Z', 'just now'],
    ['2026-11-20T11:55:00Z', '5 minutes ago'],
    ['2026-11-20T11:00:00Z', '1 hour ago'],
    ['2026-11-18T11:00:00Z', '2 days ago'],
    ['2026-11-01T11:00:00Z', 'Nov 1, 2026'],
  ])('%s relative to noon → %s', (at, text) => {
    // Whole days are counted in the local time zone; these are far enough from midnight anywhere near UTC.
    expect(formatRelative(at, now, 'en-US')).toBe(text);
  });

  it.each([
    ['2026-11-12T00:00:00Z', 'on Nov 12'],
    ['2025-12-30T00:00:00Z', 'on Dec 30, 2025'],
  ])('day %s → %s', (at, text) => expect(formatDay(at, now, 'en-US')).toBe(text));

  it.each([
    ['https://www.acme.com/', 'acme.com'],
    ['https://acme.com/pricing?plan=team', 'acme.com/pricing?plan=team'],
    ['https://docs.acme.com/a/very/long/path/that/goes/on/and/on/forever', 'docs.acme.com/a/very/long/path/that/goe…'],
  ])('short url %s → %s', (url, text) => expect(shortUrl(url)).toBe(text));
});
