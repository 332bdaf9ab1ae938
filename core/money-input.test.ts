import { describe, expect, it } from 'vitest';
import { formatMoneyInput, parseMoneyInput } from './money-input.ts';

describe('parseMoneyInput: what people type, in their locale', () => {
  it.each([
    // en-US: "," groups thousands, "." is the decimal mark
    { text: '52000', locale: 'en-US', cents: 5_200_000 },
    { text: '$52,000', locale: 'en-US', cents: 5_200_000 },
    { text: '52,000.50', locale: 'en-US', cents: 5_200_050 },
    { text: '$1,250,000', locale: 'en-US', cents: 125_000_000 },
    { text: '52k', locale: 'en-US', cents: 5_200_000 },
    { text: '52 K', locale: 'en-US', cents: 5_200_000 },
    { text: '$52k', locale: 'en-US', cents: 5_200_000 },
    { text: '1.5m', locale: 'en-US', cents: 150_000_000 },
    { text: '2bn', locale: 'en-US', cents: 200_000_000_000 },
    { text: '12.5', locale: 'en-US', cents: 1250 },
    { text: 'USD 52,000', locale: 'en-US', cents: 5_200_000 },
    { text: '52000 usd', locale: 'en-US', cents: 5_200_000 },
    // Both marks: the last one is the decimal mark, whatever the locale.
    { text: '52.000,00 €', locale: 'en-US', cents: 5_200_000 },
    { text: '0', locale: 'en-US', cents: 0 },
    // de-DE: "." groups thousands, "," is the decimal mark
    { text: '52.000,00 €', locale: 'de-DE', cents: 5_200_000 },
    { text: '52.000', locale: 'de-DE', cents: 5_200_000 },
    { text: '52,5', locale: 'de-DE', cents: 5250 },
    { text: '52k €', locale: 'de-DE', cents: 5_200_000 },
    { text: '1,5 Mio', locale: 'de-DE', cents: 150_000_000 },
    // fr-FR and de-CH: spaces and apostrophes group thousands
    { text: '52 000 €', locale: 'fr-FR', cents: 5_200_000 },
    { text: '52\u202f000,50', locale: 'fr-FR', cents: 5_200_050 },
    { text: "CHF 52'000", locale: 'de-CH', cents: 5_200_000 },
    // One mark that cannot group thousands is a decimal mark.
    { text: '1234,5', locale: 'en-US', cents: 123_450 },
  ])('$text in $locale → $cents cents', ({ text, locale, cents }) => {
    expect(parseMoneyInput(text, locale)).toEqual({ ok: true, cents });
  });

  it.each([
    { text: '', message: /Enter an amount/ },
    { text: 'lots', message: /Enter an amount/ },
    { text: '-500', message: /negative/ },
    { text: '52k to 60k', message: /one amount/ },
    { text: '1.2.3', message: /Enter an amount/ },
    { text: '5.20,5', message: /Enter an amount/ },
    { text: '99999999999999999', message: /too large/ },
  ])('refuses "$text"', ({ text, message }) => {
    const result = parseMoneyInput(text, 'en-US');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('the hint follows the locale', () => {
    const result = parseMoneyInput('abc', 'de-DE');
    expect(!result.ok && result.message).toBe('Enter an amount, like 52.000 or 52k.');
  });
});

describe('formatMoneyInput: what the edit field starts with', () => {
  it.each([
    { cents: 5_200_000, locale: 'en-US', text: '52,000' },
    { cents: 125_050, locale: 'en-US', text: '1,250.50' },
    { cents: 5_200_000, locale: 'de-DE', text: '52.000' },
  ])('$cents in $locale → $text', ({ cents, locale, text }) => {
    expect(formatMoneyInput(cents, locale)).toBe(text);
    expect(parseMoneyInput(text, locale)).toEqual({ ok: true, cents });
  });
});
