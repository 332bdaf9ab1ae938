// Onboarding per organization: the checklist (core/onboarding/checklist.ts) from the real state
// plus what admins marked, and the sample data. Loading the sample writes it in one transaction
// and scores its deals, so the first insights (pipeline, at-risk deals, forecast) show at once.
// Removing it deletes exactly the sample rows nobody edited since: a sample record a person
// changed has become theirs, so it stays (the answer says how many stayed, and they keep their
// "(Sample)" mark so they can be found and deleted by hand).
import { and, count, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { onboardingChecklist, type OnboardingFacts, type StepMark } from '../../../core/onboarding/checklist.ts';
import { samplePlan, SAMPLE_SOURCE } from '../../../core/onboarding/sample-data.ts';
import { AppError, forbidden } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { OnboardingPatch, OnboardingState, SampleDataRemoval } from '../../../core/schemas/onboarding.ts';
import {
  activities,
  activityLinks,
  companies,
  contacts,
  crmConnections,
  dealContacts,
  dealStageHistory,
  deals,
  invitations,
  memberships,
  onboarding,
  onboardingSampleRecords,
  pipelineStages,
} from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { defaultPipelineId } from '../pipelines/pipelines.service.ts';
import { recomputeRisk, refreshOrgRiskStats } from '../risk/risk.service.ts';

type SampleType = (typeof onboardingSampleRecords.$inferSelect)['entityType'];

async function onboardingRow(s: Scope) {
  const [row] = await s.db.select().from(onboarding).where(eq(onboarding.orgId, s.orgId));
  return row ?? null;
}

async function facts(s: Scope): Promise<OnboardingFacts> {
  const sample = s.db.select({ id: onboardingSampleRecords.entityId }).from(onboardingSampleRecords);
  const [[c], [co], [d], [sampleRows], [crm], [members], [invites], [emails]] = await Promise.all([
    s.db.select({ n: count() }).from(contacts).where(and(isNull(contacts.deletedAt), sql`${contacts.id} not in (${sample})`)),
    s.db.select({ n: count() }).from(companies).where(and(isNull(companies.deletedAt), sql`${companies.id} not in (${sample})`)),
    s.db.select({ n: count() }).from(deals).where(and(isNull(deals.deletedAt), sql`${deals.id} not in (${sample})`)),
    s.db.select({ n: count() }).from(onboardingSampleRecords),
    s.db.select({ n: count() }).from(crmConnections).where(ne(crmConnections.status, 'disconnected')),
    s.db.select({ n: count() }).from(memberships).where(isNull(memberships.deactivatedAt)),
    s.db.select({ n: count() }).from(invitations).where(and(isNull(invitations.acceptedAt), sql`${invitations.expiresAt} > ${s.now().toISOString()}::timestamptz`)),
    s.db.select({ n: count() }).from(activities).where(and(eq(activities.type, 'email'), isNotNull(activities.messageId), isNull(activities.deletedAt))),
  ]);
  return {
    ownRecords: (c?.n ?? 0) + (co?.n ?? 0) + (d?.n ?? 0),
    sampleRecords: sampleRows?.n ?? 0,
    crmConnected: (crm?.n ?? 0) > 0,
    otherMembers: Math.max(0, (members?.n ?? 0) - 1),
    pendingInvitations: invites?.n ?? 0,
    emailsLogged: emails?.n ?? 0,
  };
}

export async function onboardingState(s: Scope): Promise<OnboardingState> {
  const [row, f] = await Promise.all([onboardingRow(s), facts(s)]);
  const list = onboardingChecklist(row?.steps ?? {}, f);
  const dismissed = row?.dismissedAt != null;
  return {
    ...list,
    dismissed,
    // The welcome page opens by itself for an admin of an organization with nothing done yet.
    showWelcome: isAdmin(s.actor) && !dismissed && !list.complete,
    sampleData: { loaded: f.sampleRecords > 0, records: f.sampleRecords, loadedAt: row?.sampleLoadedAt?.toISOString() ?? null },
    facts: f,
  };
}

const adminsOnly = (s: Scope) => {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change the onboarding');
};

async function upsert(s: Scope, values: Partial<typeof onboarding.$inferInsert>) {
  await s.db
    .insert(onboarding)
    .values({ orgId: s.orgId, ...values, updatedAt: s.now() })
    .onConflictDoUpdate({ target: onboarding.orgId, set: { ...values, updatedAt: s.now() } });
}

export async function updateOnboarding(s: Scope, patch: OnboardingPatch): Promise<OnboardingState> {
  adminsOnly(s);
  const row = await onboardingRow(s);
  const steps: Record<string, StepMark> = { ...(row?.steps ?? {}) };
  for (const [id, mark] of Object.entries(patch.steps ?? {})) {
    if (mark === 'todo') delete steps[id];
    else if (mark) steps[id] = mark;
  }
  await upsert(s, {
    steps,
    ...(patch.dismissed === undefined ? {} : { dismissedAt: patch.dismissed ? (row?.dismissedAt ?? s.now()) : null }),
  });
  return onboardingState(s);
}

export async function loadSampleData(s: Scope): Promise<OnboardingState> {
  adminsOnly(s);
  const [already] = await s.db.select({ id: onboardingSampleRecords.entityId }).from(onboardingSampleRecords).limit(1);
  if (already) throw new AppError('CONFLICT', 'The sample data is already loaded; remove it first to load it again');
  const pipelineId = await defaultPipelineId(s);
  const stageRows = await s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipelineId)).orderBy(pipelineStages.position);
  const open = stageRows.filter((st) => !st.isWon && !st.isLost);
  const won = stageRows.find((st) => st.isWon);
  const lost = stageRows.find((st) => st.isLost);
  if (open.length === 0 || !won || !lost) throw new AppError('CONFLICT', 'The default pipeline needs open, won and lost stages for the sample deals');
  const now = s.now();
  const owner = s.actor.userId;
  const plan = samplePlan(now, { open: open.map((st) => ({ id: st.id, probability: st.defaultProbability })), won, lost });

  const companyRows = await s.db
    .insert(companies)
    .values(plan.companies.map((c) => ({ orgId: s.orgId, name: c.name, domain: c.domain, industry: c.industry, ownerId: owner, source: SAMPLE_SOURCE, createdAt: now, updatedAt: now })))
    .returning({ id: companies.id, updatedAt: companies.updatedAt });
  const companyId = new Map(plan.companies.map((c, i) => [c.key, companyRows[i]!.id]));
  const contactRows = await s.db
    .insert(contacts)
    .values(plan.contacts.map((p) => ({ orgId: s.orgId, email: p.email, firstName: p.firstName, lastName: p.lastName, title: p.title, companyId: companyId.get(p.companyKey)!, ownerId: owner, tags: p.tags, source: SAMPLE_SOURCE, createdAt: now, updatedAt: now })))
    .returning({ id: contacts.id, updatedAt: contacts.updatedAt });
  const contactId = new Map(plan.contacts.map((p, i) => [p.key, contactRows[i]!.id]));
  const dealRows = await s.db
    .insert(deals)
    .values(
      plan.deals.map((d) => ({
        orgId: s.orgId, name: d.name, valueCents: d.valueCents, pipelineId, stageId: d.stageId, probability: d.probability, ownerId: owner, companyId: companyId.get(d.companyKey)!,
        expectedCloseDate: d.expectedCloseDate, actualCloseDate: d.actualCloseDate, outcome: d.outcome, lostReason: d.lostReason, stageChangedAt: d.stageChangedAt, source: SAMPLE_SOURCE, createdAt: d.createdAt, updatedAt: now,
      })),
    )
    .returning({ id: deals.id, updatedAt: deals.updatedAt });
  const dealId = new Map(plan.deals.map((d, i) => [d.key, dealRows[i]!.id]));
  await s.db.insert(dealContacts).values(plan.deals.flatMap((d) => d.contactKeys.map((k) => ({ orgId: s.orgId, dealId: dealId.get(d.key)!, contactId: contactId.get(k)! }))));
  await s.db.insert(dealStageHistory).values(plan.deals.flatMap((d) => d.history.map((h) => ({ orgId: s.orgId, dealId: dealId.get(d.key)!, fromStageId: h.fromStageId, toStageId: h.toStageId, changedAt: h.changedAt, changedBy: owner }))));
  const activityRows = await s.db
    .insert(activities)
    .values(plan.activities.map((a) => ({ orgId: s.orgId, type: a.type, subject: a.subject, body: a.body, direction: a.direction, occurredAt: a.occurredAt, ownerId: owner, source: SAMPLE_SOURCE, createdAt: a.occurredAt, updatedAt: now })))
    .returning({ id: activities.id, updatedAt: activities.updatedAt });
  const dealCompany = new Map(plan.deals.map((d) => [d.key, companyId.get(d.companyKey)!]));
  await s.db.insert(activityLinks).values(
    plan.activities.flatMap((a, i) =>
      [...a.contactKeys.map((k) => ({ contactId: contactId.get(k)! })), { dealId: dealId.get(a.dealKey)! }, { companyId: dealCompany.get(a.dealKey)! }].map((link) => ({
        orgId: s.orgId, activityId: activityRows[i]!.id, occurredAt: a.occurredAt, type: a.type, ...link,
      })),
    ),
  );
  const remember = (type: SampleType, rows: { id: string; updatedAt: Date }[]) => rows.map((r) => ({ orgId: s.orgId, entityType: type, entityId: r.id, seededUpdatedAt: r.updatedAt }));
  await s.db.insert(onboardingSampleRecords).values([...remember('company', companyRows), ...remember('contact', contactRows), ...remember('deal', dealRows), ...remember('activity', activityRows)]);
  await upsert(s, { sampleLoadedAt: now });
  // Scores now, not at tonight's recompute: the first insights show the at-risk deals right away.
  await refreshOrgRiskStats(s);
  await recomputeRisk(s, 'all-open');
  return onboardingState(s);
}

