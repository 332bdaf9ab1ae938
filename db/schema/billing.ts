// Billing: per organization, its plan, trial and what Stripe last said about its subscription; and
// the Stripe webhook events already applied (each is applied once).
import { boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

// One row per organization, made at sign-up (or on first use for organizations made otherwise).
// `plan` is what is paid for ('free' when nothing is; 'enterprise' is set by the operator); the plan
// in effect also depends on the trial and the subscription's status (core/billing/plans.ts).
export const orgBilling = pgTable(
  'org_billing',
  {
    orgId: orgId().primaryKey(),
    plan: text('plan', { enum: ['free', 'starter', 'pro', 'enterprise'] }).notNull().default('free'),
    trialEndsAt: timestamp('trial_ends_at', { withTimezone: true }),
    stripeCustomerId: text('stripe_customer_id'),
    stripeSubscriptionId: text('stripe_subscription_id'),
    subscriptionStatus: text('subscription_status'),
    seatsPaid: integer('seats_paid'),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    // The next invoice as the subscription stands: seats × the price's unit amount, in minor units.
    nextInvoiceAmount: integer('next_invoice_amount'),
    currency: text('currency'),
    // Start of the current run of failed payments (dunning); cleared when an invoice is paid.
    paymentFailedAt: timestamp('payment_failed_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('org_billing_customer_uq').on(t.stripeCustomerId)],
);

// Stripe event ids already applied, written in the same transaction as what the event changed.
export const billingWebhookEvents = pgTable('billing_webhook_events', {
  eventId: text('event_id').primaryKey(),
  orgId: orgId(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});
