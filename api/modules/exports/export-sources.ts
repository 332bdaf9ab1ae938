// What each export reads, one page at a time: the list's own filters and scoping, keyset-paged
// (createdAt desc, id desc) through the scoped query builder, and the row as CSV cells under
// generic headers an importer recognises (core/import/fields.ts maps email, first_name, company,
// owner_email, stage, value, expected_close_date, contact_email…): links by name, email and domain
// rather than id, so the file imports into another organization. The id column is for matching
// rows back; importers ignore it. No header is another field's alias: the deal's actual close
// date is actual_close_date, since "close_date" is what HubSpot calls the expected one.
import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { daysInStage } from '../../../core/deals/stage-age.ts';
import { centsToDecimal } from '../../../core/reports/csv.ts';
import type { DealWithRisk } from '../../../core/schemas/risk.ts';
import type { CsvCell } from '../../../core/export/csv-cells.ts';
import type { ExportKind } from '../../../core/export/export-access.ts';
import type { ActivityExportQuery, CompanyExportQuery, ContactExportQuery, DealsExportQuery } from '../../../core/schemas/exports.ts';
import { companies, contacts, dealContacts, deals, pipelines } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { listActivities } from '../records/activities.service.ts';
import { listCompanies } from '../records/companies.service.ts';
import { listContacts } from '../records/contacts.service.ts';
import { dealFilterConditions } from '../records/deal-filters.ts';
import { presentDeals, selectDeals, visibleTo } from '../records/deals.service.ts';
import { afterCursor, toPage } from '../records/records.ts';

/** Rows read per transaction: big enough to be quick, small enough that memory stays flat. */
export const EXPORT_PAGE_ROWS = 500;

export interface ExportPage {
  rows: CsvCell[][];
  nextCursor: string | null;
}

export interface ExportSource<Q> {
  headers: readonly string[];
  /** One page after `cursor`; `ownerId` is already the caller's own for reps. */
  page: (s: Scope, q: Q, cursor: string | undefined) => Promise<ExportPage>;
}

const joined = (values: readonly (string | null | undefined)[]) => values.filter((v): v is string => !!v).join('; ');

