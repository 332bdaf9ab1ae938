// Follows every committed domain event without polling: a trigger NOTIFYs crm_events at commit
// (db/migrations/0014) and this LISTENs. On Postgres every API process listens on its own
// connection, so several replicas behind a load balancer all see every event; on the embedded
// database the one process listens to itself. Only ids travel; readers load what they show.
import { z } from 'zod';
import { isEventType, type EventType } from '../../../core/events.ts';
import type { Database } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';

const Announcement = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  orgId: z.uuid(),
  type: z.string().refine(isEventType),
  recordType: z.string(),
  recordId: z.uuid(),
  actorId: z.uuid().nullable(),
});
export type EventAnnouncement = z.infer<typeof Announcement> & { type: EventType };

export interface EventStream {
  subscribe(listener: (event: EventAnnouncement) => void): () => void;
  close(): Promise<void>;
}

export const EVENTS_CHANNEL = 'crm_events';

export async function openEventStream(database: Database, log: Logger): Promise<EventStream> {
  const listeners = new Set<(event: EventAnnouncement) => void>();
  const onPayload = (payload: string) => {
    let parsed: EventAnnouncement;
    try {
      parsed = Announcement.parse(JSON.parse(payload)) as EventAnnouncement;
    } catch {
      log.warn('ignored a malformed event announcement', { channel: EVENTS_CHANNEL });
      return;
    }
    for (const listener of listeners) {
      try {
        listener(parsed);
      } catch (err) {
        log.error('event stream listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  const unlisten = await listenChannel(database, EVENTS_CHANNEL, onPayload);
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await unlisten().catch(() => undefined);
    },
  };
}

/** LISTENs on `channel` of `database` (Postgres or the embedded one); resolves with the unlisten. */
export async function listenChannel(database: Database, channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  if (database.kind === 'pglite') return database.pglite!.listen(channel, onPayload);
  // postgres.js keeps a dedicated connection for LISTEN and re-listens after a reconnect.
  const listening = await database.client!.listen(channel, onPayload);
  return () => listening.unlisten();
}
