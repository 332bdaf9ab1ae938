import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { canDeleteShared, canWrite, isAdmin } from '../../../core/roles.ts';
import type { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from '../../../core/schemas/companies.ts';
import { companies, user } from '../../../db/schema/index.ts';
import { isUniqueViolation } from '../../platform/http/errors.ts';
import { recordAudit } from './audit.ts';
import { afterCursor, assertMember, assertRestorable, goneIfPurged, cursorKey, deletedFilter, iso, isoOrNull, ownerColumns, ownerRef, toPage } from './records.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

type Row = { company: typeof companies.$inferSelect; ownerName: string | null; ownerEmail: string | null };

export function presentCompany({ company: c, ownerName, ownerEmail }: Row): Company {
  return {
    id: c.id,
    name: c.name,
    domain: c.domain,
    industry: c.industry,
    ownerId: c.ownerId,
    owner: ownerRef(c.ownerId, ownerName, ownerEmail),
    customFields: c.customFields,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    deletedAt: isoOrNull(c.deletedAt),
  };
}

const selectCompanies = (s: Scope) =>
  s.db
    .select({ company: companies, ...ownerColumns, cursorKey: cursorKey(companies.createdAt) })
    .from(companies)
    .leftJoin(user, eq(user.id, companies.ownerId));

export async function listCompanies(s: Scope, q: CompanyListQuery) {
  const prefix = q.q?.toLowerCase();
  const rows = await selectCompanies(s)
    .where(
      and(
        eq(companies.orgId, s.actor.orgId),
        deletedFilter(s, companies.deletedAt, q.deleted),
        afterCursor(companies.createdAt, companies.id, q.cursor),
        prefix
          ? or(sql`starts_with(lower(${companies.name}), ${prefix})`, sql`starts_with(${companies.domainNormalized}, ${prefix})`)
          : undefined,
        q.domain ? eq(companies.domainNormalized, q.domain.toLowerCase()) : undefined,
        q.ownerId ? eq(companies.ownerId, q.ownerId) : undefined,
      ),
    )
    .orderBy(desc(companies.createdAt), desc(companies.id))
    .limit(q.limit + 1);
  return toPage(rows.map((r) => ({ ...r, id: r.company.id })), q.limit, presentCompany);
}

async function findCompany(s: Scope, id: string, includeDeleted = false) {
  const [row] = await selectCompanies(s).where(and(eq(companies.id, id), includeDeleted ? undefined : isNull(companies.deletedAt)));
  if (!row) throw notFound('Company');
  return row;
}

export const getCompany = async (s: Scope, id: string) => presentCompany(await findCompany(s, id));

async function assertDomainFree(s: Scope, domain: string | null | undefined, exceptId?: string) {
  if (!domain) return;
  const [existing] = await s.db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.domainNormalized, domain.toLowerCase()), isNull(companies.deletedAt)));
  if (existing && existing.id !== exceptId) throw new AppError('CONFLICT', `A company with the domain ${domain} already exists`, { existingId: existing.id });
}

const domainTaken = (domain: string | null | undefined) => (err: unknown) => {
  if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A company with the domain ${domain} already exists`);
  throw err;
};

export async function createCompany(s: Scope, input: CompanyCreate) {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot create companies');
  if (input.ownerId) await assertMember(s, input.ownerId);
  await assertDomainFree(s, input.domain);
  const values = {
    orgId: s.actor.orgId,
    name: input.name,
    domain: input.domain ?? null,
    industry: input.industry ?? null,
    ownerId: input.ownerId ?? s.actor.userId,
    customFields: input.customFields ?? {},
  };
  const [created] = await s.db.insert(companies).values(values).returning().catch(domainTaken(input.domain));
  const changes = fieldChanges({}, values);
  await recordAudit(s, 'create', 'company', created!.id, changes);
  const company = presentCompany(await findCompany(s, created!.id));
  await s.emit({ type: 'company.created', recordId: company.id, changes, data: { company } });
  return company;
}

export async function updateCompany(s: Scope, id: string, patch: CompanyUpdate) {
  const current = await findCompany(s, id);
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot change companies');
  if (patch.ownerId) await assertMember(s, patch.ownerId);
  if (patch.domain) await assertDomainFree(s, patch.domain, id);
  const changes = fieldChanges(current.company, patch);
  if (Object.keys(changes).length > 0) {
    await s.db.update(companies).set({ ...patch, updatedAt: s.now() }).where(eq(companies.id, id)).catch(domainTaken(patch.domain));
    await recordAudit(s, 'update', 'company', id, changes);
  }
  const company = presentCompany(await findCompany(s, id));
  if (Object.keys(changes).length > 0) await s.emit({ type: 'company.updated', recordId: id, changes, data: { company } });
  return company;
}

export async function deleteCompany(s: Scope, id: string) {
  const current = await findCompany(s, id);
  if (!canDeleteShared(s.actor, current.company.ownerId)) throw forbidden('Only the owner, a manager or an admin can delete this company');
  await s.db.update(companies).set({ deletedAt: s.now() }).where(eq(companies.id, id));
  await recordAudit(s, 'delete', 'company', id);
  await s.emit({ type: 'company.deleted', recordId: id });
}

export async function restoreCompany(s: Scope, id: string) {
  const current = await findCompany(s, id, true).catch(async (err: unknown) => {
    await goneIfPurged(s, ['company'], id, 'This company');
    throw err;
  });
  if (!isAdmin(s.actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.company.deletedAt, 'This company', s.now());
  await assertDomainFree(s, current.company.domain);
  await s.db.update(companies).set({ deletedAt: null, updatedAt: s.now() }).where(eq(companies.id, id));
  await recordAudit(s, 'restore', 'company', id);
  const company = presentCompany(await findCompany(s, id));
  await s.emit({ type: 'company.restored', recordId: id, data: { company } });
  return company;
}

