// Everything that runs in the background, in one place: per-organization jobs (cron or on demand)
// and the consumers of domain events. The scheduler (api/platform/jobs/scheduler.ts) runs them;
// tests deliver events to the same consumers inline (api/platform/events/delivery.ts).
import type { Config } from './config.ts';
import { firstOpenNotifications, highRiskNotifications } from './modules/notifications/notifications.consumers.ts';
import { purgeDeletedRecordsJob } from './modules/records/purge-deleted-records.job.ts';
import { riskEngagement, riskHistory } from './modules/risk/risk.consumers.ts';
import { riskRecomputeJob } from './modules/risk/risk-recompute.job.ts';
import { trackingPurgeJob } from './modules/tracking/tracking-purge.job.ts';
import type { EventConsumer } from './platform/events/consumer.ts';
import { eventsRetentionJob } from './platform/events/events-retention.job.ts';
import { purgeIdempotencyKeysJob } from './platform/http/purge-idempotency-keys.job.ts';
import type { JobDefinition } from './platform/jobs/job.ts';

export const consumers: readonly EventConsumer[] = [riskHistory, riskEngagement, highRiskNotifications, firstOpenNotifications];

export function jobsFor(config: Pick<Config, 'eventsRetentionDays' | 'tracking'>): readonly JobDefinition[] {
  return [
    riskRecomputeJob,
    purgeDeletedRecordsJob,
    purgeIdempotencyKeysJob,
    trackingPurgeJob(config.tracking.retentionDays),
    eventsRetentionJob(config.eventsRetentionDays),
  ];
}
