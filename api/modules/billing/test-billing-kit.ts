// Billing tests' set-up: an app with billing on, pointed at the Stripe stand-in through the real
// `stripe` library, served on a port so the stand-in can deliver its signed webhooks to it, and
// one clock for both that tests move forward.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { startStripeSandbox, type StripeSandbox } from '../../../sandbox/stripe/stripe-sandbox.ts';
import { contacts, deals, pipelines, pipelineStages } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { billingDeps } from './stripe-client.ts';

export const webhookSecret = 'whsec_test_billing_0123456789';
export const lookupKeys = { starter: 'starter_seat_monthly', pro: 'pro_seat_monthly' };

export interface BillingKit {
  t: TestApp;
  stripe: StripeSandbox;
  /** Moves the shared clock forward. */
  advanceDays(days: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function startBillingKit(): Promise<BillingKit> {
  let nowMs = Date.parse('2026-03-02T09:00:00Z');
  const clock = () => nowMs;
  let webhookUrl = '';
  const stripe = await startStripeSandbox({ clock, autoDeliver: false, webhook: { get url() { return webhookUrl; }, secret: webhookSecret } });
  const config = { secretKey: 'sk_test_billing', webhookSecret, lookupKeys, apiUrl: stripe.url };
  // The seats consumer reads billing from the configuration, as in the server.
  process.env.STRIPE_SECRET_KEY = config.secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
  process.env.STRIPE_API_URL = stripe.url;
  const t = await createTestApp({ clock, billing: billingDeps(config) });
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/billing/stripe-webhook`;
  return {
    t,
    stripe,
    advanceDays: (days) => { nowMs += days * 86_400_000; },
    now: () => new Date(nowMs),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stripe.close();
      await t.close();
      delete process.env.STRIPE_SECRET_KEY;
      delete process.env.STRIPE_WEBHOOK_SECRET;
      delete process.env.STRIPE_API_URL;
    },
  };
}

/** Stores `n` contacts straight in the organization (fast, past any limit: what an older plan allowed). */
export async function storeContacts(t: TestApp, orgId: string, n: number) {
  await t.inOrg(orgId, (s) => s.db.insert(contacts).values(Array.from({ length: n }, (_, i) => ({ orgId, email: `bulk${i}@stored.test`, firstName: `Bulk ${i}` }))));
}

/** Stores `n` open deals in the default pipeline's first stage. */
export async function storeOpenDeals(t: TestApp, orgId: string, n: number) {
  await t.inOrg(orgId, async (s) => {
    const [pipeline] = await s.db.select().from(pipelines).where(eq(pipelines.isDefault, true));
    const [stage] = await s.db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipeline!.id)).orderBy(pipelineStages.position).limit(1);
    await s.db.insert(deals).values(Array.from({ length: n }, (_, i) => ({ orgId, name: `Stored deal ${i}`, pipelineId: pipeline!.id, stageId: stage!.id, probability: 10 })));
  });
}
