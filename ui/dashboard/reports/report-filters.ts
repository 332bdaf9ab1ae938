// The reports' filters live in the URL (?owner=…&team=…&from=YYYY-MM-DD&to=YYYY-MM-DD&pipeline=…) so a
// manager can bookmark or send a view. Days are whole UTC days and `to` is included: the API takes
// instants with `to` excluded, so the day after `to` is sent.

export interface ReportFilters {
  ownerId?: string;
  teamId?: string;
  /** YYYY-MM-DD, included. */
  from?: string;
  /** YYYY-MM-DD, included. */
  to?: string;
  pipelineId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const validDay = (d: string | null) => (d && DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ? d : undefined);
const validId = (id: string | null) => (id && UUID.test(id) ? id : undefined);

/** What the URL says; anything malformed (an edited link) is ignored rather than sent to be refused. */
export function filtersFromSearch(search: URLSearchParams): ReportFilters {
  const f: ReportFilters = {
    ownerId: validId(search.get('owner')),
    teamId: validId(search.get('team')),
    from: validDay(search.get('from')),
    to: validDay(search.get('to')),
    pipelineId: validId(search.get('pipeline')),
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ReportFilters;
}

export function searchOfFilters(f: ReportFilters): string {
  const params = new URLSearchParams();
  if (f.ownerId) params.set('owner', f.ownerId);
  if (f.teamId) params.set('team', f.teamId);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.pipelineId) params.set('pipeline', f.pipelineId);
  return params.toString();
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** The query the report routes take. */
export function apiQueryOf(f: ReportFilters): { ownerId?: string; teamId?: string; from?: string; to?: string; pipelineId?: string } {
  return {
    ...(f.ownerId ? { ownerId: f.ownerId } : {}),
    ...(f.teamId ? { teamId: f.teamId } : {}),
    ...(f.from ? { from: `${f.from}T00:00:00.000Z` } : {}),
    ...(f.to ? { to: nextDay(f.to) } : {}),
    ...(f.pipelineId ? { pipelineId: f.pipelineId } : {}),
  };
}

export type RangePreset = 'last-30' | 'last-90' | 'this-quarter' | 'this-year' | 'all';

export const rangePresets: { id: RangePreset; label: string }[] = [
  { id: 'last-30', label: 'Last 30 days' },
  { id: 'last-90', label: 'Last 90 days' },
  { id: 'this-quarter', label: 'This quarter' },
  { id: 'this-year', label: 'This year' },
  { id: 'all', label: 'All time' },
];

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function presetRange(preset: RangePreset, now: Date): { from?: string; to?: string } {
  const today = dayOf(now);
  const daysAgo = (n: number) => dayOf(new Date(now.getTime() - n * 86_400_000));
  switch (preset) {
    case 'last-30':
      return { from: daysAgo(29), to: today };
    case 'last-90':
      return { from: daysAgo(89), to: today };
    case 'this-quarter': {
      const q = Math.floor(now.getUTCMonth() / 3) * 3;
      return { from: dayOf(new Date(Date.UTC(now.getUTCFullYear(), q, 1))), to: today };
    }
    case 'this-year':
      return { from: `${now.getUTCFullYear()}-01-01`, to: today };
    case 'all':
      return {};
  }
}

/** Which preset the range is, if any (the preset buttons show it pressed). */
export function presetOf(f: ReportFilters, now: Date): RangePreset | null {
  for (const { id } of rangePresets) {
    const r = presetRange(id, now);
    if (r.from === f.from && r.to === f.to) return id;
  }
  return null;
}
