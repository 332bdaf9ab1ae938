// Forgets sent mail: mail_outbox rows sent (or given up) more than OUTBOUND_RETENTION_DAYS ago.
// They hold addresses, names and one-time links (an invitation, a password reset) that have no
// use once delivered; their dedupe keys are needed only while upstream retries can still happen,
// which is minutes, not weeks. Mail still waiting to go is never deleted.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { mailOutbox } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;

export const mailRetentionJob = (retentionDays: number) =>
  defineJob({
    name: 'mail-retention',
    payload: OrgPayload,
    cron: '45 3 * * *',
    cronPayload: (orgId) => ({ orgId }),
    async run({ db, now }, { orgId }) {
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      // The owner connection, named to the job's organization: mail about signing in (a password
      // reset, a verification) belongs to no organization and is purged with every organization's
      // run (the same rule, so a second run finds nothing).
      const gone = await db
        .delete(mailOutbox)
        .where(
          and(
            or(eq(mailOutbox.orgId, orgId), isNull(mailOutbox.orgId)),
            // Compared as an ISO timestamp: a Date inside raw SQL is not serialized by postgres.js.
            sql`coalesce(${mailOutbox.sentAt}, ${mailOutbox.failedAt}) < ${cutoff.toISOString()}::timestamptz`,
          ),
        )
        .returning({ id: mailOutbox.id });
      return gone.length ? { mails: gone.length, retentionDays } : 'nothing-to-do';
    },
  });
