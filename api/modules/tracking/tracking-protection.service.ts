// Keeping tracked links from becoming an open redirector. Anyone can sign up, register a "message"
// whose links point anywhere, and hand out links on this deployment's host that redirect there. So:
// - a click redirects only for a message its sender reported sent (redirect-gate.ts);
// - each organization may register TRACKING_MESSAGES_PER_DAY messages a day, and its links may point
//   at TRACKING_LINK_HOSTS_PER_DAY hosts it never linked to before, per 24 hours (the operator can
//   set other numbers per organization);
// - the operator's kill switch (`npm run admin -- tracking:suspend`) stops an organization's
//   redirects at once (within the gate's cache time) and refuses new tracked messages.
import { count, gt, inArray, min, sql } from 'drizzle-orm';
import { AppError, rateLimited } from '../../../core/errors.ts';
import { linkHosts } from '../../../core/tracking/link-hosts.ts';
import { trackingLinkHosts, trackingProtections } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';

export interface TrackingQuotas {
  messagesPerDay: number;
  linkHostsPerDay: number;
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);
// Today's count goes on; another day's starts again at 1.
const sqlCountFor = (day: string) =>
  sql`case when ${trackingProtections.usageDay} = ${day}::date then ${trackingProtections.registrations} + 1 else 1 end`;


async function protectionRow(s: Scope) {
  const [row] = await s.db.select().from(trackingProtections);
  return row;
}

/**
 * Admits one tracked message whose links are `links`, or refuses it: 403 when the operator suspended
 * the organization's tracked links, 429 (with Retry-After) past a daily quota. Counts it when admitted.
 * Call it last in the registration's transaction: the usage row it updates stays locked until commit,
 * so concurrent registrations of one organization cannot both take the last place.
 */
export async function admitTrackedMessage(s: Scope, links: readonly { url: string }[], defaults: TrackingQuotas) {
  const now = s.now();
  const current = await protectionRow(s);
  if (current?.redirectsSuspendedAt) {
    throw new AppError('FORBIDDEN', `Tracked links are suspended for this organization by the operator (${current.suspendedReason ?? 'no reason given'}); send without tracking`);
  }

  const hosts = linkHosts(links);
  if (hosts.length > 0) {
    const known = new Set((await s.db.select({ host: trackingLinkHosts.host }).from(trackingLinkHosts).where(inArray(trackingLinkHosts.host, hosts))).map((h) => h.host));
    const fresh = hosts.filter((h) => !known.has(h));
    if (fresh.length > 0) {
      const since = new Date(now.getTime() - DAY_MS);
      const [recent] = await s.db.select({ n: count(), oldest: min(trackingLinkHosts.firstSeenAt) }).from(trackingLinkHosts).where(gt(trackingLinkHosts.firstSeenAt, since));
      const limit = current?.linkHostsPerDay ?? defaults.linkHostsPerDay;
      if ((recent?.n ?? 0) + fresh.length > limit) {
        const frees = recent?.oldest ? recent.oldest.getTime() + DAY_MS : now.getTime() + DAY_MS;
        throw rateLimited(`Tracked links may point at ${limit} new sites a day in this organization; this message adds ${fresh.length} (${fresh.slice(0, 3).join(', ')})`, (frees - now.getTime()) / 1000);
      }
      await s.db.insert(trackingLinkHosts).values(fresh.map((host) => ({ orgId: s.orgId, host, firstSeenAt: now }))).onConflictDoNothing();
    }
  }

  const day = utcDay(now);
  const [usage] = await s.db
    .insert(trackingProtections)
    .values({ orgId: s.orgId, usageDay: day, registrations: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: trackingProtections.orgId,
      set: { registrations: sqlCountFor(day), usageDay: day },
    })
    .returning({ registrations: trackingProtections.registrations });
  const limit = current?.messagesPerDay ?? defaults.messagesPerDay;
  if (usage!.registrations > limit) {
    const midnight = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
    throw rateLimited(`This organization registered its ${limit} tracked messages for today (UTC); send without tracking or wait`, (midnight - now.getTime()) / 1000);
  }
}

/** The kill switch: the organization's clicks stop redirecting and it cannot register tracked messages. */
export async function suspendTrackedLinks(s: Scope, reason: string) {
  const now = s.now();
  const before = await protectionRow(s);
  await s.db
    .insert(trackingProtections)
    .values({ orgId: s.orgId, redirectsSuspendedAt: now, suspendedReason: reason, updatedAt: now })
    .onConflictDoUpdate({ target: trackingProtections.orgId, set: { redirectsSuspendedAt: now, suspendedReason: reason, updatedAt: now } });
  const changes = { linksSuspended: { old: Boolean(before?.redirectsSuspendedAt), new: true }, suspendedReason: { old: before?.suspendedReason ?? null, new: reason } };
  await recordAudit(s, 'update', 'tracking_settings', s.orgId, changes);
  await s.emit({ type: 'tracking_settings.updated', recordId: s.orgId, changes, data: { linksSuspended: true, suspendedReason: reason } });
  return { orgId: s.orgId, linksSuspended: true, suspendedAt: now.toISOString(), reason };
}

export async function resumeTrackedLinks(s: Scope) {
  const now = s.now();
  const before = await protectionRow(s);
  if (before?.redirectsSuspendedAt) {
    await s.db.update(trackingProtections).set({ redirectsSuspendedAt: null, suspendedReason: null, updatedAt: now });
    const changes = { linksSuspended: { old: true, new: false }, suspendedReason: { old: before.suspendedReason, new: null } };
    await recordAudit(s, 'update', 'tracking_settings', s.orgId, changes);
    await s.emit({ type: 'tracking_settings.updated', recordId: s.orgId, changes, data: { linksSuspended: false } });
  }
  return { orgId: s.orgId, linksSuspended: false };
}

/** The operator's per-organization quotas; null goes back to the configured default. */
export async function setTrackingQuotas(s: Scope, quotas: { messagesPerDay?: number | null; linkHostsPerDay?: number | null }) {
  const now = s.now();
  const before = await protectionRow(s);
  const set = {
    ...(quotas.messagesPerDay !== undefined ? { messagesPerDay: quotas.messagesPerDay } : {}),
    ...(quotas.linkHostsPerDay !== undefined ? { linkHostsPerDay: quotas.linkHostsPerDay } : {}),
    updatedAt: now,
  };
  await s.db.insert(trackingProtections).values({ orgId: s.orgId, ...set }).onConflictDoUpdate({ target: trackingProtections.orgId, set });
  const changes = Object.fromEntries(
    (['messagesPerDay', 'linkHostsPerDay'] as const)
      .filter((field) => quotas[field] !== undefined && quotas[field] !== (before?.[field] ?? null))
      .map((field) => [field, { old: before?.[field] ?? null, new: quotas[field] }]),
  );
  if (Object.keys(changes).length > 0) {
    await recordAudit(s, 'update', 'tracking_settings', s.orgId, changes);
    await s.emit({ type: 'tracking_settings.updated', recordId: s.orgId, changes, data: { quotas: { ...quotas } } });
  }
  const after = await protectionRow(s);
  return { orgId: s.orgId, messagesPerDay: after?.messagesPerDay ?? null, linkHostsPerDay: after?.linkHostsPerDay ?? null };
}
