// What an organization allows tracking to record: its consent policy and retention (admins), each
// member's default for the compose toggle, recorded consents and opt-outs, and the consent decision
// for a set of recipients.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { forbidden } from '../../../core/errors.ts';
import { canWrite, isAdmin } from '../../../core/roles.ts';
import type { TrackingDecision, TrackingSettings } from '../../../core/schemas/tracking.ts';
import type { z } from 'zod';
import {
  decideMessageTracking,
  describeMode,
  suggestedCountryOverrides,
  TrackingPolicy,
  type MessageTrackingDecision,
} from '../../../core/tracking/consent.ts';
import { companies, contacts, memberships, trackingConsents, trackingOptOuts, trackingSettings } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';

type Policy = z.output<typeof TrackingPolicy>;

/** A new organization tracks in full, except where regulators require consent (France, Italy). */
export const defaultTrackingPolicy: Policy = { mode: 'full', countryOverrides: { ...suggestedCountryOverrides } };

export async function trackingPolicyOf(s: Scope): Promise<{ policy: Policy; retentionDays: number | null }> {
  const [row] = await s.db.select().from(trackingSettings);
  return { policy: row?.policy ? TrackingPolicy.parse(row.policy) : defaultTrackingPolicy, retentionDays: row?.retentionDays ?? null };
}

async function trackByDefaultOf(s: Scope): Promise<boolean> {
  if (!s.actor.userId) return true;
  const [member] = await s.db.select({ trackByDefault: memberships.trackByDefault }).from(memberships).where(eq(memberships.userId, s.actor.userId));
  return member?.trackByDefault ?? true;
}

export async function getTrackingSettings(s: Scope, defaultRetentionDays: number): Promise<TrackingSettings> {
  const { policy, retentionDays } = await trackingPolicyOf(s);
  return { policy, retentionDays: retentionDays ?? defaultRetentionDays, trackByDefault: await trackByDefaultOf(s), description: describeMode(policy) };
}

export async function updateTrackingSettings(
  s: Scope,
  patch: { policy?: Policy; retentionDays?: number; trackByDefault?: boolean },
  defaultRetentionDays: number,
): Promise<TrackingSettings> {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot change tracking settings');
  const orgWide = patch.policy !== undefined || patch.retentionDays !== undefined;
  if (orgWide && !isAdmin(s.actor)) throw forbidden('Only admins can change the organization’s tracking policy and retention');
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  if (orgWide) {
    const before = await trackingPolicyOf(s);
    const set = {
      ...(patch.policy !== undefined ? { policy: patch.policy } : {}),
      ...(patch.retentionDays !== undefined ? { retentionDays: patch.retentionDays } : {}),
      updatedAt: s.now(),
    };
    await s.db.insert(trackingSettings).values({ orgId: s.orgId, ...set }).onConflictDoUpdate({ target: trackingSettings.orgId, set });
    if (set.policy) changes.policy = { old: before.policy, new: set.policy };
    if (set.retentionDays !== undefined) changes.retentionDays = { old: before.retentionDays, new: set.retentionDays };
    await recordAudit(s, 'update', 'tracking_settings', s.orgId, changes);
  }
  if (patch.trackByDefault !== undefined && s.actor.userId) {
    const before = await trackByDefaultOf(s);
    await s.db.update(memberships).set({ trackByDefault: patch.trackByDefault }).where(eq(memberships.userId, s.actor.userId));
    if (before !== patch.trackByDefault) changes[`trackByDefault.${s.actor.userId}`] = { old: before, new: patch.trackByDefault };
  }
  const settings = await getTrackingSettings(s, defaultRetentionDays);
  if (Object.keys(changes).length > 0) {
    await s.emit({ type: 'tracking_settings.updated', recordId: s.orgId, changes, data: { policy: settings.policy, retentionDays: settings.retentionDays } });
  }
  return settings;
}

/** Records (or withdraws) a recipient's consent to tracking, used by the `consented` mode. */
export async function setTrackingConsent(s: Scope, input: { email: string; consented: boolean }) {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot record consent');
  const email = normalizeEmail(input.email)!;
  if (!input.consented) {
    await s.db.delete(trackingConsents).where(eq(trackingConsents.email, email));
    return { email, consented: false, consentedAt: null };
  }
  const [row] = await s.db
    .insert(trackingConsents)
    .values({ orgId: s.orgId, email, recordedBy: s.actor.userId, consentedAt: s.now() })
    .onConflictDoUpdate({ target: [trackingConsents.orgId, trackingConsents.email], set: { recordedBy: s.actor.userId } })
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
export async function recipientFacts(s: Scope, emails: string[]): Promise<RecipientFacts[]> {
  if (emails.length === 0) return [];
  const known = await s.db
    .select({
      email: contacts.emailNormalized,
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      country: sql<string | null>`coalesce(${contacts.customFields}->>'country', ${companies.customFields}->>'country')`,
    })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.id, contacts.companyId), eq(companies.orgId, contacts.orgId)))
    .where(and(inArray(contacts.emailNormalized, emails), sql`${contacts.deletedAt} is null`));
  const consents = await s.db.select({ email: trackingConsents.email }).from(trackingConsents).where(inArray(trackingConsents.email, emails));
  const optOuts = await s.db.select({ email: trackingOptOuts.email }).from(trackingOptOuts).where(inArray(trackingOptOuts.email, emails));
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

export async function decideTracking(s: Scope, emails: string[]): Promise<{ decision: MessageTrackingDecision; facts: RecipientFacts[] }> {
  const facts = await recipientFacts(s, emails);
  const { policy } = await trackingPolicyOf(s);
  return { decision: decideMessageTracking(policy, facts), facts };
}

export const presentDecision = (d: MessageTrackingDecision): TrackingDecision => ({
  track: d.track,
  reason: d.reason,
  explanation: d.explanation,
  storeIdentity: d.storeIdentity,
  storeExactTime: d.storeExactTime,
});
