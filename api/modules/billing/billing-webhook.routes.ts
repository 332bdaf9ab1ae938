// Stripe's webhook: the raw body's signature is verified, the event id is recorded once (in the
// same transaction as what it changes, so a duplicate is a no-op and a failure is retried by
// Stripe), and the subscription is reloaded from Stripe before anything changes: events arrive in
// any order and late, and the state stored is always Stripe's current one.
import { Hono } from 'hono';
import type Stripe from 'stripe';
import { AppError } from '../../../core/errors.ts';
import { systemActor } from '../../../core/roles.ts';
import { billingWebhookEvents } from '../../../db/schema/index.ts';
import type { AppEnv } from '../../env.ts';
import { inTenant } from '../../platform/tenancy/scope.ts';
import { applySubscription } from './billing.service.ts';
import type { BillingDeps } from './stripe-client.ts';

export const handledEventTypes = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.trial_will_end',
] as const;

/** The subscription an event is about, whatever kind of object it carries. */
function subscriptionIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as Record<string, any>;
  if (object.object === 'subscription') return object.id;
  if (object.object === 'checkout.session') return typeof object.subscription === 'string' ? object.subscription : (object.subscription?.id ?? null);
  if (object.object === 'invoice') {
    const sub = object.parent?.subscription_details?.subscription;
    return typeof sub === 'string' ? sub : (sub?.id ?? null);
  }
  return null;
}

export function billingWebhookRoutes(billing: BillingDeps) {
  return new Hono<AppEnv>().post('/billing/stripe-webhook', async (c) => {
    const { db, clock, log } = c.var.deps;
    // The bytes as sent: the signature is over them, not over a re-serialized parse.
    const raw = await c.req.text();
    let event: Stripe.Event;
    try {
      // Signed at most 5 minutes before our clock's now (in milliseconds: stripe 23.1.0 divides it by 1000).
      event = billing.stripe.webhooks.constructEvent(raw, c.req.header('stripe-signature') ?? '', billing.webhookSecret, 300, undefined, clock().getTime());
    } catch (err) {
      throw new AppError('INVALID_SIGNATURE', `The Stripe signature does not verify: ${(err as Error).message}`);
    }
    if (!(handledEventTypes as readonly string[]).includes(event.type)) return c.json({ received: true, handled: false });
    const subscriptionId = subscriptionIdOf(event);
    if (!subscriptionId) return c.json({ received: true, handled: false });
    // Order is not trusted: what the subscription is now, not what the event's copy says.
    const sub = await billing.stripe.subscriptions.retrieve(subscriptionId);
    const orgId = sub.metadata.orgId;
    if (!orgId) {
      log.warn('stripe webhook: subscription without an organization', { eventId: event.id, subscriptionId });
      return c.json({ received: true, handled: false });
    }
    const outcome = await inTenant(db, clock, systemActor(orgId), async (s) => {
      const [first] = await s.db
        .insert(billingWebhookEvents)
        .values({ eventId: event.id, orgId, type: event.type, receivedAt: s.now() })
        .onConflictDoNothing()
        .returning({ eventId: billingWebhookEvents.eventId });
      if (!first) return 'duplicate';
      const { startedFailing } = await applySubscription(s, sub, billing.lookupKeys);
      // Dunning: admins are told once per run of failures (the mail module sends billing mail from this event).
      if (startedFailing) await s.emit({ type: 'billing.payment_failed', recordId: orgId, data: { subscriptionId: sub.id, status: sub.status, eventId: event.id } });
      if (event.type === 'customer.subscription.trial_will_end') {
        await s.emit({ type: 'billing.trial_will_end', recordId: orgId, data: { subscriptionId: sub.id, trialEnd: sub.trial_end ? new Date(sub.trial_end * 1000).toISOString() : null } });
      }
      return 'applied';
    });
    return c.json({ received: true, handled: outcome === 'applied', duplicate: outcome === 'duplicate' });
  });
}
