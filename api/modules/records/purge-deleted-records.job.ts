// Removes contacts, companies, deals and activities deleted more than RESTORE_WINDOW_DAYS ago: by
// then restore already answers 410 (assertRestorable uses the same boundary), so nothing that can
// still be restored is lost. Links, stage history, scores and search terms go with them (foreign
// keys cascade); the audit log keeps its entries, and its 'delete' entry is what keeps restore
// answering 410 instead of 404 once the row is gone (see goneIfPurged).
import { and, isNotNull, lt } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { activities, companies, contacts, deals, organizations } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import { RESTORE_WINDOW_DAYS } from './records.ts';
import type { JobDefinition } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;

// Children before parents, so each count is of rows deleted for their own sake.
const tables: [string, PgTable, PgColumn][] = [
  ['activities', activities, activities.deletedAt],
  ['deals', deals, deals.deletedAt],
  ['contacts', contacts, contacts.deletedAt],
  ['companies', companies, companies.deletedAt],
];

export const purgeDeletedRecordsJob: JobDefinition = {
  name: 'purge-deleted-records',
  cron: '45 3 * * *',
  async run({ db, log, now }) {
    const cutoff = new Date(now.getTime() - RESTORE_WINDOW_DAYS * DAY_MS);
    const orgs = await db.select({ id: organizations.id }).from(organizations);
    const totals: Record<string, number> = {};
    for (const { id: orgId } of orgs) {
      await withTenant(db, orgId, async (tx) => {
        for (const [name, table, deletedAt] of tables) {
          const gone = await tx.delete(table).where(and(isNotNull(deletedAt), lt(deletedAt, cutoff))).returning({ deletedAt });
          if (gone.length) totals[name] = (totals[name] ?? 0) + gone.length;
        }
      });
    }
    log.info('deleted records purged', { cutoff: cutoff.toISOString(), ...totals });
  },
};
