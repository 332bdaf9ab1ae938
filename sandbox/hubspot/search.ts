// CRM search: filter groups (OR of ANDs), sorts, a text query, paging by offset, and HubSpot's
// limits: 200 per page, 5 groups, 10 filters per group, 25 in all, no paging past 10,000 results.
import type { PropertyDef } from './schema.ts';
import { HsError, parseHubSpotTime, type HsRecord } from './store.ts';

interface Filter { propertyName: string; operator: string; value?: unknown; highValue?: unknown; values?: unknown[] }
export interface SearchRequest { filterGroups?: Array<{ filters?: Filter[] }>; sorts?: Array<{ propertyName: string; direction?: string } | string>; query?: string; properties?: string[]; limit?: number; after?: string | number }

export const searchWindow = 10_000;

export function search(records: HsRecord[], body: SearchRequest, property: (name: string) => PropertyDef | undefined): { total: number; page: HsRecord[]; nextAfter: string | null } {
  const groups = body.filterGroups ?? [];
  const filterCount = groups.reduce((n, g) => n + (g.filters?.length ?? 0), 0);
  if (groups.length > 5 || groups.some((g) => (g.filters?.length ?? 0) > 10) || filterCount > 25) {
    throw new HsError(400, 'VALIDATION_ERROR', 'Too many filters: at most 5 filterGroups with up to 10 filters each, 25 filters in all.');
  }
  const limit = Math.min(200, Math.max(1, Number(body.limit ?? 10)));
  const after = Number(body.after ?? 0);
  if (!Number.isInteger(after) || after < 0) throw new HsError(400, 'VALIDATION_ERROR', `Invalid input: after must be a non-negative number, got ${String(body.after)}`);
  if (after + limit > searchWindow) {
    throw new HsError(400, 'VALIDATION_ERROR', `Search results are limited to ${searchWindow} items; use filters (for example on the last modified date) to page through more.`);
  }
  const tests = groups.map((g) => (g.filters ?? []).map((f) => compile(f, property)));
  const words = body.query?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const searchable = ['email', 'firstname', 'lastname', 'name', 'domain', 'dealname', 'hs_note_body', 'hs_email_subject'];
  let matches = records.filter((r) => (tests.length === 0 || tests.some((group) => group.every((t) => t(r)))) && words.every((w) => searchable.some((p) => r.properties[p]?.toLowerCase().includes(w))));
  const sorts = (body.sorts ?? []).map((s) => (typeof s === 'string' ? { propertyName: s.replace(/^-/, ''), direction: s.startsWith('-') ? 'DESCENDING' : 'ASCENDING' } : s));
  matches = matches.sort((a, b) => {
    for (const s of sorts) {
      const def = property(s.propertyName);
      const order = compare(valueOf(def, a.properties[s.propertyName] ?? null), valueOf(def, b.properties[s.propertyName] ?? null));
      if (order) return s.direction === 'DESCENDING' ? -order : order;
    }
    return Number(a.id) - Number(b.id);
  });
  const page = matches.slice(after, after + limit);
  const next = after + limit;
  return { total: matches.length, page, nextAfter: next < matches.length ? String(next) : null };
}

type Value = string | number | null;
function valueOf(def: PropertyDef | undefined, raw: unknown): Value {
  if (raw === null || raw === undefined || raw === '') return null;
  const text = String(raw);
  if (def?.type === 'number') return Number(text);
  if (def?.type === 'datetime' || def?.type === 'date') return parseHubSpotTime(text);
  if (def?.name === 'hs_object_id') return Number(text);
  return text.toLowerCase();
}

const compare = (x: Value, y: Value) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1);

function compile(filter: Filter, property: (name: string) => PropertyDef | undefined): (r: HsRecord) => boolean {
  const def = property(filter.propertyName);
  const of = (r: HsRecord) => valueOf(def, r.properties[filter.propertyName] ?? null);
  const value = valueOf(def, filter.value);
  const values = (filter.values ?? []).map((v) => valueOf(def, v));
  switch (filter.operator) {
    case 'EQ': return (r) => of(r) === value;
    case 'NEQ': return (r) => of(r) !== value;
    case 'LT': return (r) => of(r) !== null && compare(of(r), value) < 0;
    case 'LTE': return (r) => of(r) !== null && compare(of(r), value) <= 0;
    case 'GT': return (r) => of(r) !== null && compare(of(r), value) > 0;
    case 'GTE': return (r) => of(r) !== null && compare(of(r), value) >= 0;
    case 'BETWEEN': {
      const high = valueOf(def, filter.highValue);
      return (r) => of(r) !== null && compare(of(r), value) >= 0 && compare(of(r), high) <= 0;
    }
    case 'IN': return (r) => values.includes(of(r));
    case 'NOT_IN': return (r) => !values.includes(of(r));
    case 'HAS_PROPERTY': return (r) => of(r) !== null;
    case 'NOT_HAS_PROPERTY': return (r) => of(r) === null;
    case 'CONTAINS_TOKEN': return (r) => typeof of(r) === 'string' && new RegExp(`^${String(value).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(of(r) as string) || String(of(r) ?? '').split(/[\s@.]+/).includes(String(value));
    case 'NOT_CONTAINS_TOKEN': return (r) => !String(of(r) ?? '').split(/[\s@.]+/).includes(String(value));
    default: throw new HsError(400, 'VALIDATION_ERROR', `Unknown operator: ${filter.operator}`);
  }
}
