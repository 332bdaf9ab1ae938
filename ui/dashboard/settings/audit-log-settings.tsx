// The audit log (admins): who changed what and when, newest first, filtered by person, kind of
// record, one record (its id, e.g. from a deal's link) and dates. The filters live in the URL.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { auditEntityTypes } from '../../../core/schemas/admin.ts';
import { call, useApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { useMembers, usePipelines, useTeams } from '../queries.ts';
import { Button, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import type { AuditEntry } from '../types.ts';
import { settingsKeys } from './settings-data.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const typeLabels: Record<(typeof auditEntityTypes)[number], string> = {
  deal: 'Deals', contact: 'Contacts', company: 'Companies', activity: 'Activities', task: 'Tasks', membership: 'Members', invitation: 'Invitations',
  team: 'Teams', api_key: 'API keys', pipeline: 'Pipelines', stage: 'Stages', risk_settings: 'Risk settings', tracking_settings: 'Tracking settings', export: 'CSV exports',
};
const nouns: Record<string, string> = {
  deal: 'deal', contact: 'contact', company: 'company', activity: 'activity', task: 'task', membership: 'member', invitation: 'invitation',
  team: 'team', api_key: 'API key', pipeline: 'pipeline', stage: 'stage', risk_settings: 'risk settings', tracking_settings: 'tracking settings', export: 'a CSV export',
};
const actionLabels = { create: 'created', update: 'changed', delete: 'deleted', restore: 'restored', export: 'ran' } as const;

/** The API query of the URL's filters; malformed values are left out. */
export function auditQueryOf(search: URLSearchParams) {
  const person = search.get('person');
  const type = search.get('type');
  const record = search.get('record')?.trim();
  const from = search.get('from');
  const to = search.get('to');
  return {
    ...(person && UUID.test(person) ? { actorId: person } : {}),
    ...(type && (auditEntityTypes as readonly string[]).includes(type) ? { entityType: type as (typeof auditEntityTypes)[number] } : {}),
    ...(record && UUID.test(record) ? { entityId: record } : {}),
    ...(from && DAY.test(from) ? { from: `${from}T00:00:00.000Z` } : {}),
    ...(to && DAY.test(to) ? { to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() } : {}),
  };
}

/** Field names as a person reads them; others are shown as recorded. */
const fieldLabels: Record<string, string> = {
  name: 'Name', valueCents: 'Value (cents)', currency: 'Currency', stageId: 'Stage', probability: 'Probability', ownerId: 'Owner', companyId: 'Company',
  pipelineId: 'Pipeline', expectedCloseDate: 'Expected close', actualCloseDate: 'Closed on', outcome: 'Outcome', lostReason: 'Lost reason', contactIds: 'Contacts',
  email: 'Email', firstName: 'First name', lastName: 'Last name', title: 'Title', domain: 'Domain', industry: 'Industry', teamId: 'Team', role: 'Role',
};

/** Names of the ids a change refers to, where the page knows them (people, teams, pipelines and stages). */
function useIdNames(): (id: unknown) => string | null {
  const members = useMembers();
  const teams = useTeams();
  const pipelines = usePipelines();
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const m of members.data ?? []) map.set(m.userId, m.name);
    for (const t of teams.data ?? []) map.set(t.id, t.name);
    for (const p of pipelines.data ?? []) {
      map.set(p.id, p.name);
      for (const stage of p.stages) map.set(stage.id, stage.name);
    }
    return map;
  }, [members.data, teams.data, pipelines.data]);
  return (id) => (typeof id === 'string' ? names.get(id) ?? null : null);
}

function Changes({ entry, nameOf }: { entry: AuditEntry; nameOf: (id: unknown) => string | null }) {
  const fields = Object.entries(entry.changes).filter(([k]) => k !== 'updatedAt' && k !== 'orgId');
  if (fields.length === 0) return null;
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : nameOf(v) ?? (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return (
    <ul className="audit-changes">
      {fields.slice(0, 6).map(([field, c]) => (
        <li key={field}>
          <span className="audit-field">{fieldLabels[field] ?? field}</span>
          {entry.action === 'update' ? <> {show(c.old)} → {show(c.new)}</> : <> {show(entry.action === 'delete' ? c.old : c.new)}</>}
        </li>
      ))}
      {fields.length > 6 && <li className="muted">and {fields.length - 6} more</li>}
    </ul>
  );
}

export function AuditLogSettings() {
  const api = useApi();
  const members = useMembers();
  const nameOf = useIdNames();
  const [search, setSearch] = useSearchParams();
  const query = auditQueryOf(search);
  const log = useInfiniteQuery({
    queryKey: settingsKeys.audit(query),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => call(api.GET('/audit-log', { params: { query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const set = (name: string, value: string) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    }, { replace: true });
  const entries = log.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = [...search.keys()].length > 0;
  return (
    <section className="settings-section" aria-labelledby="audit-title">
      <header className="settings-section-header">
        <div>
          <h2 id="audit-title">Audit log</h2>
          <p>Every change to records, members and settings, with who made it.</p>
        </div>
      </header>
      <form className="settings-filters" aria-label="Audit log filters" onSubmit={(e) => e.preventDefault()}>
        <label className="settings-filter">
          <span>Person</span>
          <select value={search.get('person') ?? ''} onChange={(e) => set('person', e.target.value)}>
            <option value="">Anyone</option>
            {(members.data ?? []).map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        </label>
        <label className="settings-filter">
          <span>Record type</span>
          <select value={search.get('type') ?? ''} onChange={(e) => set('type', e.target.value)}>
            <option value="">Everything</option>
            {auditEntityTypes.map((t) => <option key={t} value={t}>{typeLabels[t]}</option>)}
          </select>
        </label>
        <label className="settings-filter">
          <span>Record id</span>
          <input value={search.get('record') ?? ''} placeholder="Paste a record's id" onChange={(e) => set('record', e.target.value.trim())} />
        </label>
        <label className="settings-filter">
          <span>From</span>
          <input type="date" value={search.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label className="settings-filter">
          <span>To</span>
          <input type="date" value={search.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} />
        </label>
        {filtered && <Button kind="ghost" icon="close" onClick={() => setSearch(new URLSearchParams(), { replace: true })}>Clear filters</Button>}
      </form>
      {log.isPending ? (
        <Skeleton lines={8} height={18} />
      ) : log.isError ? (
        <ErrorState error={log.error} retry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title={filtered ? 'No changes match' : 'Nothing has changed yet'} icon="clock">
          {filtered ? 'Widen the dates or clear a filter.' : 'Changes to deals, contacts, members and settings will be listed here.'}
        </EmptyState>
      ) : (
        <>
          <table className="settings-table audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{dateTime(e.at)}</td>
                  <td>{e.actor?.name ?? 'The system'}</td>
                  <td>
                    <span>
                      {actionLabels[e.action]} {nouns[e.entityType] ?? e.entityType}{' '}
                    </span>
                    <button type="button" className="link-button" title="Show only this record's changes" onClick={() => set('record', e.entityId)}>
                      {e.entityName ?? e.entityId.slice(0, 8)}
                    </button>
                  </td>
                  <td><Changes entry={e} nameOf={nameOf} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.hasNextPage && (
            <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>Show older changes</Button>
          )}
        </>
      )}
    </section>
  );
}
