// Abuse protection: the shared rate-limit counters every API process checks (global, keyed by a hash),
// and per-organization controls on tracked links (the operator's kill switch, daily quotas).
import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

// One row per limited thing (an address, a network, an API key, a user), for its current window.
// The key is a SHA-256 of what is limited, so no email or address is stored here. Not a tenant
// table: most limits apply before anyone is signed in. Rows past `expires_at` are swept.
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_expires_idx').on(t.expiresAt)],
);

// Per organization, what the operator set for its tracked links (no row: the defaults from the
// configuration). `redirects_suspended_at`: the kill switch, set with `npm run admin -- tracking:suspend`;
// its clicks no longer redirect and it cannot register tracked messages. The quota columns override
// TRACKING_MESSAGES_PER_DAY / TRACKING_LINK_HOSTS_PER_DAY; `usage_day` / `registrations` count today's.
export const trackingProtections = pgTable('tracking_protections', {
  orgId: orgId().primaryKey(),
  redirectsSuspendedAt: timestamp('redirects_suspended_at', { withTimezone: true }),
  suspendedReason: text('suspended_reason'),
  messagesPerDay: integer('messages_per_day'),
  linkHostsPerDay: integer('link_hosts_per_day'),
  usageDay: date('usage_day', { mode: 'string' }),
  registrations: integer('registrations').notNull().default(0),
  updatedAt: updatedAt(),
});

// Every host an organization's tracked links pointed at, with when it first did: a burst of new
// hosts is what turning the tracking host into an open redirector looks like.
export const trackingLinkHosts = pgTable(
  'tracking_link_hosts',
  {
    orgId: orgId(),
    host: text('host').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.host] }), index('tracking_link_hosts_org_seen_idx').on(t.orgId, t.firstSeenAt)],
);
