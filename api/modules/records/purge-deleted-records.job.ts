// Removes contacts, companies, deals and activities deleted more than RESTORE_WINDOW_DAYS ago: by
// then restore already answers 410 (assertRestorable uses the same boundary), so nothing that can
// still be restored is lost. Links, stage history, scores and search terms go with them (foreign
// keys cascade); the audit log keeps its entries, and its 'delete' entry is what keeps restore
// answering 410 instead of 404 once the row is gone (see goneIfPurged).
import { and, isNotNull, lt } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { activities, companies, contacts, deals } from '../../../db/schema/index.ts';
import { RESTORE_WINDOW_DAYS } from './records.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';

const DAY_MS = 86_400_000;

// Children before parents, so each count is of rows deleted for their own sake.
const tables: [string, PgTable, PgColumn][] = [
  ['activities', activities, activities.deletedAt],
  ['deals', deals, deals.deletedAt],
  ['contacts', contacts, contacts.deletedAt],
  ['companies', companies, companies.deletedAt],
];

export const purgeDeletedRecordsJob = defineJob({
  name: 'purge-deleted-records',
  payload: OrgPayload,
  cron: '45 3 * * *',
  cronPayload: (orgId) => ({ orgId }),
  async run({ now, inOrg }) {
    const cutoff = new Date(now.getTime() - RESTORE_WINDOW_DAYS * DAY_MS);
    const totals: Record<string, number> = {};
    await inOrg(async (s) => {
      for (const [name, table, deletedAt] of tables) {
        const gone = await s.db.delete(table).where(and(isNotNull(deletedAt), lt(deletedAt, cutoff))).returning({ deletedAt });
        if (gone.length) totals[name] = gone.length;
      }
    });
    return Object.keys(totals).length ? totals : 'nothing-to-do';
  },
});
