// What admins read to run the organization: the audit log and the trash.
import { z } from 'zod';
import { Id, Timestamp, UserRef } from './common.ts';

export const auditEntityTypes = ['deal', 'contact', 'company', 'activity', 'task', 'membership', 'invitation', 'team', 'api_key', 'pipeline', 'stage', 'risk_settings', 'tracking_settings', 'export'] as const;

export const AuditQuery = z
  .object({
    actorId: Id.optional().meta({ description: 'Changes made by this person' }),
    entityType: z.enum(auditEntityTypes).optional(),
    entityId: Id.optional().meta({ description: 'Changes to this record' }),
    from: Timestamp.optional().meta({ description: 'From this time (inclusive)' }),
    to: Timestamp.optional().meta({ description: 'Until this time (exclusive)' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(40).regex(/^\d+$/, 'not a cursor this API produced').optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    actor: UserRef.nullable().meta({ description: 'null: the system (a job, tracking) or a person no longer known' }),
    action: z.enum(['create', 'update', 'delete', 'restore', 'export']),
    entityType: z.string(),
    entityId: Id,
    entityName: z.string().nullable().meta({ description: 'The record\'s name now, when it still exists and has one' }),
    changes: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({ data: z.array(AuditEntry), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' });

export const trashTypes = ['deal', 'contact', 'company', 'activity', 'task'] as const;
export const TrashType = z.enum(trashTypes);

export const TrashQuery = z
  .object({ type: TrashType.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();
export type TrashQuery = z.infer<typeof TrashQuery>;

export const TrashItem = z
  .object({
    type: TrashType,
    id: Id,
    name: z.string(),
    deletedAt: Timestamp,
    deletedBy: UserRef.nullable(),
    restorableUntil: Timestamp,
  })
  .meta({ id: 'TrashItem' });
export type TrashItem = z.infer<typeof TrashItem>;
