// Pulling HubSpot's companies, contacts and deals: the search API sorted by modification time,
// in windows that stay within its 10,000-result limit (core/sync/paging.ts), the associations of
// each page read in batches of 100 (v4), owners and deal pipelines for matching and stage mapping.
// Every call goes through the run's guard, which also reads the X-HubSpot-RateLimit-* headers.
import { HUBSPOT_SEARCH_PAGE, hubSpotSearchBody, nextHubSpotSearch, type HubSpotSearchCursor } from '../../../core/sync/paging.ts';
import { observeHubSpot } from '../../../core/sync/rate-budget.ts';
import { hubSpotStageFlags } from '../../../core/sync/stages.ts';
import type { CrmRecordType } from '../provider.ts';
import type { CrmPuller, PullSession, PulledRecord } from '../sync/pull.ts';
import { hubSpotClient } from './client.ts';
import { hubSpotObjectOf, hubSpotRecordValues, hubSpotModifiedProperty, hubSpotPulledProperties } from './mappers.ts';

const ASSOCIATION_BATCH = 100;

async function guarded<D>(session: PullSession, call: () => Promise<{ headers: unknown; data: D }>, lane?: string): Promise<D> {
  const res = await session.guard.run(call, lane);
  session.guard.observe((budget, now) => observeHubSpot(budget, res.headers as Record<string, string>, now));
  return res.data;
}

const client = (session: PullSession) => hubSpotClient(session.endpoints.hubspot, session.access.accessToken);

/** fromType record id → associated toType ids. */
async function associations(session: PullSession, fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH) {
    const inputs = ids.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id }));
    const data = await guarded(session, () => client(session).crm.associations.v4.batchApi.getPageWithHttpInfo(fromType, toType, { inputs } as never));
    for (const result of (data as { results: { _from: { id: string }; to: { toObjectId: number | string }[] }[] }).results) {
      found.set(String(result._from.id), result.to.map((t) => String(t.toObjectId)));
    }
  }
  return found;
}

export const hubSpotPuller: CrmPuller = {
  objectOf: hubSpotObjectOf,
  // The search API allows 5 requests a second per account, and says so in no header.
  lanes: { search: { max: 5, intervalMs: 1000 } },

  async owners(session) {
    const owners: { externalId: string; email: string }[] = [];
    let after: string | undefined;
    do {
      const page = await session.guard.run(() => client(session).crm.owners.ownersApi.getPage(undefined, after, 500));
      for (const o of page.results) if (o.email) owners.push({ externalId: String(o.id), email: o.email });
      after = page.paging?.next?.after;
    } while (after);
    return owners;
  },

  async pipelines(session) {
    const res = await session.guard.run(() => client(session).crm.pipelines.pipelinesApi.getAll('deals'));
    return res.results.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, ...hubSpotStageFlags(s.metadata as Record<string, string>) })),
    }));
  },

  async deletedSince(session, recordType, since) {
    // The list endpoint with archived=true, in id order (it cannot filter by time): what was archived since.
    const deleted: { externalId: string; deletedAt: Date }[] = [];
    let after: string | undefined;
    do {
      const page = await guarded(session, () => client(session).crm.objects.basicApi.getPageWithHttpInfo(hubSpotObjectOf[recordType], 100, after, ['hs_object_id'], undefined, undefined, true));
      for (const r of page.results) {
        const at = r.archivedAt ? new Date(r.archivedAt) : null;
        if (at && at.getTime() >= since.getTime()) deleted.push({ externalId: String(r.id), deletedAt: at });
      }
      after = page.paging?.next?.after;
    } while (after);
    return deleted;
  },

  async pullPage(session, recordType: CrmRecordType, since, cursor) {
    const objectType = hubSpotObjectOf[recordType];
    const modifiedProperty = hubSpotModifiedProperty(recordType);
    const at: HubSpotSearchCursor = (cursor as HubSpotSearchCursor | null) ?? { since: since ? since.getTime() : null, after: 0 };
    const body = hubSpotSearchBody(at, hubSpotPulledProperties(recordType), HUBSPOT_SEARCH_PAGE, modifiedProperty);
    const data = await guarded(session, () => client(session).crm.objects.searchApi.doSearchWithHttpInfo(objectType, body as never), 'search');
    const ids = data.results.map((r) => String(r.id));
    const companiesOf = recordType === 'company' || ids.length === 0 ? new Map<string, string[]>() : await associations(session, objectType, 'companies', ids);
    const contactsOf = recordType === 'deal' && ids.length > 0 ? await associations(session, 'deals', 'contacts', ids) : new Map<string, string[]>();
    const records: PulledRecord[] = data.results.map((r) => {
      const properties = r.properties as Record<string, string | null>;
      return {
        externalId: String(r.id),
        modifiedAt: new Date(properties[modifiedProperty] ?? r.updatedAt),
        deleted: Boolean(r.archived),
        values: hubSpotRecordValues(recordType, properties),
        ownerExternalId: properties.hubspot_owner_id || null,
        companyExternalId: companiesOf.get(String(r.id))?.[0] ?? null,
        contactExternalIds: contactsOf.get(String(r.id)) ?? [],
      };
    });
    const last = records[records.length - 1];
    const step = nextHubSpotSearch(at, { read: records.length, lastModified: last ? last.modifiedAt.getTime() : null, nextAfter: data.paging?.next?.after ? Number(data.paging.next.after) : null });
    const upTo = (ms: number | null) => (ms === null ? null : new Date(ms));
    if (step.kind === 'done') return { records, next: null, modifiedUpTo: upTo(step.modifiedUpTo) };
    if (step.kind === 'next') return { records, next: { ...step.cursor }, modifiedUpTo: upTo(last ? last.modifiedAt.getTime() : at.since) };
    // Ten thousand records sharing one millisecond cannot be windowed by time; read on past the
    // window from the same instant by id order instead is not offered by search, so stop here and
    // say so: the next run starts again at that instant.
    throw new Error(`More than ${10_000} HubSpot ${objectType} share one modification time; the search API cannot page past them`);
  },
};
