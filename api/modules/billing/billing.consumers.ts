// Seats kept equal to active members: a member added, removed, deactivated or reactivated sets the
// subscription's quantity (prorated by Stripe). Runs after the change committed; a redelivered
// event replays the same Stripe request (same idempotency key) instead of changing it twice.
import { billingConfig } from '../../config.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { syncSeats } from './stripe-billing.service.ts';
import { billingDeps } from './stripe-client.ts';

export const billingSeats: EventConsumer = {
  name: 'billing-seats',
  types: ['member.added', 'member.removed', 'member.updated'],
  async handle(s, event) {
    if (event.type === 'member.updated' && !event.changes.deactivatedAt) return;
    // Consumers run without the app's dependencies: billing is read from the configuration (off: nothing to do).
    const config = billingConfig();
    if (!config) return;
    await syncSeats(billingDeps(config), (work) => work(s), `inbox-crm-seats-${event.id}`);
  },
};
