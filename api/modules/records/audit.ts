// The append-only audit log: who changed what, when, with old and new values.
import type { FieldChanges } from '../../../core/diff.ts';
import { auditLog } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

/** export: a CSV export (api/modules/exports), its kind, rows and filters in `changes`. */
export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'export';

export async function recordAudit(s: Scope, action: AuditAction, entityType: string, entityId: string, changes: FieldChanges = {}) {
  await s.db.insert(auditLog).values({ orgId: s.orgId, actorId: s.actor.userId, action, entityType, entityId, changes, at: s.now() });
}
