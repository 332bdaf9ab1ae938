// The facts a workflow's conditions read: a record's fields and what hangs on it (its stage's name,
// its owner's team, its risk band, its company's domain), read fresh so "stop unless" sees the
// record as it is when the step runs. Null: the record is gone (deleted or purged).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AutomationRecordKind, Facts } from '../../../core/automation/fields.ts';
import { activities, activityLinks, companies, contacts, dealRisk, deals, domainEvents, memberships, pipelineStages } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const withCustom = (facts: Record<string, unknown>, custom: Record<string, unknown>) => {
  for (const [k, v] of Object.entries(custom)) facts[`customFields.${k}`] = v;
  return facts;
};

async function teamOf(s: Scope, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [m] = await s.db.select({ teamId: memberships.teamId }).from(memberships).where(eq(memberships.userId, userId));
  return m?.teamId ?? null;
}

/** Deals' facts, many at once (the time-trigger job reads a batch). */
export async function dealFacts(s: Scope, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await s.db
    .select({ deal: deals, stageName: pipelineStages.name, band: dealRisk.band, domain: companies.domain, teamId: memberships.teamId })
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id)))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .leftJoin(memberships, eq(memberships.userId, deals.ownerId))
    .where(and(inArray(deals.id, ids), isNull(deals.deletedAt)));
  const twoWay = await s.db
    .select({ dealId: activityLinks.dealId, last: sql<string | null>`max(${activityLinks.occurredAt})` })
    .from(activityLinks)
    .where(and(inArray(activityLinks.dealId, ids), inArray(activityLinks.type, ['email', 'call', 'meeting'])))
    .groupBy(activityLinks.dealId);
  const lastByDeal = new Map(twoWay.map((r) => [r.dealId, r.last ? new Date(r.last).toISOString() : null]));
  return new Map(
    rows.map(({ deal: d, stageName, band, domain, teamId }) => [
      d.id,
      withCustom(
        {
          name: d.name, valueCents: d.valueCents, currency: d.currency, probability: d.probability, pipelineId: d.pipelineId, stageId: d.stageId, stageName,
          outcome: d.outcome, riskBand: band, expectedCloseDate: d.expectedCloseDate, stageChangedAt: iso(d.stageChangedAt), companyId: d.companyId,
          companyDomain: domain, source: d.source, createdAt: iso(d.createdAt), ownerId: d.ownerId, ownerTeamId: teamId, lastTwoWayActivityAt: lastByDeal.get(d.id) ?? null,
        },
        d.customFields,
      ),
    ]),
  );
}

export async function loadFacts(s: Scope, kind: AutomationRecordKind, recordId: string, eventId: string | null): Promise<Facts | null> {
  switch (kind) {
    case 'deal':
      return (await dealFacts(s, [recordId])).get(recordId) ?? null;
    case 'contact': {
      const [row] = await s.db
        .select({ c: contacts, domain: companies.domain })
        .from(contacts)
        .leftJoin(companies, eq(companies.id, contacts.companyId))
        .where(and(eq(contacts.id, recordId), isNull(contacts.deletedAt)));
      if (!row) return null;
      const c = row.c;
      return withCustom(
        {
          email: c.email, firstName: c.firstName, lastName: c.lastName, title: c.title, phone: c.phone, tags: c.tags, companyId: c.companyId, companyDomain: row.domain,
          source: c.source, createdAt: iso(c.createdAt), ownerId: c.ownerId, ownerTeamId: await teamOf(s, c.ownerId),
        },
        c.customFields,
      );
    }
    case 'task': {
      const [a] = await s.db.select().from(activities).where(and(eq(activities.id, recordId), isNull(activities.deletedAt)));
      if (!a) return null;
      return { subject: a.subject, dueAt: iso(a.dueAt), completedAt: iso(a.completedAt), ownerId: a.ownerId, ownerTeamId: await teamOf(s, a.ownerId) };
    }
    case 'email': {
      // An email event's own snapshot: a logged email (an activity) or a tracked message's open.
      if (!eventId) return null;
      const [e] = await s.db.select({ data: domainEvents.data }).from(domainEvents).where(eq(domainEvents.id, eventId));
      if (!e) return null;
      const d = e.data as Record<string, unknown>;
      const ownerId = (d.senderId as string | null | undefined) ?? null;
      return { subject: d.subject ?? null, direction: d.direction ?? null, from: d.from ?? null, ownerId, ownerTeamId: await teamOf(s, ownerId) };
    }
  }
}

/** The deal a run's task should be linked to, or the contact: so the task shows on the record. */
export function linksFor(kind: AutomationRecordKind, recordId: string) {
  if (kind === 'deal') return { dealIds: [recordId] };
  if (kind === 'contact') return { contactIds: [recordId] };
  return {};
}
