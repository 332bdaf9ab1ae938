// Each member's notification choices and the organization's defaults (admins). Stored as
// overrides only (core/notify/preferences.ts), so a better default reaches everyone who kept it.
import { and, eq } from 'drizzle-orm';
import { AppError, forbidden } from '../../../core/errors.ts';
import {
  memberKinds,
  memberPreferences,
  mergeOverrides,
  notificationCatalogue,
  notificationKinds,
  organizationChannels,
  organizationDefaults,
  type NotificationChannelId,
  type NotificationKind,
  type PreferenceMatrix,
  type PreferenceOverrides,
  type PreferencePatch,
} from '../../../core/notify/preferences.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { NotificationPreferences } from '../../../core/schemas/notification-preferences.ts';
import { memberships, notificationDefaults, notificationPreferences } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { organizationOverrides } from '../notifications/notify.service.ts';

async function memberOverrides(s: Scope, userId: string): Promise<PreferenceOverrides> {
  const [row] = await s.db.select({ overrides: notificationPreferences.overrides }).from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return row?.overrides ?? {};
}

function present(matrix: PreferenceMatrix, defaults: PreferenceMatrix, role: string | null, kinds: readonly NotificationKind[] = notificationKinds): NotificationPreferences {
  return {
    kinds: kinds.map((kind) => ({
      kind,
      label: notificationCatalogue[kind].label,
      applies: !role || !notificationCatalogue[kind].roles || notificationCatalogue[kind].roles!.includes(role),
      channels: (Object.keys(defaults[kind]) as NotificationChannelId[]).map((channel) => ({
        channel,
        enabled: matrix[kind][channel] === true,
        organizationDefault: defaults[kind][channel] === true,
        organizationLevel: organizationChannels.includes(channel),
      })),
    })),
  };
}

function me(s: Scope): string {
  if (!s.actor.userId) throw forbidden('Notification preferences belong to a member');
  return s.actor.userId;
}

export async function getMyPreferences(s: Scope): Promise<NotificationPreferences> {
  const org = await organizationOverrides(s);
  // Kinds only Slack carries (the pipeline's moves) are the admins' alone: not on a member's page.
  return present(memberPreferences(org, await memberOverrides(s, me(s))), organizationDefaults(org), s.actor.role, memberKinds);
}

async function saveMemberOverrides(s: Scope, userId: string, overrides: PreferenceOverrides) {
  await s.db
    .insert(notificationPreferences)
    .values({ orgId: s.orgId, userId, overrides, updatedAt: s.now() })
    .onConflictDoUpdate({ target: [notificationPreferences.orgId, notificationPreferences.userId], set: { overrides, updatedAt: s.now() } });
}

/** A member's own choices (any role: what reaches them is theirs to decide). */
export async function updateMyPreferences(s: Scope, patch: PreferencePatch): Promise<NotificationPreferences> {
  const userId = me(s);
  await saveMemberOverrides(s, userId, mergeOverrides(await memberOverrides(s, userId), patch));
  return getMyPreferences(s);
}

export async function getOrganizationDefaults(s: Scope): Promise<NotificationPreferences> {
  const defaults = organizationDefaults(await organizationOverrides(s));
  return present(defaults, defaults, null);
}

export async function updateOrganizationDefaults(s: Scope, patch: PreferencePatch): Promise<NotificationPreferences> {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change the organization’s notification defaults');
  const overrides = mergeOverrides(await organizationOverrides(s), patch);
  await s.db
    .insert(notificationDefaults)
    .values({ orgId: s.orgId, overrides, updatedAt: s.now() })
    .onConflictDoUpdate({ target: notificationDefaults.orgId, set: { overrides, updatedAt: s.now() } });
  return getOrganizationDefaults(s);
}

/** The one-click unsubscribe of a mail: that kind's email off for that member. */
export async function unsubscribeFromEmail(s: Scope, userId: string, kind: NotificationKind): Promise<void> {
  const [member] = await s.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.userId, userId)));
  // No longer a member: they receive nothing from this organization anyway.
  if (!member) return;
  if (!('email' in notificationCatalogue[kind].defaults)) throw new AppError('VALIDATION_FAILED', `${kind} is not sent by email`);
  await saveMemberOverrides(s, userId, mergeOverrides(await memberOverrides(s, userId), { [kind]: { email: false } }));
}
