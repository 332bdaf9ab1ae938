// One CSV row → the values to store, or the reasons it cannot be stored. Pure: references to
// other records (stage, owner, company, contact) are resolved by the caller from the names read
// here, since they need the database.
import { parseDateInput } from '../date-input.ts';
import { normalizeEmail } from '../email-address.ts';
import { parseMoneyInput } from '../money-input.ts';
import type { ImportObject } from './fields.ts';
import { isFormulaLike, neutralizeFormula } from './formula.ts';
import type { ColumnMapping } from './mapping.ts';

/** The longest cell kept; longer ones reject their row (a 50 MB "cell" is a broken file, not data). */
export const MAX_CELL_CHARS = 10_000;

// Letters of any script are fine (internationalised addresses); formula characters lead nowhere.
const PLAIN_ADDRESS = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

export interface ContactValues { email: string; firstName: string | null; lastName: string | null; title: string | null; phone: string | null; company: string | null; owner: string | null }
export interface CompanyValues { name: string; domain: string | null; industry: string | null; owner: string | null }
export interface DealValues { name: string; valueCents: number | null; currency: string | null; stage: string | null; expectedCloseDate: string | null; owner: string | null; company: string | null; contactEmail: string | null }

export type RowValues = { contacts: ContactValues; companies: CompanyValues; deals: DealValues };
export type RowResult<O extends ImportObject> = { ok: true; values: RowValues[O] } | { ok: false; reasons: string[] };

export interface RowOptions { locale: string; now: Date }

/** A host name from a domain or a website address: "https://www.Acme.com/about" → "acme.com". */
export function domainFromWebsite(text: string): string | null {
  const host = text.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#:].*$/, '').replace(/^www\./, '');
  return /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(host) ? host : null;
}

/** "Ada Lovelace" → Ada / Lovelace; "Ada" → Ada / null; "Ada King Lovelace" → Ada / King Lovelace. */
export function splitFullName(full: string): { firstName: string | null; lastName: string | null } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  return { firstName: parts[0]!, lastName: parts.length > 1 ? parts.slice(1).join(' ') : null };
}

export function mapRow<O extends ImportObject>(object: O, cells: readonly string[], mapping: ColumnMapping, options: RowOptions): RowResult<O> {
  const reasons: string[] = [];
  const raw: Record<string, string> = {};
  for (const [column, field] of Object.entries(mapping)) {
    const cell = cells[Number(column)] ?? '';
    if (cell.length > MAX_CELL_CHARS) reasons.push(`${field}: the cell has ${cell.length} characters; at most ${MAX_CELL_CHARS} are kept`);
    raw[field] = cell.trim();
  }
  // Free text: kept, with a formula's first character neutralised.
  const text = (field: string) => (raw[field] ? neutralizeFormula(raw[field]!) : null);
  const email = (field: string, required: boolean) => {
    const value = raw[field];
    if (!value) {
      if (required) reasons.push(`${field}: required`);
      return null;
    }
    const normalized = normalizeEmail(value);
    // normalizeEmail is lenient (it reads what mail headers hold); a stored address must also be
    // one a spreadsheet would never take for a formula, e.g. =HYPERLINK("a@b.c").
    if (!normalized || isFormulaLike(value) || !PLAIN_ADDRESS.test(normalized)) reasons.push(`${field}: "${value.slice(0, 80)}" is not an email address`);
    return normalized;
  };
  const required = (field: string) => {
    const value = text(field);
    if (!value) reasons.push(`${field}: required`);
    return value ?? '';
  };
  const done = <V>(values: V) => (reasons.length ? { ok: false as const, reasons } : { ok: true as const, values });

  if (object === 'contacts') {
    const mail = email('email', true);
    const split = raw.fullName ? splitFullName(raw.fullName) : { firstName: null, lastName: null };
    return done<ContactValues>({
      email: mail ?? '',
      firstName: text('firstName') ?? (split.firstName ? neutralizeFormula(split.firstName) : null),
      lastName: text('lastName') ?? (split.lastName ? neutralizeFormula(split.lastName) : null),
      title: text('title'),
      phone: text('phone'),
      company: text('company'),
      owner: raw.owner || null,
    }) as RowResult<O>;
  }
  if (object === 'companies') {
    const name = required('name');
    let domain: string | null = null;
    if (raw.domain) {
      domain = domainFromWebsite(raw.domain);
      if (!domain) reasons.push(`domain: "${raw.domain.slice(0, 80)}" is not a domain or website address`);
    }
    return done<CompanyValues>({ name, domain, industry: text('industry'), owner: email('owner', false) }) as RowResult<O>;
  }
  const name = required('name');
  let valueCents: number | null = null;
  if (raw.value) {
    const money = parseMoneyInput(raw.value, options.locale);
    if (money.ok) valueCents = money.cents;
    else reasons.push(`value: "${raw.value.slice(0, 40)}": ${money.message}`);
  }
  let currency: string | null = null;
  if (raw.currency) {
    currency = raw.currency.toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) reasons.push(`currency: "${raw.currency.slice(0, 20)}" is not a three-letter ISO code (USD, EUR, …)`);
  }
  let expectedCloseDate: string | null = null;
  if (raw.expectedCloseDate) {
    // Exports write ISO dates or timestamps ("2027-01-15", "2027-01-15 10:00"): the day is the date.
    const iso = /^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$/.exec(raw.expectedCloseDate)?.[1];
    const date = parseDateInput(iso ?? raw.expectedCloseDate, options);
    if (date.ok) expectedCloseDate = date.date;
    else reasons.push(`expectedCloseDate: "${raw.expectedCloseDate.slice(0, 40)}": ${date.message}`);
  }
  return done<DealValues>({
    name,
    valueCents,
    currency,
    stage: raw.stage || null,
    expectedCloseDate,
    owner: raw.owner || null,
    company: raw.company || null,
    contactEmail: email('contactEmail', false),
  }) as RowResult<O>;
}

/** Company names compared for duplicates: case, punctuation and legal suffixes do not matter. */
export function normalizeCompanyName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|corp|corporation|co|company)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
