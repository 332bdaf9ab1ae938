// The billing API's shapes (GET /billing and the checkout/portal answers), shared with the web app.
import { z } from 'zod';
import { featureNames, limitNames, paidPlanIds, planIds } from './plans.ts';

export const PlanId = z.enum(planIds);
export const PaidPlanId = z.enum(paidPlanIds);

export const BillingOverview = z
  .object({
    plan: PlanId.describe('The plan in effect now'),
    planName: z.string(),
    trialing: z.boolean().describe('On the no-card Pro trial'),
    trialDaysLeft: z.number().int(),
    trialEndsAt: z.string().nullable(),
    subscription: z
      .object({
        plan: PlanId,
        status: z.string().describe("Stripe's status: active, trialing, past_due, unpaid, canceled, …"),
        seatsPaid: z.number().int().nullable(),
        currentPeriodEnd: z.string().nullable(),
        cancelAtPeriodEnd: z.boolean(),
        nextInvoice: z.object({ amount: z.number().int().describe('In minor units (cents)'), currency: z.string(), date: z.string() }).nullable(),
      })
      .nullable(),
    seatsUsed: z.number().int().describe('Active members'),
    dunning: z.object({
      status: z.enum(['ok', 'grace', 'read_only']),
      paymentFailedAt: z.string().nullable(),
      readOnlyFrom: z.string().nullable(),
    }),
    usage: z.array(z.object({ limit: z.enum(limitNames), label: z.string(), used: z.number().int(), max: z.number().int().nullable() })),
    features: z.array(z.enum(featureNames)),
    canManage: z.boolean().describe('Admins start checkout, change plans and open the portal'),
  });

export const CheckoutRequest = z.object({ plan: PaidPlanId }).strict();
export const RedirectAnswer = z.object({ url: z.string().nullable().describe('Where to send the browser (Checkout or the portal); null: the change was made at once') });
