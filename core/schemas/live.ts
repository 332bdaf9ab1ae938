// What GET /api/v1/events streams (Server-Sent Events): one `change` per committed domain event the
// listener may see, its `id:` the event's sequence number, so a reconnecting browser resumes with
// Last-Event-ID where it left off.
import { z } from 'zod';
import { eventTypes } from '../events.ts';
import { BoardDeal } from './board.ts';
import { Id, Timestamp } from './common.ts';

export const LiveChange = z
  .object({
    seq: z.number().int().meta({ description: 'The event\'s position; also the SSE id' }),
    type: z.enum(eventTypes),
    recordType: z.string(),
    recordId: Id,
    actorId: Id.nullable().meta({ description: 'Who made the change; null: the system (a scheduled job, tracking)' }),
    occurredAt: Timestamp,
    deal: BoardDeal.nullable()
      .optional()
      .meta({ description: 'Deal events: the deal as the board shows it now; null when it is deleted or no longer yours to see' }),
    dealIds: z.array(Id).optional().meta({ description: 'Activity, task and email events: the deals the activity is linked to' }),
  })
  .meta({ id: 'LiveChange' });
export type LiveChange = z.infer<typeof LiveChange>;

/** `ready` follows the replay of missed events; `reset` says too much was missed: reload everything. */
export const LiveReady = z.object({ seq: z.number().int().nullable(), resumed: z.number().int() }).meta({ id: 'LiveReady' });
export type LiveReady = z.infer<typeof LiveReady>;

export const LiveQuery = z
  .object({
    orgId: Id.optional().meta({ description: 'The organization to follow (EventSource cannot send X-Org-Id); default: as for every route' }),
    after: z.coerce.number().int().min(0).optional().meta({ description: 'Resume after this event (the Last-Event-ID header wins when both are sent)' }),
  })
  .strict();
