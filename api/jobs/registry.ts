// Every scheduled job, one file each, in the order they were added. The scheduler creates a queue
// per job, schedules its cron and works it; names must be unique.
import type { JobDefinition } from './job.ts';
import { purgeDeletedRecordsJob } from './purge-deleted-records.job.ts';
import { purgeIdempotencyKeysJob } from './purge-idempotency-keys.job.ts';
import { riskRecomputeJob } from './risk-recompute.job.ts';
import { trackingPurgeJob } from './tracking-purge.job.ts';

export const jobs: readonly JobDefinition[] = [
  riskRecomputeJob,
  purgeDeletedRecordsJob,
  purgeIdempotencyKeysJob,
  trackingPurgeJob,
];
