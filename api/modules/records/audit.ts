// The append-only audit log: who changed what, when, with old and new values.
import type { FieldChanges } from '../../../core/diff.ts';
import type { Actor } from '../../../core/roles.ts';
import type { Tx } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema/index.ts';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore';

export async function recordAudit(tx: Tx, actor: Actor, action: AuditAction, entityType: string, entityId: string, changes: FieldChanges = {}) {
  await tx.insert(auditLog).values({ orgId: actor.orgId, actorId: actor.userId, action, entityType, entityId, changes });
}
