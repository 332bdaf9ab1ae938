// What a person types for an amount of money, read the way they meant it in their own locale:
// "$52,000", "52k", "52.000,00 €", "1.5m", "52 000". Pure: the locale is passed in.

export type MoneyInput = { ok: true; cents: number } | { ok: false; message: string };

const multipliers: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, mio: 1e6, b: 1e9, bn: 1e9 };
const MAX_CENTS = 1e15; // the API's limit for valueCents

/** The locale's decimal and grouping characters, e.g. en-US "." and ",", de-DE "," and ".". */
export function separatorsOf(locale: string): { decimal: string; group: string } {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  } catch {
    parts = new Intl.NumberFormat('en-US').formatToParts(12345.6);
  }
  return { decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', group: parts.find((p) => p.type === 'group')?.value ?? ',' };
}

/**
 * Reads an amount in the deal's currency. Symbols, codes and spaces are ignored; "k", "m", "bn"
 * multiply. With both "." and "," the last one is the decimal mark. With one of them only, it is
 * the locale's decimal mark unless it groups thousands (exactly three digits after each one, more
 * than one of them, or the locale's grouping character), so "52,000" is 52000 in en-US and
 * "52,5" is 52.5 in de-DE.
 */
export function parseMoneyInput(text: string, locale: string): MoneyInput {
  const hint = `Enter an amount, like ${example(locale)}.`;
  // Spaces, apostrophes and no-break spaces that group thousands ("52 000", "52'000") go first.
  const raw = text.trim().toLowerCase().replace(/(\d)[\s\u00a0\u202f'’](?=\d{3}(?!\d))/g, '$1');
  if (!/\d/.test(raw)) return { ok: false, message: hint };
  if (/-\s*[\d.,]|\(\s*[^)]*\d/.test(raw)) return { ok: false, message: 'The value cannot be negative.' };
  const suffix = /([\d.,])\s*(k|mm|mio|m|bn|b)\b\.?[^\d]*$/.exec(raw);
  const multiplier = suffix ? multipliers[suffix[2]!]! : 1;
  const amount = suffix ? raw.slice(0, suffix.index + 1) : raw;
  // Two numbers ("52k to 60k", "52 60") are not one amount.
  if (/[\d.,][^\d.,]+\d/.test(amount)) return { ok: false, message: 'Enter one amount, like 52,000 or 52k.' };
  const number = toNumber(amount.replace(/[^\d.,]/g, ''), separatorsOf(locale));
  if (number === null) return { ok: false, message: hint };
  const cents = Math.round(number * multiplier * 100);
  if (!Number.isFinite(cents) || cents > MAX_CENTS) return { ok: false, message: 'That amount is too large.' };
  return { ok: true, cents };
}

/** Digits with "." and "," only; null when they cannot be one number. */
function toNumber(body: string, { decimal, group }: { decimal: string; group: string }): number | null {
  const marks = [...new Set(body.match(/[.,]/g) ?? [])];
  let decimalMark: string | null;
  if (marks.length === 0) decimalMark = null;
  else if (marks.length === 2) decimalMark = body[Math.max(body.lastIndexOf('.'), body.lastIndexOf(','))]!;
  else {
    const mark = marks[0]!;
    const parts = body.split(mark);
    const groupsThousands = parts[0]!.length >= 1 && parts[0]!.length <= 3 && parts.slice(1).every((p) => p.length === 3);
    if (parts.length > 2) decimalMark = groupsThousands ? null : 'invalid';
    else decimalMark = groupsThousands && (mark === group || mark !== decimal) ? null : mark;
  }
  if (decimalMark === 'invalid') return null;
  const cut = decimalMark ? body.lastIndexOf(decimalMark) : body.length;
  const whole = body.slice(0, cut);
  const fraction = decimalMark ? body.slice(cut + 1) : '';
  if (/[.,]/.test(fraction)) return null;
  const groups = whole.split(/[.,]/);
  // Marks before the decimal one group thousands: "52.000,5" yes, "5.20,5" no.
  if (groups.length > 1 && !(groups[0]!.length >= 1 && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3))) return null;
  const digits = groups.join('');
  if (!digits && !fraction) return null;
  return Number(`${digits || '0'}.${fraction || '0'}`);
}

const example = (locale: string) => (separatorsOf(locale).decimal === ',' ? '52.000 or 52k' : '52,000 or 52k');

/** Cents as the rep would type them back in the edit field: 52000 → "52,000", 1250.5 → "1,250.50". */
export function formatMoneyInput(cents: number, locale: string): string {
  const whole = cents % 100 === 0;
  try {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
  } catch {
    return (cents / 100).toFixed(whole ? 0 : 2);
  }
}
