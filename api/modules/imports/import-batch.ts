// One batch of CSV rows through the import: each row is read (core/import/rows.ts), its references
// resolved (owner, stage, company, contact), matched against what the organization already holds
// (duplicates), and given an outcome: create, update, skip or reject with reasons. With `write`
// the outcomes are applied in bulk (multi-row inserts) and recorded for undo; without it (preview,
// dry run) nothing is written and the outcomes say what would happen.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ImportObject } from '../../../core/import/fields.ts';
import type { ColumnMapping } from '../../../core/import/mapping.ts';
import { mapRow, normalizeCompanyName, domainFromWebsite, type CompanyValues, type ContactValues, type DealValues } from '../../../core/import/rows.ts';
import { companies, contacts, dealContacts, deals, dealStageHistory, importChanges, memberships, pipelineStages, user, type importRejections } from '../../../db/schema/index.ts';
import { uuidArray } from '../../../db/sql-arrays.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { defaultPipelineId } from '../pipelines/pipelines.service.ts';
import { dealsChanged } from '../risk/risk.service.ts';

export type DuplicatePolicy = 'skip' | 'update' | 'create';

export interface ImportPlan {
  importId: string;
  object: ImportObject;
  mapping: ColumnMapping;
  duplicates: DuplicatePolicy;
  locale: string;
  /** Creations still allowed by the plan (null: unlimited). Decremented as rows are created. */
  remaining: { contacts: number | null; openDeals: number | null };
  planMessage: { contacts: string; openDeals: string };
  /** Who owns a record whose row names no owner: the person who uploaded the file. */
  defaultOwnerId: string | null;
}

/** What the import knows across batches: members, stages, companies by name and domain. */
export interface ImportContext {
  members: Map<string, string>;
  pipelineId: string | null;
  stages: Map<string, { id: string; name: string; defaultProbability: number; isWon: boolean; isLost: boolean }>;
  stageNames: string[];
  companiesByDomain: Map<string, string>;
  companiesByName: Map<string, string>;
  /** Contacts this import created or updated, by email, so a later row with the same email is a duplicate too. */
  seenEmails: Map<string, string>;
}

export interface RowOutcome {
  rowNumber: number;
  action: 'create' | 'update' | 'skip' | 'reject';
  reasons: string[];
  values: Record<string, unknown> | null;
  /** The record it updates (or skips as a duplicate). */
  existingId?: string;
}

export interface SourceRow { rowNumber: number; cells: string[] }

