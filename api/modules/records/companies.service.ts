import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { canDeleteShared, canWrite, isAdmin, type Actor } from '../../../core/roles.ts';
import type { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from '../../../core/schemas/companies.ts';
import type { Tx } from '../../../db/client.ts';
import { companies, user } from '../../../db/schema/index.ts';
import { isUniqueViolation } from '../../platform/http/errors.ts';
import { recordAudit } from './audit.ts';
import { afterCursor, assertMember, assertRestorable, goneIfPurged, cursorKey, deletedFilter, iso, isoOrNull, ownerColumns, ownerRef, toPage } from './records.ts';

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

const selectCompanies = (tx: Tx) =>
  tx
    .select({ company: companies, ...ownerColumns, cursorKey: cursorKey(companies.createdAt) })
    .from(companies)
    .leftJoin(user, eq(user.id, companies.ownerId));

export async function listCompanies(tx: Tx, actor: Actor, q: CompanyListQuery) {
  const prefix = q.q?.toLowerCase();
  const rows = await selectCompanies(tx)
    .where(
      and(
        eq(companies.orgId, actor.orgId),
        deletedFilter(actor, companies.deletedAt, q.deleted),
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

async function findCompany(tx: Tx, id: string, includeDeleted = false) {
  const [row] = await selectCompanies(tx).where(and(eq(companies.id, id), includeDeleted ? undefined : isNull(companies.deletedAt)));
  if (!row) throw notFound('Company');
  return row;
}

export const getCompany = async (tx: Tx, _actor: Actor, id: string) => presentCompany(await findCompany(tx, id));

async function assertDomainFree(tx: Tx, domain: string | null | undefined, exceptId?: string) {
  if (!domain) return;
  const [existing] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.domainNormalized, domain.toLowerCase()), isNull(companies.deletedAt)));
  if (existing && existing.id !== exceptId) throw new AppError('CONFLICT', `A company with the domain ${domain} already exists`, { existingId: existing.id });
}

const domainTaken = (domain: string | null | undefined) => (err: unknown) => {
  if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A company with the domain ${domain} already exists`);
  throw err;
};

export async function createCompany(tx: Tx, actor: Actor, input: CompanyCreate) {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot create companies');
  if (input.ownerId) await assertMember(tx, input.ownerId);
  await assertDomainFree(tx, input.domain);
  const values = {
    orgId: actor.orgId,
    name: input.name,
    domain: input.domain ?? null,
    industry: input.industry ?? null,
    ownerId: input.ownerId ?? actor.userId,
    customFields: input.customFields ?? {},
  };
  const [created] = await tx.insert(companies).values(values).returning().catch(domainTaken(input.domain));
  await recordAudit(tx, actor, 'create', 'company', created!.id, fieldChanges({}, values));
  return presentCompany(await findCompany(tx, created!.id));
}

export async function updateCompany(tx: Tx, actor: Actor, id: string, patch: CompanyUpdate) {
  const current = await findCompany(tx, id);
  if (!canWrite(actor)) throw forbidden('Read-only members cannot change companies');
  if (patch.ownerId) await assertMember(tx, patch.ownerId);
  if (patch.domain) await assertDomainFree(tx, patch.domain, id);
  const changes = fieldChanges(current.company, patch);
  if (Object.keys(changes).length > 0) {
    await tx.update(companies).set({ ...patch, updatedAt: new Date() }).where(eq(companies.id, id)).catch(domainTaken(patch.domain));
    await recordAudit(tx, actor, 'update', 'company', id, changes);
  }
  return presentCompany(await findCompany(tx, id));
}

export async function deleteCompany(tx: Tx, actor: Actor, id: string) {
  const current = await findCompany(tx, id);
  if (!canDeleteShared(actor, current.company.ownerId)) throw forbidden('Only the owner, a manager or an admin can delete this company');
  await tx.update(companies).set({ deletedAt: new Date() }).where(eq(companies.id, id));
  await recordAudit(tx, actor, 'delete', 'company', id);
}

export async function restoreCompany(tx: Tx, actor: Actor, id: string) {
  const current = await findCompany(tx, id, true).catch(async (err: unknown) => {
    await goneIfPurged(tx, actor, ['company'], id, 'This company');
    throw err;
  });
  if (!isAdmin(actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.company.deletedAt, 'This company');
  await assertDomainFree(tx, current.company.domain);
  await tx.update(companies).set({ deletedAt: null, updatedAt: new Date() }).where(eq(companies.id, id));
  await recordAudit(tx, actor, 'restore', 'company', id);
  return presentCompany(await findCompany(tx, id));
}

export async function companiesByIds(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await selectCompanies(tx).where(and(inArray(companies.id, ids), isNull(companies.deletedAt)));
  return rows.map(presentCompany);
}
