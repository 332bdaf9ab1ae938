// Forgets Idempotency-Key answers past their time. The middleware already ignores and replaces an
// expired key when the same key comes back; this removes the ones that never do.
import { lt } from 'drizzle-orm';
import { idempotencyKeys } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../jobs/job.ts';
import { IDEMPOTENCY_KEY_HOURS } from './idempotency.ts';

export const purgeIdempotencyKeysJob = defineJob({
  name: 'purge-idempotency-keys',
  payload: OrgPayload,
  cron: '5 * * * *',
  cronPayload: (orgId) => ({ orgId }),
  async run({ now, inOrg }) {
    const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000);
    const gone = await inOrg(async (s) => (await s.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).returning({ key: idempotencyKeys.key })).length);
    return gone ? { keys: gone } : 'nothing-to-do';
  },
});
