// Deletes raw tracking hits (and the sender-view reports they were judged against) older than each
// organization's retention (its setting, else TRACKING_RETENTION_DAYS). What was learned from them
// stays: a hit is added to tracking_counts in the same transaction that classifies it, so every
// classified hit is already counted; hits not classified yet are never deleted here.
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { organizations, senderViews, trackingHits, trackingSettings } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import { trackingRetentionDays } from '../../config.ts';
import type { JobDefinition } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;
// Bounded deletes keep each transaction (and the locks it holds) short on a large backlog.
const CHUNK = 10_000;

export const trackingPurgeJob: JobDefinition = {
  name: 'tracking-purge',
  cron: '40 3 * * *',
  async run({ db, log, now }) {
    const defaultDays = trackingRetentionDays();
    const orgs = await db
      .select({ id: organizations.id, days: trackingSettings.retentionDays })
      .from(organizations)
      .leftJoin(trackingSettings, eq(trackingSettings.orgId, organizations.id));
    let hits = 0;
    let views = 0;
    for (const org of orgs) {
      const cutoff = new Date(now.getTime() - (org.days ?? defaultDays) * DAY_MS);
      for (;;) {
        const gone = await withTenant(db, org.id, async (tx) => {
          const old = tx
            .select({ id: trackingHits.id })
            .from(trackingHits)
            .where(and(eq(trackingHits.orgId, org.id), lt(trackingHits.at, cutoff), isNotNull(trackingHits.classifiedAt)))
            .limit(CHUNK);
          return (await tx.delete(trackingHits).where(inArray(trackingHits.id, old)).returning({ id: trackingHits.id })).length;
        });
        hits += gone;
        if (gone < CHUNK) break;
      }
      views += await withTenant(db, org.id, async (tx) =>
        (await tx.delete(senderViews).where(and(eq(senderViews.orgId, org.id), lt(senderViews.at, cutoff))).returning({ id: senderViews.id })).length,
      );
    }
    log.info('tracking hits purged', { organizations: orgs.length, hits, senderViews: views, defaultRetentionDays: defaultDays });
  },
};
