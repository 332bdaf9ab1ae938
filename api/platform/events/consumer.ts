// A consumer of domain events: a side effect that follows a change (a notification, a refreshed
// statistic, later a webhook, a Slack message, a workflow, a CRM push). Each has its own pg-boss
// queue, so one that fails or lags holds back no other. It runs in the event's organization as the
// system, in a transaction that also records the delivery: an event delivered twice (a retry, a
// redelivery after a crash, a replay) is handled once.
import type { DomainEvent, EventType } from '../../../core/events.ts';
import type { Scope } from '../tenancy/scope.ts';

export interface EventConsumer {
  /** Lower-case words joined by dashes; the queue is `event-<name>`. */
  name: string;
  /** The event types it wants; the dispatcher queues nothing else for it. */
  types: readonly EventType[];
  handle(s: Scope, event: DomainEvent): Promise<void>;
}

export const consumerQueue = (consumer: Pick<EventConsumer, 'name'>) => `event-${consumer.name}`;

export function checkConsumers(consumers: readonly EventConsumer[]) {
  const names = new Set<string>();
  for (const c of consumers) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(c.name)) throw new Error(`Consumer name "${c.name}": lower-case words joined by dashes`);
    if (names.has(c.name)) throw new Error(`Consumer name "${c.name}" is registered twice`);
    names.add(c.name);
  }
}
