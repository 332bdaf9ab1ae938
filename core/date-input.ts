// A calendar date as a person types it: "2027-01-15", "15.01.2027" or "1/15/27" in their locale's
// order, "Jan 15", "15 March", "tomorrow", "friday", "in 2 weeks", "end of month". Answers a
// date-only string (YYYY-MM-DD), the form the API keeps close dates in. Pure: `now` and the locale
// are passed in; "today" is the calendar day of `now` in the local time zone.

export type DateInput = { ok: true; date: string } | { ok: false; message: string };

const DAY = 86_400_000;
const englishMonths = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Day {
  y: number;
  m: number; // 1..12
  d: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = ({ y, m, d }: Day) => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const valid = ({ y, m, d }: Day) => y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
const toUtc = ({ y, m, d }: Day) => Date.UTC(y, m - 1, d);
const fromUtc = (t: number): Day => {
  const x = new Date(t);
  return { y: x.getUTCFullYear(), m: x.getUTCMonth() + 1, d: x.getUTCDate() };
};
const addDays = (day: Day, n: number) => fromUtc(toUtc(day) + n * DAY);
const addMonths = ({ y, m, d }: Day, n: number): Day => {
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return { y: ny, m: nm, d: Math.min(d, daysIn(ny, nm)) };
};

/** The order of day, month and year in the locale's numeric dates: "mdy" (en-US), "dmy" (de-DE), "ymd" (ja-JP). */
export function dateOrderOf(locale: string): 'mdy' | 'dmy' | 'ymd' {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(Date.UTC(2027, 0, 15)));
  } catch {
    return 'mdy';
  }
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type[0]).join('');
  return order === 'dmy' || order === 'ymd' ? order : 'mdy';
}

/** Month names of the locale (and English), lower-case, long and short, to their number. */
function monthNames(locale: string): Map<string, number> {
  const names = new Map<string, number>();
  englishMonths.forEach((name, i) => {
    names.set(name, i + 1);
    names.set(name.slice(0, 3), i + 1);
    if (name === 'september') names.set('sept', 9);
  });
  for (const month of ['long', 'short'] as const) {
    try {
      const format = new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' });
      for (let i = 0; i < 12; i++) names.set(format.format(new Date(Date.UTC(2027, i, 15))).toLowerCase().replace(/\.$/, ''), i + 1);
    } catch {
      // English only.
    }
  }
  return names;
}

/** A year written with two digits is in this century; no year: the next time that day comes, today included. */
function withYear(m: number, d: number, year: string | undefined, today: Day): Day {
  if (year !== undefined) {
    const y = Number(year);
    return { y: year.length <= 2 ? 2000 + y : y, m, d };
  }
  const thisYear = { y: today.y, m, d };
  return toUtc(thisYear) >= toUtc(today) ? thisYear : { y: today.y + 1, m, d };
}

const hint = (locale: string) => {
  const order = dateOrderOf(locale);
  const example = order === 'dmy' ? '15.01.2027' : order === 'ymd' ? '2027-01-15' : '1/15/2027';
  return `Enter a date like ${example}, Jan 15 or "in 2 weeks".`;
};

export function parseDateInput(text: string, options: { locale: string; now: Date }): DateInput {
  const raw = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/,/g, ' ').trim();
  const now = options.now;
  const today: Day = { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
  const answer = (day: Day | null): DateInput => (day && valid(day) ? { ok: true, date: iso(day) } : { ok: false, message: hint(options.locale) });
  if (!raw) return { ok: false, message: hint(options.locale) };

  // Words for days near today.
  if (raw === 'today' || raw === 'now') return answer(today);
  if (raw === 'tomorrow' || raw === 'tmrw') return answer(addDays(today, 1));
  const relative = /^(?:in )?(\d{1,3}) ?(d|days?|w|wks?|weeks?|m|mos?|months?)(?: from now)?$/.exec(raw);
  if (relative) {
    const n = Number(relative[1]);
    const unit = relative[2]![0];
    return answer(unit === 'd' ? addDays(today, n) : unit === 'w' ? addDays(today, 7 * n) : addMonths(today, n));
  }
  if (raw === 'next week') return answer(addDays(today, 7));
  if (raw === 'next month') return answer(addMonths(today, 1));
  if (/^(end of (the )?month|eom)$/.test(raw)) return answer({ y: today.y, m: today.m, d: daysIn(today.y, today.m) });
  if (/^(end of (the )?quarter|eoq)$/.test(raw)) {
    const m = Math.ceil(today.m / 3) * 3;
    return answer({ y: today.y, m, d: daysIn(today.y, m) });
  }
  if (/^(end of (the )?year|eoy)$/.test(raw)) return answer({ y: today.y, m: 12, d: 31 });
  const weekday = /^(?:next )?([a-z]{3,9})$/.exec(raw);
  const target = weekday ? weekdays.findIndex((w) => w.startsWith(weekday[1]!)) : -1;
  if (target >= 0) {
    const current = new Date(toUtc(today)).getUTCDay();
    const ahead = (target - current + 7) % 7 || 7; // "friday" on a Friday means the next one
    return answer(addDays(today, ahead));
  }

  // ISO: 2027-01-15
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (isoMatch) return answer({ y: Number(isoMatch[1]), m: Number(isoMatch[2]), d: Number(isoMatch[3]) });

  // Numbers in the locale's order: 15.01.2027, 1/15/27, 15/1 (no year).
  const numeric = /^(\d{1,4})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$/.exec(raw);
  if (numeric) {
    const [a, b, c] = [numeric[1]!, numeric[2]!, numeric[3]];
    if (a.length === 4) return answer(c ? { y: Number(a), m: Number(b), d: Number(c) } : null);
    const order = dateOrderOf(options.locale);
    const [m, d] = order === 'dmy' ? [Number(b), Number(a)] : [Number(a), Number(b)];
    return answer(withYear(m, d, c, today));
  }

  // Month names: "jan 15", "15 january 2027", "january 15 2027", "15. März".
  const names = monthNames(options.locale);
  const words = raw.replace(/(\d)(st|nd|rd|th)\b/g, '$1').replace(/\./g, ' ').split(' ').filter(Boolean);
  const monthIndex = words.findIndex((w) => names.has(w));
  if (monthIndex >= 0 && words.length <= 3) {
    const m = names.get(words[monthIndex]!)!;
    const numbers = words.filter((_, i) => i !== monthIndex);
    if (!numbers.every((n) => /^\d{1,4}$/.test(n))) return answer(null);
    const day = numbers.find((n) => n.length <= 2);
    const year = numbers.find((n) => n !== day);
    if (!day) return answer(null);
    return answer(withYear(m, Number(day), year, today));
  }
  return answer(null);
}