/** Any strings as one text[] parameter (drizzle's inArray spends a parameter per element): every element quoted. */
const textArray = (values: readonly string[]) => sql`${`{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`}::text[]`;

/** Bind parameters per statement stop at 65,535: multi-row inserts go in slices of this many rows. */
const ROWS_PER_INSERT = 2000;

/** Runs a multi-row write over `rows` in slices, concatenating what each returns. */
export async function inSlices<R, T>(rows: readonly R[], write: (slice: R[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(...(await write(rows.slice(i, i + ROWS_PER_INSERT))));
  return out;
}

const stageKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

export async function loadContext(s: Scope, object: ImportObject): Promise<ImportContext> {
  const memberRows = await s.db
    .select({ id: user.id, email: user.email, name: user.name })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(isNull(memberships.deactivatedAt));
  const members = new Map<string, string>();
  for (const m of memberRows) {
    members.set(m.email.toLowerCase(), m.id);
    if (!members.has(m.name.toLowerCase())) members.set(m.name.toLowerCase(), m.id);
  }
  const ctx: ImportContext = { members, pipelineId: null, stages: new Map(), stageNames: [], companiesByDomain: new Map(), companiesByName: new Map(), seenEmails: new Map() };
  if (object === 'deals') {
    ctx.pipelineId = await defaultPipelineId(s);
    const stages = await s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, ctx.pipelineId)).orderBy(pipelineStages.position);
    for (const st of stages) ctx.stages.set(stageKey(st.name), st);
    ctx.stageNames = stages.map((st) => st.name);
  }
  // Companies are few next to contacts; one map of them makes every row's company a lookup.
  const companyRows = await s.db.select({ id: companies.id, name: companies.name, domain: companies.domainNormalized }).from(companies).where(isNull(companies.deletedAt));
  for (const c of companyRows) {
    if (c.domain) ctx.companiesByDomain.set(c.domain, c.id);
    const key = normalizeCompanyName(c.name);
    if (key && !ctx.companiesByName.has(key)) ctx.companiesByName.set(key, c.id);
  }
  return ctx;
}

type Rejection = typeof importRejections.$inferInsert;

export interface BatchResult {
  outcomes: RowOutcome[];
  rejections: Omit<Rejection, 'orgId'>[];
  counts: { created: number; updated: number; skipped: number; rejected: number };
}

export async function processBatch(s: Scope, plan: ImportPlan, ctx: ImportContext, rows: SourceRow[], write: boolean): Promise<BatchResult> {
  const outcomes =
    plan.object === 'contacts' ? await contactOutcomes(s, plan, ctx, rows, write) : plan.object === 'companies' ? await companyOutcomes(s, plan, ctx, rows, write) : await dealOutcomes(s, plan, ctx, rows, write);
  const counts = { created: 0, updated: 0, skipped: 0, rejected: 0 };
  const rejections: BatchResult['rejections'] = [];
  const byRow = new Map(rows.map((r) => [r.rowNumber, r.cells]));
  for (const o of outcomes) {
    if (o.action === 'create') counts.created++;
    else if (o.action === 'update') counts.updated++;
    else if (o.action === 'skip') counts.skipped++;
    else {
      counts.rejected++;
      rejections.push({ importId: plan.importId, rowNumber: o.rowNumber, reason: o.reasons.join('; '), cells: byRow.get(o.rowNumber) ?? [] });
    }
  }
  return { outcomes, rejections, counts };
}

const reject = (rowNumber: number, reasons: string[]): RowOutcome => ({ rowNumber, action: 'reject', reasons, values: null });

function ownerOf(plan: ImportPlan, ctx: ImportContext, owner: string | null, reasons: string[]): string | null {
  if (!owner) return plan.defaultOwnerId;
  const id = ctx.members.get(owner.trim().toLowerCase());
  if (!id) reasons.push(`owner: "${owner.slice(0, 80)}" is not an active member (match by email or name); invite them first or unmap the owner column`);
  return id ?? null;
}

/** The company a row names, by domain or normalised name (after ensureCompanies made the missing ones). */
function companyFor(ctx: ImportContext, name: string | null): string | null {
  if (!name) return null;
  const domain = domainFromWebsite(name);
  const found = (domain && ctx.companiesByDomain.get(domain)) || ctx.companiesByName.get(normalizeCompanyName(name));
  return found && found !== 'pending' ? found : null;
}

/**
 * With `write`: the companies a batch names that do not exist yet are created in one insert (and
 * recorded for undo), so the rows can link to them.
 */
async function ensureCompanies(s: Scope, plan: ImportPlan, ctx: ImportContext, names: (string | null)[], write: boolean) {
  if (!write) return;
  const missing = new Map<string, { name: string; domain: string | null }>();
  for (const name of names) {
    if (!name) continue;
    const domain = domainFromWebsite(name);
    const key = normalizeCompanyName(name);
    if ((domain && ctx.companiesByDomain.has(domain)) || ctx.companiesByName.has(key)) continue;
    if (!missing.has(domain ?? key)) missing.set(domain ?? key, { name, domain });
  }
  if (missing.size === 0) return;
  const wanted = [...missing.values()];
  const created = await inSlices(wanted, (slice) => s.db.insert(companies).values(slice.map((c) => ({ orgId: s.orgId, name: c.name, domain: c.domain, source: 'csv_import' }))).returning({ id: companies.id }));
  await inSlices(created, (slice) => s.db.insert(importChanges).values(slice.map((c) => ({ orgId: s.orgId, importId: plan.importId, entityType: 'company' as const, entityId: c.id, action: 'created' as const, previous: null }))).then(() => []));
  created.forEach((c, i) => {
    const w = wanted[i]!;
    if (w.domain) ctx.companiesByDomain.set(w.domain, c.id);
    const key = normalizeCompanyName(w.name);
    if (!ctx.companiesByName.has(key)) ctx.companiesByName.set(key, c.id);
  });
}

/** The fields an update overwrites: only those the file fills (an empty cell never erases data). */
function filled<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== '')) as Partial<T>;
}

