// What an organization allows tracking to record: its consent policy and retention (admins), each
// member's default for the compose toggle, recorded consents and opt-outs, and the consent decision
// for a set of recipients.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { forbidden } from '../../../core/errors.ts';
import { canWrite, isAdmin, type Actor } from '../../../core/roles.ts';
import type { TrackingDecision, TrackingSettings } from '../../../core/schemas/tracking.ts';
import type { z } from 'zod';
import {
  decideMessageTracking,
  describeMode,
  suggestedCountryOverrides,
  TrackingPolicy,
  type MessageTrackingDecision,
} from '../../../core/tracking/consent.ts';
import type { DbOrTx, Tx } from '../../../db/client.ts';
import { companies, contacts, memberships, trackingConsents, trackingOptOuts, trackingSettings } from '../../../db/schema/index.ts';
import { recordAudit } from '../records/audit.ts';

type Policy = z.output<typeof TrackingPolicy>;

/** A new organization tracks in full, except where regulators require consent (France, Italy). */
export const defaultTrackingPolicy: Policy = { mode: 'full', countryOverrides: { ...suggestedCountryOverrides } };

export async function trackingPolicyOf(tx: DbOrTx, orgId: string): Promise<{ policy: Policy; retentionDays: number | null }> {
  const [row] = await tx.select().from(trackingSettings).where(eq(trackingSettings.orgId, orgId));
  return { policy: row?.policy ? TrackingPolicy.parse(row.policy) : defaultTrackingPolicy, retentionDays: row?.retentionDays ?? null };
}

export async function getTrackingSettings(tx: Tx, actor: Actor, defaultRetentionDays: number): Promise<TrackingSettings> {
  const { policy, retentionDays } = await trackingPolicyOf(tx, actor.orgId);
  const [member] = await tx
    .select({ trackByDefault: memberships.trackByDefault })
    .from(memberships)
    .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, actor.userId)));
  return { policy, retentionDays: retentionDays ?? defaultRetentionDays, trackByDefault: member?.trackByDefault ?? true, description: describeMode(policy) };
}

export async function updateTrackingSettings(
  tx: Tx,
  actor: Actor,
  patch: { policy?: Policy; retentionDays?: number; trackByDefault?: boolean },
  defaultRetentionDays: number,
): Promise<TrackingSettings> {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot change tracking settings');
  const orgWide = patch.policy !== undefined || patch.retentionDays !== undefined;
  if (orgWide && !isAdmin(actor)) throw forbidden('Only admins can change the organization’s tracking policy and retention');
  if (orgWide) {
    const before = await trackingPolicyOf(tx, actor.orgId);
    const set = {
      ...(patch.policy !== undefined ? { policy: patch.policy } : {}),
      ...(patch.retentionDays !== undefined ? { retentionDays: patch.retentionDays } : {}),
      updatedAt: new Date(),
    };
    await tx.insert(trackingSettings).values({ orgId: actor.orgId, ...set }).onConflictDoUpdate({ target: trackingSettings.orgId, set });
    await recordAudit(tx, actor, 'update', 'tracking_settings', actor.orgId, {
      ...(set.policy ? { policy: { old: before.policy, new: set.policy } } : {}),
      ...(set.retentionDays !== undefined ? { retentionDays: { old: before.retentionDays, new: set.retentionDays } } : {}),
    });
  }
  if (patch.trackByDefault !== undefined) {
    await tx
      .update(memberships)
      .set({ trackByDefault: patch.trackByDefault })
      .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, actor.userId)));
  }
  return getTrackingSettings(tx, actor, defaultRetentionDays);
}

/** Records (or withdraws) a recipient's consent to tracking, used by the `consented` mode. */
export async function setTrackingConsent(tx: Tx, actor: Actor, input: { email: string; consented: boolean }) {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot record consent');
  const email = normalizeEmail(input.email)!;
  if (!input.consented) {
    await tx.delete(trackingConsents).where(and(eq(trackingConsents.orgId, actor.orgId), eq(trackingConsents.email, email)));
    return { email, consented: false, consentedAt: null };
  }
  const [row] = await tx
    .insert(trackingConsents)
    .values({ orgId: actor.orgId, email, recordedBy: actor.userId })
    .onConflictDoUpdate({ target: [trackingConsents.orgId, trackingConsents.email], set: { recordedBy: actor.userId } })
    .returning({ consentedAt: trackingConsents.consentedAt });
  return { email, consented: true, consentedAt: row!.consentedAt.toISOString() };
}

export interface RecipientFacts {
  email: string;
  contactId: string | null;
  /** The contact's display name, for "Ana Lopez opened …". */
  name: string | null;
  country: string | null;
  consentRecorded: boolean;
  optedOut: boolean;
}

/**
 * What the consent decision needs about each address: the country (the contact's custom field
 * `country`, else its company's), recorded consent, opt-out. Addresses must be normalized.
 */
export async function recipientFacts(tx: Tx, orgId: string, emails: string[]): Promise<RecipientFacts[]> {
  if (emails.length === 0) return [];
  const known = await tx
    .select({
      email: contacts.emailNormalized,
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      country: sql<string | null>`coalesce(${contacts.customFields}->>'country', ${companies.customFields}->>'country')`,
    })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.orgId, contacts.orgId)))
    .where(and(eq(contacts.orgId, orgId), inArray(contacts.emailNormalized, emails), sql`${contacts.deletedAt} is null`));
  const consents = await tx
    .select({ email: trackingConsents.email })
    .from(trackingConsents)
    .where(and(eq(trackingConsents.orgId, orgId), inArray(trackingConsents.email, emails)));
  const optOuts = await tx
    .select({ email: trackingOptOuts.email })
    .from(trackingOptOuts)
    .where(and(eq(trackingOptOuts.orgId, orgId), inArray(trackingOptOuts.email, emails)));
  const consented = new Set(consents.map((c) => c.email));
  const optedOut = new Set(optOuts.map((o) => o.email));
  return emails.map((email) => {
    const contact = known.find((k) => k.email === email);
    const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
    return {
      email,
      contactId: contact?.id ?? null,
      name: name || null,
      country: contact?.country ?? null,
      consentRecorded: consented.has(email),
      optedOut: optedOut.has(email),
    };
  });
}

/** Unique normalized addresses of to + cc + bcc (a message carries one pixel for all of them). */
export function recipientsOf(input: { to: string[]; cc: string[]; bcc: string[] }): string[] {
  return [...new Set([...input.to, ...input.cc, ...input.bcc].map(normalizeEmail).filter((e): e is string => e !== null))];
}

export async function decideTracking(tx: Tx, orgId: string, emails: string[]): Promise<{ decision: MessageTrackingDecision; facts: RecipientFacts[] }> {
  const facts = await recipientFacts(tx, orgId, emails);
  const { policy } = await trackingPolicyOf(tx, orgId);
  return { decision: decideMessageTracking(policy, facts), facts };
}

export const presentDecision = (d: MessageTrackingDecision): TrackingDecision => ({
  track: d.track,
  reason: d.reason,
  explanation: d.explanation,
  storeIdentity: d.storeIdentity,
  storeExactTime: d.storeExactTime,
});
