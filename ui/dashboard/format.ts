// How the web app writes money, dates and counts: one place, so the board, tables and reports agree.

const compactCache = new Map<string, Intl.NumberFormat>();
const fullCache = new Map<string, Intl.NumberFormat>();

function formatter(cache: Map<string, Intl.NumberFormat>, currency: string, options: Intl.NumberFormatOptions) {
  let f = cache.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency, ...options });
    cache.set(currency, f);
  }
  return f;
}

/** $12,500 */
export const money = (cents: number, currency = 'USD') => formatter(fullCache, currency, { maximumFractionDigits: 0 }).format(cents / 100);

/** $12.5K, for tight places (column totals, cards). */
export const moneyShort = (cents: number, currency = 'USD') =>
  formatter(compactCache, currency, { notation: 'compact', maximumFractionDigits: 1 }).format(cents / 100);

export const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const percent = (rate: number | null, digits = 0) => (rate === null ? '—' : `${(rate * 100).toFixed(digits)}%`);

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayYearFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A YYYY-MM-DD day: "Dec 15" this year, "Dec 15, 2027" otherwise. */
export function day(date: string | null, now = new Date()): string {
  if (!date) return '—';
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return d.getUTCFullYear() === now.getUTCFullYear() ? dayFormat.format(d) : dayYearFormat.format(d);
}

export const dateTime = (iso: string) => dateTimeFormat.format(new Date(iso));

/** 'YYYY-MM' → "Dec 2026". */
export const month = (ym: string) => monthFormat.format(new Date(`${ym}-01T00:00:00Z`));

/** "3 days ago", "in 2 days", "today". */
export function relativeDay(iso: string, now = new Date()): string {
  const days = Math.round((Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) - now.getTime()) / 86_400_000);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}

export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** Initials for an avatar: "Riley Park" → "RP". */
export const initials = (name: string | null | undefined) =>
  (name ?? '?')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/** Dollars typed by a person → cents; null when it is not a number. */
export function parseMoney(text: string): number | null {
  const cleaned = text.replace(/[$,\s]/g, '');
  if (cleaned === '') return null;
  const value = Number(cleaned.replace(/k$/i, '')) * (/k$/i.test(cleaned) ? 1000 : 1);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * 100) : null;
}
