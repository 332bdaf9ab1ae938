// Every scheduled job, one file each, in the order they were added. The scheduler creates a queue
// per job, schedules its cron and works it; names must be unique.
import type { JobDefinition } from './job.ts';
import { purgeDeletedRecordsJob } from '../../modules/records/purge-deleted-records.job.ts';
import { purgeIdempotencyKeysJob } from '../http/purge-idempotency-keys.job.ts';
import { riskRecomputeJob } from '../../modules/risk/risk-recompute.job.ts';
import { trackingPurgeJob } from '../../modules/tracking/tracking-purge.job.ts';

export const jobs: readonly JobDefinition[] = [
  riskRecomputeJob,
  purgeDeletedRecordsJob,
  purgeIdempotencyKeysJob,
  trackingPurgeJob,
];
