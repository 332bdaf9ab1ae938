// The notification dispatcher: one notice, every channel, each member's preferences. In-app, email
// and (through api/registry.ts) Slack all go through here, so a preference means the same
// everywhere.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { memberPreferences, organizationDefaults, wants, type PreferenceOverrides } from '../../../core/notify/preferences.ts';
import { memberships, notificationDefaults, notificationPreferences, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import type { Notice, NoticeRecipient, NotificationChannel } from './channel.ts';

export async function organizationOverrides(s: Scope): Promise<PreferenceOverrides> {
  const [row] = await s.db.select({ overrides: notificationDefaults.overrides }).from(notificationDefaults);
  return row?.overrides ?? {};
}

/** Hands `notice` to every channel, for the recipients whose preferences want it there. */
export async function dispatchNotice(s: Scope, notice: Notice, channels: readonly NotificationChannel[]): Promise<void> {
  const org = await organizationOverrides(s);
  const ids = [...new Set(notice.recipients)];
  // Active members only: a deactivated member hears nothing.
  const members = ids.length
    ? await s.db
        .select({ userId: memberships.userId, role: memberships.role, name: user.name, email: user.email, overrides: notificationPreferences.overrides })
        .from(memberships)
        .innerJoin(user, eq(user.id, memberships.userId))
        .leftJoin(notificationPreferences, and(eq(notificationPreferences.orgId, memberships.orgId), eq(notificationPreferences.userId, memberships.userId)))
        .where(and(inArray(memberships.userId, ids), isNull(memberships.deactivatedAt)))
    : [];
  const matrices = new Map(members.map((m) => [m.userId, memberPreferences(org, m.overrides ?? {})]));
  const defaults = organizationDefaults(org);
  for (const channel of channels) {
    if (channel.audience === 'organization') {
      if (wants(defaults, notice.kind, channel.id)) await channel.deliver(s, notice, []);
      continue;
    }
    const recipients: NoticeRecipient[] = members
      .filter((m) => wants(matrices.get(m.userId)!, notice.kind, channel.id, m.role))
      .map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, browser: wants(matrices.get(m.userId)!, notice.kind, 'browser', m.role) }));
    if (recipients.length) await channel.deliver(s, notice, recipients);
  }
}
