// Writing domain events: one row per event in domain_events, in the caller's transaction. A
// trigger announces each on the crm_events channel at commit (db/migrations/0014).
import { recordKindOf, type EventInput } from '../../../core/events.ts';
import { domainEvents } from '../../../db/schema/index.ts';
import type { TenantDb } from '../../../db/tenant.ts';

export async function writeEvents(t: TenantDb, actorId: string | null, at: Date, events: EventInput[]) {
  if (events.length === 0) return;
  await t.insert(domainEvents).values(
    events.map((e) => ({
      orgId: t.orgId,
      type: e.type,
      recordType: recordKindOf(e.type),
      recordId: e.recordId,
      actorId,
      changes: e.changes ?? {},
      data: e.data ?? {},
      occurredAt: at,
    })),
  );
}
