// Deletes an organization's raw tracking hits (and the sender-view reports they were judged
// against) older than its retention (its setting, else TRACKING_RETENTION_DAYS). What was learned
// from them stays: a hit is added to tracking_counts in the same transaction that classifies it,
// so every classified hit is already counted; hits not classified yet are never deleted here.
import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import { senderViews, trackingHits, trackingSettings } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;
// Bounded deletes keep each transaction (and the locks it holds) short on a large backlog.
const CHUNK = 10_000;

export const trackingPurgeJob = (defaultRetentionDays: number) =>
  defineJob({
    name: 'tracking-purge',
    payload: OrgPayload,
    cron: '40 3 * * *',
    cronPayload: (orgId) => ({ orgId }),
    async run({ now, inOrg }) {
      const days = await inOrg(async (s) => (await s.db.select({ days: trackingSettings.retentionDays }).from(trackingSettings))[0]?.days ?? defaultRetentionDays);
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      let hits = 0;
      for (;;) {
        const gone = await inOrg(async (s) => {
          const old = s.db
            .select({ id: trackingHits.id })
            .from(trackingHits)
            .where(and(lt(trackingHits.at, cutoff), isNotNull(trackingHits.classifiedAt)))
            .limit(CHUNK);
          return (await s.db.delete(trackingHits).where(inArray(trackingHits.id, old)).returning({ id: trackingHits.id })).length;
        });
        hits += gone;
        if (gone < CHUNK) break;
      }
      const views = await inOrg(async (s) => (await s.db.delete(senderViews).where(lt(senderViews.at, cutoff)).returning({ id: senderViews.id })).length);
      return hits || views ? { hits, senderViews: views, retentionDays: days } : 'nothing-to-do';
    },
  });
