// Every tenant query runs inside withTenant: one transaction that sets the organization for
// row-level security and drops to the unprivileged app_user role. Both settings are
// transaction-local, so a pooled connection never carries a tenant into the next request.
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from './client.ts';

export async function withTenant<T>(db: DbOrTx, orgId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true), set_config('role', 'app_user', true)`);
    return work(tx);
  });
}
