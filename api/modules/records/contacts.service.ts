import { and, arrayContains, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { domainOf, isFreeMailDomain } from '../../../core/email-address.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { canDeleteShared, canWrite, isAdmin } from '../../../core/roles.ts';
import type { Contact, ContactCreate, ContactListQuery, ContactUpdate } from '../../../core/schemas/contacts.ts';
import { prefixUpperBound, searchWords } from '../../../core/search.ts';
import { companies, contacts, contactSearchTerms, user } from '../../../db/schema/index.ts';
import { isUniqueViolation } from '../../platform/http/errors.ts';
import { recordAudit } from './audit.ts';
import {
  afterCursor,
  assertCompaniesExist,
  assertMember,
  assertRestorable,
  goneIfPurged,
  cursorKey,
  deletedFilter,
  iso,
  isoOrNull,
  ownerColumns,
  ownerRef,
  toPage,
} from './records.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const columns = { contact: contacts, ...ownerColumns, cursorKey: cursorKey(contacts.createdAt) };
type Row = { contact: typeof contacts.$inferSelect; ownerName: string | null; ownerEmail: string | null; cursorKey: string };

export function presentContact({ contact: c, ownerName, ownerEmail }: Omit<Row, 'cursorKey'>): Contact {
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    title: c.title,
    phone: c.phone,
    companyId: c.companyId,
    ownerId: c.ownerId,
    owner: ownerRef(c.ownerId, ownerName, ownerEmail),
    tags: c.tags,
    customFields: c.customFields,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    deletedAt: isoOrNull(c.deletedAt),
  };
}

const selectContacts = (s: Scope) =>
  s.db.select(columns).from(contacts).leftJoin(user, eq(user.id, contacts.ownerId));

/**
 * Search: contacts whose words start with every word of the query, newest first. The first word
 * drives an index-only range scan that is already ordered by the contact's creation time; the
 * other words must match the same contact. Only the page's contacts are read afterwards.
 */
async function searchContacts(s: Scope, q: ContactListQuery & { q: string }) {
  const [first, ...rest] = searchWords(q.q);
  if (!first) return { data: [], nextCursor: null };
  const t = contactSearchTerms;
  const inRange = (w: string) => and(eq(t.orgId, s.actor.orgId), sql`${t.term} >= ${w}`, sql`${t.term} < ${prefixUpperBound(w)}`);
  // Deleted contacts have no search terms, so without other filters every match is shown and
  // the page can be cut before any contact is read.
  const onlyWords = !q.companyId && !q.ownerId && !q.tag && !q.email;
  const grouped = s.db
    .select({ contactId: t.contactId, createdAt: t.contactCreatedAt })
    .from(t)
    .where(
      and(
        inRange(first),
        afterCursor(t.contactCreatedAt, t.contactId, q.cursor),
        ...rest.map((w) => inArray(t.contactId, s.db.select({ id: contactSearchTerms.contactId }).from(contactSearchTerms).where(inRange(w)))),
      ),
    )
    .groupBy(t.contactId, t.contactCreatedAt)
    .$dynamic();
  const matches = (onlyWords ? grouped.orderBy(desc(t.contactCreatedAt), desc(t.contactId)).limit(q.limit + 1) : grouped).as('matches');
  const rows = await s.db
    .select(columns)
    .from(matches)
    .innerJoin(contacts, eq(contacts.id, matches.contactId))
    .leftJoin(user, eq(user.id, contacts.ownerId))
    .where(
      and(
        isNull(contacts.deletedAt),
        q.companyId ? eq(contacts.companyId, q.companyId) : undefined,
        q.ownerId ? eq(contacts.ownerId, q.ownerId) : undefined,
        q.tag ? arrayContains(contacts.tags, [q.tag]) : undefined,
        q.email ? eq(contacts.emailNormalized, q.email.trim().toLowerCase()) : undefined,
      ),
    )
    .orderBy(desc(matches.createdAt), desc(matches.contactId))
    .limit(q.limit + 1);
  return toPage(rows.map((r) => ({ ...r, id: r.contact.id })), q.limit, presentContact);
}

export async function listContacts(s: Scope, q: ContactListQuery) {
  if (q.q && q.deleted) throw new AppError('VALIDATION_FAILED', 'q: deleted contacts are not searchable; filter them by email instead', [{ path: 'q', message: 'cannot be combined with deleted' }]);
  if (q.q) return searchContacts(s, { ...q, q: q.q });
  const conditions = [
    eq(contacts.orgId, s.actor.orgId),
    deletedFilter(s, contacts.deletedAt, q.deleted),
    afterCursor(contacts.createdAt, contacts.id, q.cursor),
    q.companyId ? eq(contacts.companyId, q.companyId) : undefined,
    q.ownerId ? eq(contacts.ownerId, q.ownerId) : undefined,
    q.tag ? arrayContains(contacts.tags, [q.tag]) : undefined,
    q.email ? eq(contacts.emailNormalized, q.email.trim().toLowerCase()) : undefined,
  ];
  const rows = await selectContacts(s)
    .where(and(...conditions))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(q.limit + 1);
  return toPage(rows.map((r) => ({ ...r, id: r.contact.id })), q.limit, presentContact);
}

