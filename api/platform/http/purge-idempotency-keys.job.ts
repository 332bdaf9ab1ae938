// Forgets Idempotency-Key answers past their time. The middleware already ignores and replaces an
// expired key when the same key comes back; this removes the ones that never do. Housekeeping
// across organizations in one statement on the created_at index (no tenant data is read).
import { lt } from 'drizzle-orm';
import { idempotencyKeys } from '../../../db/schema/index.ts';
import { IDEMPOTENCY_KEY_HOURS } from './idempotency.ts';
import type { JobDefinition } from '../jobs/job.ts';

export const purgeIdempotencyKeysJob: JobDefinition = {
  name: 'purge-idempotency-keys',
  cron: '5 * * * *',
  async run({ db, log, now }) {
    const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000);
    const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).returning({ key: idempotencyKeys.key });
    log.info('idempotency keys purged', { cutoff: cutoff.toISOString(), keys: gone.length });
  },
};
