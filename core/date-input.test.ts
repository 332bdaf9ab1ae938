import { describe, expect, it } from 'vitest';
import { dateOrderOf, parseDateInput } from './date-input.ts';

// Thursday 3 December 2026, noon, in the local time zone.
const now = new Date(2026, 11, 3, 12, 0);

describe('parseDateInput: dates typed', () => {
  it.each([
    { text: '2027-01-15', locale: 'en-US', date: '2027-01-15' },
    { text: '1/15/2027', locale: 'en-US', date: '2027-01-15' },
    { text: '1/15/27', locale: 'en-US', date: '2027-01-15' },
    { text: '15/1/2027', locale: 'en-GB', date: '2027-01-15' },
    { text: '15.01.2027', locale: 'de-DE', date: '2027-01-15' },
    { text: '15.1.', locale: 'de-DE', date: '2027-01-15' },
    // No year: the next time that day comes.
    { text: '12/20', locale: 'en-US', date: '2026-12-20' },
    { text: '11/20', locale: 'en-US', date: '2027-11-20' },
    { text: '12/3', locale: 'en-US', date: '2026-12-03' },
    { text: 'Jan 15', locale: 'en-US', date: '2027-01-15' },
    { text: 'January 15, 2027', locale: 'en-US', date: '2027-01-15' },
    { text: '15 March', locale: 'en-GB', date: '2027-03-15' },
    { text: 'dec 24th', locale: 'en-US', date: '2026-12-24' },
    { text: '15. März 2027', locale: 'de-DE', date: '2027-03-15' },
    { text: 'Sept 1', locale: 'en-US', date: '2027-09-01' },
    { text: 'today', locale: 'en-US', date: '2026-12-03' },
    { text: 'Tomorrow', locale: 'en-US', date: '2026-12-04' },
    { text: 'in 2 weeks', locale: 'en-US', date: '2026-12-17' },
    { text: '10 days', locale: 'en-US', date: '2026-12-13' },
    { text: 'in 3 months', locale: 'en-US', date: '2027-03-03' },
    { text: 'next week', locale: 'en-US', date: '2026-12-10' },
    { text: 'friday', locale: 'en-US', date: '2026-12-04' },
    { text: 'thursday', locale: 'en-US', date: '2026-12-10' },
    { text: 'next mon', locale: 'en-US', date: '2026-12-07' },
    { text: 'end of month', locale: 'en-US', date: '2026-12-31' },
    { text: 'EOQ', locale: 'en-US', date: '2026-12-31' },
  ])('"$text" in $locale → $date', ({ text, locale, date }) => {
    expect(parseDateInput(text, { locale, now })).toEqual({ ok: true, date });
  });

  it.each(['', 'soon', '2/30/2027', '13/45', '2027-02-29', 'jan 40', 'someday in march'])('refuses "%s" with an example in the locale', (text) => {
    const result = parseDateInput(text, { locale: 'de-DE', now });
    expect(result).toEqual({ ok: false, message: 'Enter a date like 15.01.2027, Jan 15 or "in 2 weeks".' });
  });

  it.each([
    { locale: 'en-US', order: 'mdy' },
    { locale: 'en-GB', order: 'dmy' },
    { locale: 'de-DE', order: 'dmy' },
    { locale: 'ja-JP', order: 'ymd' },
  ])('$locale writes dates $order', ({ locale, order }) => {
    expect(dateOrderOf(locale)).toBe(order);
  });
});