async function recordUpdates(s: Scope, plan: ImportPlan, entityType: 'contact' | 'company', updates: { id: string; previous: Record<string, unknown> }[]) {
  if (updates.length === 0) return;
  // First update wins: a record updated twice by one import is restored to what it was before it.
  await inSlices(updates, (slice) =>
    s.db
      .insert(importChanges)
      .values(slice.map((u) => ({ orgId: s.orgId, importId: plan.importId, entityType, entityId: u.id, action: 'updated' as const, previous: u.previous })))
      .onConflictDoNothing()
      .then(() => []),
  );
}

async function contactOutcomes(s: Scope, plan: ImportPlan, ctx: ImportContext, rows: SourceRow[], write: boolean): Promise<RowOutcome[]> {
  const mapped = rows.map((r) => ({ row: r, result: mapRow('contacts', r.cells, plan.mapping, { locale: plan.locale, now: s.now() }) }));
  const emails = [...new Set(mapped.flatMap((m) => (m.result.ok ? [m.result.values.email] : [])))];
  const existing = new Map<string, typeof contacts.$inferSelect>();
  if (emails.length) {
    for (const c of await s.db.select().from(contacts).where(and(sql`${contacts.emailNormalized} = any(${textArray(emails)})`, isNull(contacts.deletedAt)))) existing.set(c.emailNormalized, c);
  }
  await ensureCompanies(s, plan, ctx, mapped.map((m) => (m.result.ok ? m.result.values.company : null)), write);
  const outcomes: RowOutcome[] = [];
  const inserts: { rowNumber: number; values: typeof contacts.$inferInsert }[] = [];
  const updates: { id: string; set: Record<string, unknown>; previous: Record<string, unknown> }[] = [];
  const pendingByEmail = new Map<string, Record<string, unknown>>();
  for (const { row, result } of mapped) {
    if (!result.ok) {
      outcomes.push(reject(row.rowNumber, result.reasons));
      continue;
    }
    const v: ContactValues = result.values;
    const reasons: string[] = [];
    const ownerId = ownerOf(plan, ctx, v.owner, reasons);
    if (reasons.length) {
      outcomes.push(reject(row.rowNumber, reasons));
      continue;
    }
    const companyId = companyFor(ctx, v.company);
    const fields = { firstName: v.firstName, lastName: v.lastName, title: v.title, phone: v.phone, companyId, ownerId };
    const match = existing.get(v.email);
    const seen = ctx.seenEmails.get(v.email);
    if (match || seen) {
      if (plan.duplicates === 'skip') {
        outcomes.push({ rowNumber: row.rowNumber, action: 'skip', reasons: [`a contact with ${v.email} exists`], values: { email: v.email, ...fields }, existingId: match?.id ?? (seen === 'pending' ? undefined : seen) });
        continue;
      }
      if (plan.duplicates === 'create') {
        outcomes.push(reject(row.rowNumber, [`email: a contact with ${v.email} exists, and a contact's email is unique: choose "update" or "skip" for duplicates`]));
        continue;
      }
      const set = filled(fields);
      const pending = pendingByEmail.get(v.email);
      if (!match && pending) {
        // Created by an earlier row of this batch: the later row's filled cells go into that insert.
        Object.assign(pending, set);
        outcomes.push({ rowNumber: row.rowNumber, action: 'update', reasons: [], values: { email: v.email, ...fields } });
        continue;
      }
      const id = match?.id ?? seen!;
      const previous = match ? Object.fromEntries(Object.keys(set).map((k) => [k, (match as unknown as Record<string, unknown>)[k] ?? null])) : {};
      if (match) existing.delete(v.email); // a second row with this email updates what the first one wrote
      if (match) updates.push({ id, set, previous });
      else updates.push({ id, set, previous: {} });
      ctx.seenEmails.set(v.email, id);
      outcomes.push({ rowNumber: row.rowNumber, action: 'update', reasons: [], values: { email: v.email, ...fields }, existingId: id });
      continue;
    }
    if (plan.remaining.contacts !== null) {
      if (plan.remaining.contacts <= 0) {
        outcomes.push(reject(row.rowNumber, [`PLAN_LIMIT: ${plan.planMessage.contacts}`]));
        continue;
      }
      plan.remaining.contacts--;
    }
    const values = { orgId: s.orgId, email: v.email, ...fields, source: 'csv_import' };
    inserts.push({ rowNumber: row.rowNumber, values });
    pendingByEmail.set(v.email, values);
    ctx.seenEmails.set(v.email, 'pending');
    outcomes.push({ rowNumber: row.rowNumber, action: 'create', reasons: [], values: { email: v.email, ...fields, company: v.company, owner: v.owner } });
  }
  // A dry run keeps the 'pending' marks: later rows of the file count as duplicates, as they will.
  if (!write) return outcomes;
  if (inserts.length) {
    // The search terms of the new contacts in one statement instead of the per-row trigger's
    // (migration 0026 lets a transaction defer it): the trigger's work, set-based.
    await s.db.execute(sql`select set_config('app.search_terms', 'deferred', true)`);
    const created = await inSlices(inserts, (slice) => s.db.insert(contacts).values(slice.map((i) => i.values)).returning({ id: contacts.id, email: contacts.emailNormalized }));
    await s.db.execute(sql`select set_config('app.search_terms', '', true)`);
    await s.db.execute(sql`
      insert into contact_search_terms (org_id, contact_id, term, contact_created_at)
      select distinct c.org_id, c.id, left(w, 64), c.created_at
      from contacts c
      left join companies co on co.id = c.company_id and co.org_id = c.org_id
      cross join lateral regexp_split_to_table(lower(concat_ws(' ', c.first_name, c.last_name, c.email, co.name)), '[^[:alnum:]]+') as w
      where c.org_id = ${s.orgId} and c.id = any(${uuidArray(created.map((c) => c.id))}) and c.deleted_at is null and w <> ''
      on conflict do nothing`);
    for (const c of created) ctx.seenEmails.set(c.email, c.id);
    await inSlices(created, (slice) => s.db.insert(importChanges).values(slice.map((c) => ({ orgId: s.orgId, importId: plan.importId, entityType: 'contact' as const, entityId: c.id, action: 'created' as const, previous: null }))).then(() => []));
  }
  for (const u of updates) {
    if (u.id === 'pending') continue;
    if (Object.keys(u.set).length) await s.db.update(contacts).set({ ...u.set, updatedAt: s.now() }).where(eq(contacts.id, u.id));
  }
  await recordUpdates(s, plan, 'contact', updates.filter((u) => Object.keys(u.previous).length > 0 && u.id !== 'pending'));
  return outcomes;
}

