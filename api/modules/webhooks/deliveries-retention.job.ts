// Forgets an organization's finished webhook and Slack deliveries (delivered or given up) older
// than OUTBOUND_RETENTION_DAYS, with their attempts (cascade): the delivery log reaches back that
// far. Pending deliveries are never deleted, however old: they are still owed to a receiver.
import { and, inArray, lt, ne } from 'drizzle-orm';
import { webhookDeliveries } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;
// Bounded deletes keep each transaction (and the locks it holds) short on a large backlog.
const CHUNK = 5_000;

export const deliveriesRetentionJob = (retentionDays: number) =>
  defineJob({
    name: 'webhook-deliveries-retention',
    payload: OrgPayload,
    cron: '55 3 * * *',
    cronPayload: (orgId) => ({ orgId }),
    async run({ now, inOrg }) {
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      let deliveries = 0;
      for (;;) {
        const gone = await inOrg(async (s) => {
          const old = s.db
            .select({ id: webhookDeliveries.id })
            .from(webhookDeliveries)
            .where(and(ne(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.createdAt, cutoff)))
            .limit(CHUNK);
          return (await s.db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, old)).returning({ id: webhookDeliveries.id })).length;
        });
        deliveries += gone;
        if (gone < CHUNK) break;
      }
      return deliveries ? { deliveries, retentionDays } : 'nothing-to-do';
    },
  });
