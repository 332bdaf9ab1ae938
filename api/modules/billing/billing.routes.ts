// The billing page's API: the plan, trial, seats, next invoice and usage against each limit; plan
// changes through Checkout; the customer portal. Always in the API's contract; with billing off
// (no STRIPE_SECRET_KEY) every route answers 503 UNAVAILABLE, and nothing is limited.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody } from '../../../core/schemas/common.ts';
import { BillingOverview, CheckoutRequest, RedirectAnswer } from '../../../core/billing/schemas.ts';
import { AppError } from '../../../core/errors.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { billingOverview } from './billing.service.ts';
import { changePlan, portalSession } from './stripe-billing.service.ts';
import type { BillingDeps } from './stripe-client.ts';

const unavailable = { 503: jsonContent(ErrorBody, 'UNAVAILABLE: billing is off on this server') } as const;

const on = (billing: BillingDeps | undefined): BillingDeps => {
  if (!billing) throw new AppError('UNAVAILABLE', 'Billing is off on this server (STRIPE_SECRET_KEY is not set): there are no plans, and nothing is limited');
  return billing;
};

export function billingRoutes(billing: BillingDeps | undefined) {
  const billingPage = (publicUrl: string, query = '') => `${publicUrl}/app/settings/billing${query}`;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get', path: '/billing', tags: ['Billing'], summary: 'The plan in effect, trial days left, seats used and paid, next invoice, payment problems and usage against each limit',
        responses: { 200: jsonContent(BillingOverview, 'The organization\'s billing'), ...errorResponses, ...unavailable },
      }),
      async (c) => {
        on(billing);
        return c.json(await inRequestTenant(c, (s) => billingOverview(s)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/billing/checkout', tags: ['Billing'], summary: 'Subscribe to Starter or Pro, or switch between them (admins)',
        description: 'Without a live subscription: answers the Stripe Checkout address to send the browser to (per-seat, one seat per active member). With one: switches its price at once, prorated, and answers url null.',
        request: jsonBody(CheckoutRequest),
        responses: { 200: jsonContent(RedirectAnswer, 'Where to go next'), ...conflictResponse, ...errorResponses, ...unavailable },
      }),
      async (c) => {
        const publicUrl = c.var.deps.publicUrl;
        const answer = await changePlan(on(billing), (work) => inRequestTenant(c, work), c.req.valid('json').plan, {
          success: billingPage(publicUrl, '?checkout=done'),
          cancel: billingPage(publicUrl),
        });
        return c.json(answer, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/billing/portal', tags: ['Billing'], summary: 'Open the Stripe customer portal: cards, invoices, cancellation (admins)',
        responses: { 200: jsonContent(RedirectAnswer, 'The portal address'), ...conflictResponse, ...errorResponses, ...unavailable },
      }),
      async (c) => c.json(await portalSession(on(billing), (work) => inRequestTenant(c, work), billingPage(c.var.deps.publicUrl)), 200),
    );
}
