import { z } from 'zod';
import { BooleanQuery, Id, PageQuery, Timestamp, UserRef, shortText } from './common.ts';

/** What people create. */
export const activityTypes = ['email', 'call', 'meeting', 'note', 'task'] as const;
export const ActivityType = z.enum(activityTypes);
/** Written by email tracking only: a tracked email's counted opens (one per message) and clicks (one per link). */
export const trackingActivityTypes = ['email_opened', 'email_clicked'] as const;
/** Whether a type is one people create: reports and the risk score count only these. */
export const isPersonActivityType = (type: string): type is (typeof activityTypes)[number] => (activityTypes as readonly string[]).includes(type);
/** Every type an activity read back can have. */
export const AnyActivityType = z.enum([...activityTypes, ...trackingActivityTypes]);

const Links = {
  contactIds: z.array(Id).max(100),
  companyIds: z.array(Id).max(100),
  dealIds: z.array(Id).max(100),
};

export const ActivityInput = z.object({
  type: ActivityType,
  subject: shortText(1000).nullish(),
  body: z.string().max(100_000).nullish(),
  direction: z.enum(['inbound', 'outbound']).nullish(),
  occurredAt: Timestamp.optional(),
  dueAt: Timestamp.nullish(),
  completedAt: Timestamp.nullish(),
  ownerId: Id.optional(),
  ...Links,
});

export const ActivityCreate = ActivityInput.partial({ contactIds: true, companyIds: true, dealIds: true })
  .strict()
  .meta({ id: 'ActivityCreate' });
export const ActivityUpdate = ActivityInput.partial().strict().meta({ id: 'ActivityUpdate' });

export const Activity = z
  .object({
    id: Id,
    type: AnyActivityType,
    subject: z.string().nullable(),
    body: z.string().nullable(),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    occurredAt: Timestamp,
    dueAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    ownerId: Id.nullable(),
    owner: UserRef.nullable(),
    messageId: z.string().nullable(),
    threadId: z.string().nullable(),
    from: z.string().nullable(),
    to: z.array(z.string()).nullable(),
    cc: z.array(z.string()).nullable(),
    contactIds: z.array(Id),
    companyIds: z.array(Id),
    dealIds: z.array(Id),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Activity' });

export const ActivityListQuery = PageQuery.extend({
  type: AnyActivityType.optional(),
  contactId: Id.optional(),
  companyId: Id.optional(),
  dealId: Id.optional(),
  ownerId: Id.optional(),
  deleted: BooleanQuery.optional(),
});

// Tasks are activities of type "task"; this is their own, simpler surface.
export const TaskCreate = z
  .object({
    subject: z.string().trim().min(1).max(1000),
    body: z.string().max(100_000).nullish(),
    dueAt: Timestamp.nullish(),
    ownerId: Id.optional(),
    ...Links,
  })
  .partial({ contactIds: true, companyIds: true, dealIds: true })
  .strict()
  .meta({ id: 'TaskCreate' });

export const TaskUpdate = z
  .object({
    subject: z.string().trim().min(1).max(1000),
    body: z.string().max(100_000).nullable(),
    dueAt: Timestamp.nullable(),
    completed: z.boolean().meta({ description: 'true completes the task now; false reopens it' }),
    ownerId: Id,
    ...Links,
  })
  .partial()
  .strict()
  .meta({ id: 'TaskUpdate' });

export const TaskListQuery = PageQuery.extend({
  status: z.enum(['open', 'completed', 'all']).default('open'),
  ownerId: Id.optional(),
  contactId: Id.optional(),
  dealId: Id.optional(),
  companyId: Id.optional(),
  dueBefore: Timestamp.optional(),
  deleted: BooleanQuery.optional(),
});

export type ActivityCreate = z.infer<typeof ActivityCreate>;
export type ActivityUpdate = z.infer<typeof ActivityUpdate>;
export type Activity = z.infer<typeof Activity>;
export type ActivityListQuery = z.infer<typeof ActivityListQuery>;
export type TaskCreate = z.infer<typeof TaskCreate>;
export type TaskUpdate = z.infer<typeof TaskUpdate>;
export type TaskListQuery = z.infer<typeof TaskListQuery>;
