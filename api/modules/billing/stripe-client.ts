// The Stripe client the billing module uses, from the configuration: api.stripe.com, or the
// stand-in (STRIPE_API_URL, development and tests). Types of the API version the library pins.
import Stripe from 'stripe';
import type { BillingConfig } from '../../config.ts';

export interface BillingDeps {
  stripe: Stripe;
  webhookSecret: string;
  lookupKeys: BillingConfig['lookupKeys'];
}

export function billingDeps(config: BillingConfig): BillingDeps {
  const local = config.apiUrl ? new URL(config.apiUrl) : null;
  const stripe = new Stripe(config.secretKey, {
    // Stripe retries network errors, 409s and 5xx with the same Idempotency-Key.
    maxNetworkRetries: 2,
    ...(local ? { host: local.hostname, port: Number(local.port || 80), protocol: local.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
  return { stripe, webhookSecret: config.webhookSecret, lookupKeys: config.lookupKeys };
}
