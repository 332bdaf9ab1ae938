// A unit of work in one organization: its scoped query builder (db/tenant.ts), who acts, the time
// of the change and the outbox. Every service function takes a Scope; nothing in api/modules opens
// a transaction or reaches a tenant table any other way (an architecture test keeps it so).
import type { EventInput } from '../../../core/events.ts';
import type { Actor } from '../../../core/roles.ts';
import type { DbOrTx } from '../../../db/client.ts';
import { withTenant, type TenantDb } from '../../../db/tenant.ts';
import { writeEvents } from '../events/outbox.ts';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface Scope {
  readonly db: TenantDb;
  readonly orgId: string;
  readonly actor: Actor;
  /** The time of this unit of work: one instant for everything it writes. */
  now(): Date;
  /** Writes events to the outbox in this transaction: they exist if and only if the change commits. */
  emit(...events: EventInput[]): Promise<void>;
}

export function scopeOf(t: TenantDb, actor: Actor, clock: Clock, options: { withoutOutbox?: boolean } = {}): Scope {
  if (actor.orgId !== t.orgId) throw new Error('The actor belongs to another organization than the transaction');
  const at = clock();
  return {
    db: t,
    orgId: t.orgId,
    actor,
    now: () => at,
    emit: options.withoutOutbox ? async () => {} : (...events) => writeEvents(t, actor.userId, at, events),
  };
}

/** Runs work in one transaction of the actor's organization. */
export function inTenant<T>(db: DbOrTx, clock: Clock, actor: Actor, work: (s: Scope) => Promise<T>, options: { withoutOutbox?: boolean } = {}): Promise<T> {
  return withTenant(db, actor.orgId, (t) => work(scopeOf(t, actor, clock, options)));
}
