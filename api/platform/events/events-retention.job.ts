// Keeps an organization's dispatched domain events for EVENTS_RETENTION_DAYS (replays and the
// live stream's resume reach back that far), then deletes them with their delivery records.
// Events not yet dispatched are never deleted.
import { and, eq, isNotNull, lt } from 'drizzle-orm';
import { domainEvents } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../jobs/job.ts';

const DAY_MS = 86_400_000;

export const eventsRetentionJob = (retentionDays: number) =>
  defineJob({
    name: 'events-retention',
    payload: OrgPayload,
    cron: '50 3 * * *',
    cronPayload: (orgId) => ({ orgId }),
    async run({ db, now }, { orgId }) {
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      // The application role may only append events; deleting is the owner's work (platform code),
      // named to the job's organization.
      const gone = await db
        .delete(domainEvents)
        .where(and(eq(domainEvents.orgId, orgId), isNotNull(domainEvents.dispatchedAt), lt(domainEvents.occurredAt, cutoff)))
        .returning({ id: domainEvents.id });
      return gone.length ? { events: gone.length } : 'nothing-to-do';
    },
  });