async function companyOutcomes(s: Scope, plan: ImportPlan, ctx: ImportContext, rows: SourceRow[], write: boolean): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  const inserts: { values: typeof companies.$inferInsert; key: string; domain: string | null }[] = [];
  const updates: { id: string; set: Record<string, unknown> }[] = [];
  for (const row of rows) {
    const result = mapRow('companies', row.cells, plan.mapping, { locale: plan.locale, now: s.now() });
    if (!result.ok) {
      outcomes.push(reject(row.rowNumber, result.reasons));
      continue;
    }
    const v: CompanyValues = result.values;
    const reasons: string[] = [];
    const ownerId = ownerOf(plan, ctx, v.owner, reasons);
    if (reasons.length) {
      outcomes.push(reject(row.rowNumber, reasons));
      continue;
    }
    const key = normalizeCompanyName(v.name);
    const byDomain = v.domain ? ctx.companiesByDomain.get(v.domain) : undefined;
    const match = byDomain ?? ctx.companiesByName.get(key);
    const fields = { name: v.name, domain: v.domain, industry: v.industry, ownerId };
    if (match && !(plan.duplicates === 'create' && !byDomain)) {
      if (plan.duplicates === 'skip') {
        outcomes.push({ rowNumber: row.rowNumber, action: 'skip', reasons: [byDomain ? `a company with the domain ${v.domain} exists` : `a company named like "${v.name}" exists`], values: fields, existingId: match });
        continue;
      }
      if (plan.duplicates === 'create') {
        outcomes.push(reject(row.rowNumber, [`domain: a company with ${v.domain} exists, and a company's domain is unique: choose "update" or "skip" for duplicates`]));
        continue;
      }
      updates.push({ id: match, set: filled(fields) });
      outcomes.push({ rowNumber: row.rowNumber, action: 'update', reasons: [], values: fields, existingId: match });
      continue;
    }
    inserts.push({ values: { orgId: s.orgId, ...fields, source: 'csv_import' }, key, domain: v.domain });
    // Later rows of this file find it as a duplicate too.
    if (v.domain) ctx.companiesByDomain.set(v.domain, 'pending');
    if (!ctx.companiesByName.has(key)) ctx.companiesByName.set(key, 'pending');
    outcomes.push({ rowNumber: row.rowNumber, action: 'create', reasons: [], values: fields });
  }
  if (!write) return outcomes;
  if (inserts.length) {
    const created = await inSlices(inserts, (slice) => s.db.insert(companies).values(slice.map((i) => i.values)).returning({ id: companies.id }));
    created.forEach((c, index) => {
      const i = inserts[index]!;
      if (i.domain) ctx.companiesByDomain.set(i.domain, c.id);
      if (ctx.companiesByName.get(i.key) === 'pending') ctx.companiesByName.set(i.key, c.id);
    });
    await inSlices(created, (slice) => s.db.insert(importChanges).values(slice.map((c) => ({ orgId: s.orgId, importId: plan.importId, entityType: 'company' as const, entityId: c.id, action: 'created' as const, previous: null }))).then(() => []));
  }
  const recorded: { id: string; previous: Record<string, unknown> }[] = [];
  for (const u of updates) {
    if (u.id === 'pending' || Object.keys(u.set).length === 0) continue;
    const [before] = await s.db.select().from(companies).where(eq(companies.id, u.id));
    if (!before) continue;
    recorded.push({ id: u.id, previous: Object.fromEntries(Object.keys(u.set).map((k) => [k, (before as unknown as Record<string, unknown>)[k] ?? null])) });
    await s.db.update(companies).set({ ...u.set, updatedAt: s.now() }).where(eq(companies.id, u.id));
  }
  await recordUpdates(s, plan, 'company', recorded);
  return outcomes;
}