/** Deletes the sample rows of one type that still hold what was seeded (not edited, not deleted and restored). */
async function removeUnedited(s: Scope, type: SampleType, table: typeof companies | typeof contacts | typeof deals | typeof activities) {
  const recorded = await s.db.select().from(onboardingSampleRecords).where(eq(onboardingSampleRecords.entityType, type));
  if (recorded.length === 0) return { removed: 0, kept: 0 };
  const rows = await s.db.select({ id: table.id, updatedAt: table.updatedAt }).from(table).where(inArray(table.id, recorded.map((r) => r.entityId)));
  const seeded = new Map(recorded.map((r) => [r.entityId, r.seededUpdatedAt.getTime()]));
  let untouched = rows.filter((r) => r.updatedAt.getTime() === seeded.get(r.id)).map((r) => r.id);
  if (type === 'company' && untouched.length) {
    // A company a kept (edited or added) deal or contact still belongs to stays with it.
    const used = await s.db
      .select({ id: sql<string>`company_id` })
      .from(sql`(select ${deals.companyId} as company_id from ${deals} where ${inArray(deals.companyId, untouched)} union select ${contacts.companyId} from ${contacts} where ${inArray(contacts.companyId, untouched)}) as used`);
    const stays = new Set(used.map((u) => u.id));
    untouched = untouched.filter((id) => !stays.has(id));
  }
  if (untouched.length) await s.db.delete(table).where(inArray(table.id, untouched));
  await s.db.delete(onboardingSampleRecords).where(eq(onboardingSampleRecords.entityType, type));
  return { removed: untouched.length, kept: rows.length - untouched.length };
}

export async function removeSampleData(s: Scope): Promise<SampleDataRemoval> {
  adminsOnly(s);
  // Activities and deals first: deleting them drops their links and histories (cascades); then a
  // sample company is deleted only if no kept deal or contact still belongs to it.
  const activitiesDone = await removeUnedited(s, 'activity', activities);
  const dealsDone = await removeUnedited(s, 'deal', deals);
  const contactsDone = await removeUnedited(s, 'contact', contacts);
  const companiesDone = await removeUnedited(s, 'company', companies);
  await recomputeRisk(s, 'all-open');
  return { removed: { activities: activitiesDone.removed, deals: dealsDone.removed, contacts: contactsDone.removed, companies: companiesDone.removed }, kept: { activities: activitiesDone.kept, deals: dealsDone.kept, contacts: contactsDone.kept, companies: companiesDone.kept }, state: await onboardingState(s) };
}