async function findContact(s: Scope, id: string, includeDeleted = false): Promise<Row> {
  const [row] = await selectContacts(s).where(and(eq(contacts.id, id), includeDeleted ? undefined : isNull(contacts.deletedAt)));
  if (!row) throw notFound('Contact');
  return row;
}

export async function getContact(s: Scope, id: string) {
  return presentContact(await findContact(s, id));
}

/** A company whose domain is the contact's email domain (never for free-mail addresses). */
async function companyForEmail(s: Scope, email: string): Promise<string | null> {
  const domain = domainOf(email);
  if (isFreeMailDomain(domain)) return null;
  const [company] = await s.db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.domainNormalized, domain), isNull(companies.deletedAt)));
  return company?.id ?? null;
}

async function assertEmailFree(s: Scope, email: string, exceptId?: string) {
  const [existing] = await s.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.emailNormalized, email.toLowerCase()), isNull(contacts.deletedAt)));
  if (existing && existing.id !== exceptId) {
    throw new AppError('CONFLICT', `A contact with the email ${email} already exists`, { existingId: existing.id });
  }
}

export async function createContact(s: Scope, input: ContactCreate) {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot create contacts');
  if (input.companyId) await assertCompaniesExist(s, [input.companyId]);
  if (input.ownerId) await assertMember(s, input.ownerId);
  await assertEmailFree(s, input.email);
  const values = {
    orgId: s.actor.orgId,
    email: input.email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    title: input.title ?? null,
    phone: input.phone ?? null,
    companyId: input.companyId === undefined ? await companyForEmail(s, input.email) : input.companyId,
    ownerId: input.ownerId ?? s.actor.userId,
    tags: input.tags ?? [],
    customFields: input.customFields ?? {},
  };
  const [created] = await s.db
    .insert(contacts)
    .values(values)
    .returning()
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A contact with the email ${input.email} already exists`);
      throw err;
    });
  const changes = fieldChanges({}, values);
  await recordAudit(s, 'create', 'contact', created!.id, changes);
  const contact = presentContact(await findContact(s, created!.id));
  await s.emit({ type: 'contact.created', recordId: contact.id, changes, data: { contact } });
  return contact;
}

export async function updateContact(s: Scope, id: string, patch: ContactUpdate) {
  const current = await findContact(s, id);
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot change contacts');
  if (patch.companyId) await assertCompaniesExist(s, [patch.companyId]);
  if (patch.ownerId) await assertMember(s, patch.ownerId);
  if (patch.email && patch.email.toLowerCase() !== current.contact.email.toLowerCase()) await assertEmailFree(s, patch.email, id);
  const changes = fieldChanges(current.contact, patch);
  if (Object.keys(changes).length > 0) {
    await s.db
      .update(contacts)
      .set({ ...patch, updatedAt: s.now() })
      .where(eq(contacts.id, id))
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A contact with the email ${patch.email} already exists`);
        throw err;
      });
    await recordAudit(s, 'update', 'contact', id, changes);
  }
  const contact = presentContact(await findContact(s, id));
  if (Object.keys(changes).length > 0) await s.emit({ type: 'contact.updated', recordId: id, changes, data: { contact } });
  return contact;
}

export async function deleteContact(s: Scope, id: string) {
  const current = await findContact(s, id);
  if (!canDeleteShared(s.actor, current.contact.ownerId)) throw forbidden('Only the owner, a manager or an admin can delete this contact');
  await s.db.update(contacts).set({ deletedAt: s.now() }).where(eq(contacts.id, id));
  await recordAudit(s, 'delete', 'contact', id);
  await s.emit({ type: 'contact.deleted', recordId: id });
}

export async function restoreContact(s: Scope, id: string) {
  const current = await findContact(s, id, true).catch(async (err: unknown) => {
    await goneIfPurged(s, ['contact'], id, 'This contact');
    throw err;
  });
  if (!isAdmin(s.actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.contact.deletedAt, 'This contact', s.now());
  await assertEmailFree(s, current.contact.email);
  await s.db.update(contacts).set({ deletedAt: null, updatedAt: s.now() }).where(eq(contacts.id, id));
  await recordAudit(s, 'restore', 'contact', id);
  const contact = presentContact(await findContact(s, id));
  await s.emit({ type: 'contact.restored', recordId: id, data: { contact } });
  return contact;
}

/** Live contacts with these addresses (case-insensitive), for context lookups and email logging. */
export async function contactsByEmails(s: Scope, emails: string[]) {
  if (emails.length === 0) return [];
  return selectContacts(s).where(and(inArray(contacts.emailNormalized, emails), isNull(contacts.deletedAt)));
}
