// One per API process: follows the process's event stream (Postgres LISTEN on crm_events, which
// every replica opens, so each replica's listeners hear every change made through any replica) and
// hands each committed change to the browsers listening in that organization, filtered per
// listener by what their role may read. Announcements arriving within a few milliseconds (a bulk
// move commits hundreds at once) are loaded together, once per organization, whatever the number
// of listeners. Organizations nobody is watching cost nothing.
import { liveVisibility } from '../../../core/live/visibility.ts';
import { systemActor, type Actor } from '../../../core/roles.ts';
import type { LiveChange } from '../../../core/schemas/live.ts';
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';
import type { EventAnnouncement, EventStream } from '../../platform/events/stream.ts';
import { inTenant, type Clock } from '../../platform/tenancy/scope.ts';
import { loadEventsById, type LoadedLiveEvent } from './live-events.service.ts';

/** How long announcements are gathered before they are loaded and sent. */
const BATCH_MS = 10;

export interface LiveListener {
  actor: Actor;
  send(change: LiveChange): void;
  /** Ends the listener's stream (the server is shutting down). */
  close(): void;
}

/** What one listener is sent about one event, or null when it is not theirs to hear. */
export function changeFor(actor: Actor, e: LoadedLiveEvent): LiveChange | null {
  const visibility = liveVisibility(actor, e.facts);
  if (visibility === 'none') return null;
  if (visibility === 'gone') return { ...e.change, deal: null };
  return e.card === undefined ? e.change : { ...e.change, deal: e.card };
}

export class LiveHub {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private pending = new Map<string, string[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  // Batches go out one after another, so a listener gets changes in commit order.
  private sending: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: { db: Db; clock: Clock; log: Logger },
    stream: EventStream,
  ) {
    this.unsubscribe = stream.subscribe((a) => this.announce(a));
  }

  /** Starts sending `listener` its organization's changes; call the answer to stop. */
  listen(listener: LiveListener): () => void {
    const org = listener.actor.orgId;
    let set = this.listeners.get(org);
    if (!set) this.listeners.set(org, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(org) === set) this.listeners.delete(org);
    };
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Resolves once every change announced so far has been handed to its listeners (tests, shutdown). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flush();
    }
    await this.sending;
  }

  /** Ends every listener's stream and stops following the event stream. */
  close() {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    for (const set of this.listeners.values()) for (const listener of set) listener.close();
    this.listeners.clear();
  }

  private announce(a: EventAnnouncement) {
    if (!this.listeners.get(a.orgId)?.size) return;
    const ids = this.pending.get(a.orgId);
    if (ids) ids.push(a.id);
    else this.pending.set(a.orgId, [a.id]);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush() {
    this.timer = null;
    const batches = this.pending;
    this.pending = new Map();
    this.sending = this.sending.then(async () => {
      for (const [orgId, ids] of batches) {
        try {
          await this.deliver(orgId, ids);
        } catch (err) {
          this.deps.log.error('live updates: could not load changes', { orgId, events: ids.length, error: err instanceof Error ? err.message : String(err) });
        }
      }
    });
  }

  private async deliver(orgId: string, ids: string[]) {
    const listeners = this.listeners.get(orgId);
    if (!listeners?.size) return;
    const events = await inTenant(this.deps.db, this.deps.clock, systemActor(orgId), (s) => loadEventsById(s, ids));
    for (const listener of this.listeners.get(orgId) ?? []) {
      for (const e of events) {
        const change = changeFor(listener.actor, e);
        if (change) listener.send(change);
      }
    }
  }
}