async function companiesById(s: Scope, ids: readonly (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, { name: string; domain: string | null }>();
  const rows = await s.db.select({ id: companies.id, name: companies.name, domain: companies.domain }).from(companies).where(inArray(companies.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

async function contactEmailsById(s: Scope, ids: readonly string[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await s.db.select({ id: contacts.id, email: contacts.email }).from(contacts).where(inArray(contacts.id, wanted));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export const contactsExport: ExportSource<ContactExportQuery> = {
  headers: ['id', 'email', 'first_name', 'last_name', 'title', 'phone', 'company', 'company_domain', 'owner_email', 'tags', 'created_at'],
  async page(s, q, cursor) {
    const page = await listContacts(s, { ...q, limit: EXPORT_PAGE_ROWS, cursor });
    const byId = await companiesById(s, page.data.map((c) => c.companyId));
    return {
      nextCursor: page.nextCursor,
      rows: page.data.map((c) => {
        const company = c.companyId ? byId.get(c.companyId) : undefined;
        return [c.id, c.email, c.firstName, c.lastName, c.title, c.phone, company?.name, company?.domain, c.owner?.email, c.tags.join('; '), c.createdAt];
      }),
    };
  },
};

export const companiesExport: ExportSource<CompanyExportQuery> = {
  headers: ['id', 'name', 'domain', 'industry', 'owner_email', 'created_at'],
  async page(s, q, cursor) {
    const page = await listCompanies(s, { ...q, limit: EXPORT_PAGE_ROWS, cursor });
    return { nextCursor: page.nextCursor, rows: page.data.map((c) => [c.id, c.name, c.domain, c.industry, c.owner?.email, c.createdAt]) };
  },
};

export const dealsExport: ExportSource<DealsExportQuery> = {
  headers: ['id', 'name', 'value', 'currency', 'pipeline', 'stage', 'probability', 'status', 'expected_close_date', 'actual_close_date', 'lost_reason', 'owner_email', 'company', 'company_domain', 'contact_email', 'more_contact_emails', 'source', 'days_in_stage', 'risk_score', 'risk_band', 'risk_reason', 'created_at'],
  async page(s, q, cursor) {
    const status = q.status === 'open' ? isNull(deals.outcome) : q.status === 'all' ? undefined : eq(deals.outcome, q.status);
    const closed = q.closedSince ? or(isNull(deals.outcome), gte(deals.stageChangedAt, new Date(`${q.closedSince}T00:00:00Z`))) : undefined;
    const rows = await selectDeals(s)
      .where(
        and(
          eq(deals.orgId, s.actor.orgId),
          isNull(deals.deletedAt),
          visibleTo(s.actor),
          afterCursor(deals.createdAt, deals.id, cursor),
          ...dealFilterConditions(s, q),
          q.pipelineId ? eq(deals.pipelineId, q.pipelineId) : undefined,
          q.companyId ? eq(deals.companyId, q.companyId) : undefined,
          q.contactId ? sql`exists (select 1 from ${dealContacts} where ${dealContacts.dealId} = ${deals.id} and ${dealContacts.contactId} = ${q.contactId})` : undefined,
          status,
          closed,
        ),
      )
      .orderBy(desc(deals.createdAt), desc(deals.id))
      .limit(EXPORT_PAGE_ROWS + 1);
    const page = toPage(rows.map((r) => ({ ...r, id: r.deal.id })), EXPORT_PAGE_ROWS, (r) => r);
    // With their stored risk (DealWithRisk): the deal table's export has always carried it.
    const presented = (await presentDeals(s, page.data)) as DealWithRisk[];
    const now = s.now();
    const [byCompany, emails, pipelineNames] = await Promise.all([
      companiesById(s, presented.map((d) => d.companyId)),
      contactEmailsById(s, presented.flatMap((d) => d.contactIds)),
      s.db.select({ id: pipelines.id, name: pipelines.name }).from(pipelines),
    ]);
    const pipelineName = new Map(pipelineNames.map((p) => [p.id, p.name]));
    return {
      nextCursor: page.nextCursor,
      rows: presented.map((d) => {
        const company = d.companyId ? byCompany.get(d.companyId) : undefined;
        return [
          d.id, d.name, centsToDecimal(d.valueCents), d.currency, pipelineName.get(d.pipelineId), d.stageInfo.name, d.probability, d.outcome ?? 'open',
          d.expectedCloseDate, d.actualCloseDate, d.lostReason, d.owner?.email, company?.name, company?.domain, emails.get(d.contactIds[0] ?? ''), joined(d.contactIds.slice(1).map((id) => emails.get(id))), d.source,
          d.outcome ? null : daysInStage(d.stageChangedAt, now), d.risk?.score, d.risk?.band, d.risk?.reasons[0]?.sentence, d.createdAt,
        ];
      }),
    };
  },
};

export const activitiesExport: ExportSource<ActivityExportQuery> = {
  headers: ['id', 'type', 'subject', 'body', 'direction', 'occurred_at', 'due_at', 'completed_at', 'owner_email', 'contact_emails', 'companies', 'deals', 'created_at'],
  async page(s, q, cursor) {
    const page = await listActivities(s, { ...q, limit: EXPORT_PAGE_ROWS, cursor });
    const dealIds = [...new Set(page.data.flatMap((a) => a.dealIds))];
    const [emails, byCompany, dealNames] = await Promise.all([
      contactEmailsById(s, page.data.flatMap((a) => a.contactIds)),
      companiesById(s, page.data.flatMap((a) => a.companyIds)),
      dealIds.length ? s.db.select({ id: deals.id, name: deals.name }).from(deals).where(inArray(deals.id, dealIds)) : Promise.resolve([]),
    ]);
    const dealName = new Map(dealNames.map((d) => [d.id, d.name]));
    return {
      nextCursor: page.nextCursor,
      rows: page.data.map((a) => [
        a.id, a.type, a.subject, a.body, a.direction, a.occurredAt, a.dueAt, a.completedAt, a.owner?.email,
        joined(a.contactIds.map((id) => emails.get(id))), joined(a.companyIds.map((id) => byCompany.get(id)?.name)), joined(a.dealIds.map((id) => dealName.get(id))), a.createdAt,
      ]),
    };
  },
};

export const exportSources = { contacts: contactsExport, companies: companiesExport, deals: dealsExport, activities: activitiesExport } satisfies Record<ExportKind, ExportSource<never>>;
