// How the sidebar writes names, money and dates. Locale and `now` are passed in so tests are stable.
import type { Contact } from '../api-client/api-types.ts';
import type { Participant } from './host.ts';

export function contactName(contact: Pick<Contact, 'firstName' | 'lastName' | 'email'>): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ').trim();
  return name || contact.email;
}

/** "Ann Lee" → Ann / Lee; "Lee, Ann" → Ann / Lee; a bare address gives no name. */
export function splitName(participant: Participant): { firstName: string | null; lastName: string | null } {
  const raw = participant.name.replace(/["']/g, '').trim();
  if (!raw || raw.includes('@')) return { firstName: null, lastName: null };
  const comma = /^([^,]+),\s*(.+)$/.exec(raw);
  if (comma) return { firstName: comma[2]!.trim(), lastName: comma[1]!.trim() };
  const space = raw.indexOf(' ');
  return space < 0 ? { firstName: raw, lastName: null } : { firstName: raw.slice(0, space), lastName: raw.slice(space + 1).trim() };
}

export function formatMoney(cents: number, currency: string, locale: string): string {
  try {
    const whole = cents % 100 === 0;
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** A date-only string (2027-03-01) or a timestamp, as a calendar date. */
export function formatDate(value: string, locale: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(dateOnly ? { timeZone: 'UTC' } : {}) }).format(date);
}

const dayNumber = (d: Date) => Math.floor((d.getTime() - d.getTimezoneOffset() * 60_000) / 86_400_000);

/** "Due today", "Due tomorrow", "Overdue · Mar 3, 2027", "Due Mar 9, 2027". */
export function formatDue(dueAt: string | null, now: Date, locale: string): string {
  if (!dueAt) return 'No due date';
  const due = new Date(dueAt);
  const days = dayNumber(due) - dayNumber(now);
  if (days < 0) return `Overdue · ${formatDate(dueAt, locale)}`;
  if (days === 0) return 'Due today';
  if (days === 1) return 'Due tomorrow';
  return `Due ${formatDate(dueAt, locale)}`;
}

/** yyyy-mm-dd in local time, for <input type="date">. */
export function localDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A date input's value as a timestamp at 9:00 local time that day. */
export function dueAtFromDateInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T09:00:00`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export const isOverdue = (dueAt: string | null, now: Date) => !!dueAt && dayNumber(new Date(dueAt)) < dayNumber(now);

/** "just now", "5 minutes ago", "yesterday", "3 days ago"; older than a week: the date. */
export function formatRelative(value: string, now: Date, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24 && dayNumber(date) === dayNumber(now)) return rtf.format(-hours, 'hour');
  const days = dayNumber(now) - dayNumber(date);
  if (days < 7) return rtf.format(-Math.max(days, 1), 'day');
  return formatDate(value, locale);
}

/** A day-precision time (00:00 UTC of the day) as "on Nov 12"; with the year when it is not this year's. */
export function formatDay(value: string, now: Date, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const sameYear = date.getUTCFullYear() === now.getUTCFullYear();
  const text = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(date);
  return `on ${text}`;
}

/** https://www.acme.com/pricing/plans?x=1 → acme.com/pricing/plans?x=1, cut to `max` characters. */
export function shortUrl(url: string, max = 40): string {
  let text = url;
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    text = parsed.host.replace(/^www\./, '') + path + parsed.search + parsed.hash;
  } catch {
    // Not a URL: shown as written.
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