async function dealOutcomes(s: Scope, plan: ImportPlan, ctx: ImportContext, rows: SourceRow[], write: boolean): Promise<RowOutcome[]> {
  const mapped = rows.map((r) => ({ row: r, result: mapRow('deals', r.cells, plan.mapping, { locale: plan.locale, now: s.now() }) }));
  const emails = [...new Set(mapped.flatMap((m) => (m.result.ok && m.result.values.contactEmail ? [m.result.values.contactEmail] : [])))];
  const contactIds = new Map<string, string>();
  if (emails.length) {
    for (const c of await s.db.select({ id: contacts.id, email: contacts.emailNormalized }).from(contacts).where(and(sql`${contacts.emailNormalized} = any(${textArray(emails)})`, isNull(contacts.deletedAt)))) contactIds.set(c.email, c.id);
  }
  await ensureCompanies(s, plan, ctx, mapped.map((m) => (m.result.ok ? m.result.values.company : null)), write);
  const today = s.now().toISOString().slice(0, 10);
  const outcomes: RowOutcome[] = [];
  const inserts: { values: typeof deals.$inferInsert; contactId: string | null }[] = [];
  const firstStage = ctx.stages.values().next().value;
  for (const { row, result } of mapped) {
    if (!result.ok) {
      outcomes.push(reject(row.rowNumber, result.reasons));
      continue;
    }
    const v: DealValues = result.values;
    const reasons: string[] = [];
    const ownerId = ownerOf(plan, ctx, v.owner, reasons);
    const stage = v.stage ? ctx.stages.get(stageKey(v.stage)) : firstStage;
    if (!stage) reasons.push(`stage: "${v.stage!.slice(0, 80)}" is not a stage of the pipeline (${ctx.stageNames.join(', ')}); rename it in the file or add the stage`);
    const contactId = v.contactEmail ? (contactIds.get(v.contactEmail) ?? null) : null;
    if (v.contactEmail && !contactId) reasons.push(`contactEmail: no contact with ${v.contactEmail}; import the contacts first`);
    if (reasons.length || !stage) {
      outcomes.push(reject(row.rowNumber, reasons));
      continue;
    }
    const open = !stage.isWon && !stage.isLost;
    if (open && plan.remaining.openDeals !== null) {
      if (plan.remaining.openDeals <= 0) {
        outcomes.push(reject(row.rowNumber, [`PLAN_LIMIT: ${plan.planMessage.openDeals}`]));
        continue;
      }
      plan.remaining.openDeals--;
    }
    const companyId = companyFor(ctx, v.company);
    const closeDay = v.expectedCloseDate ?? today;
    const values = {
      orgId: s.orgId,
      name: v.name,
      valueCents: v.valueCents ?? 0,
      currency: v.currency ?? 'USD',
      pipelineId: ctx.pipelineId!,
      stageId: stage.id,
      probability: stage.defaultProbability,
      ownerId,
      companyId,
      expectedCloseDate: v.expectedCloseDate,
      outcome: stage.isWon ? ('won' as const) : stage.isLost ? ('lost' as const) : null,
      actualCloseDate: open ? null : closeDay,
      stageChangedAt: s.now(),
      source: 'csv_import',
    };
    inserts.push({ values, contactId });
    outcomes.push({ rowNumber: row.rowNumber, action: 'create', reasons: [], values: { name: v.name, valueCents: values.valueCents, currency: values.currency, stage: stage.name, ownerId, owner: v.owner, companyId, company: v.company, contactId, contactEmail: v.contactEmail, expectedCloseDate: v.expectedCloseDate } });
  }
  if (!write || inserts.length === 0) return outcomes;
  const created = await inSlices(inserts, (slice) => s.db.insert(deals).values(slice.map((i) => i.values)).returning({ id: deals.id, stageId: deals.stageId }));
  const ids = created.map((d) => d.id);
  await inSlices(ids, (slice) => s.db.insert(importChanges).values(slice.map((id) => ({ orgId: s.orgId, importId: plan.importId, entityType: 'deal' as const, entityId: id, action: 'created' as const, previous: null }))).then(() => []));
  await inSlices(created, (slice) => s.db.insert(dealStageHistory).values(slice.map((d) => ({ orgId: s.orgId, dealId: d.id, fromStageId: null, toStageId: d.stageId, changedAt: s.now(), changedBy: s.actor.userId }))).then(() => []));
  const links = created.flatMap((d, index) => (inserts[index]!.contactId ? [{ orgId: s.orgId, dealId: d.id, contactId: inserts[index]!.contactId! }] : []));
  await inSlices(links, (slice) => s.db.insert(dealContacts).values(slice).then(() => []));
  // Imported deals get their risk now, as a deal created by hand does.
  await dealsChanged(s, ids);
  return outcomes;
}
