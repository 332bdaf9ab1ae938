// A local stand-in for the parts of Stripe the billing module uses, in Stripe's wire format: v1
// form-encoded bodies, `{error:{type,code,message,param}}` errors with Stripe's status codes,
// Idempotency-Key replays, objects shaped as API version 2026-10-28 has them (periods on
// subscription items, an invoice's subscription under parent.subscription_details). It serves a
// hosted-checkout page (card form, "Pay") and a small customer portal, and delivers webhooks signed
// as Stripe signs them (Stripe-Signature t=…,v1=…), which a test can hold back and deliver twice,
// late or out of order. Development and tests only: nothing in production starts it.
import { createHmac, randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AddressInfo } from 'node:net';
import { decodeForm, list, obj, str, type FormObject } from './form.ts';
import { checkoutPage, portalPage } from './pages.ts';

export interface SandboxPrice { lookupKey: string; unitAmount: number; currency?: string; product: string }

export interface StripeSandboxOptions {
  port?: number;
  /** Milliseconds since the epoch (tests move it forward). */
  clock?: () => number;
  prices?: SandboxPrice[];
  /** Where events are delivered, and the endpoint's signing secret (whsec_…). */
  webhook?: { url: string; secret: string };
  /** Deliver each event as it happens (default); false: tests deliver with `control`. */
  autoDeliver?: boolean;
}

type StripeObject = Record<string, any>;

export interface StripeSandboxControl {
  /** Every event so far, oldest first. */
  events(): StripeObject[];
  /** Events not delivered yet (held back with autoDeliver false). */
  pending(): StripeObject[];
  /** Delivers one event (again, if it was): the endpoint's status. */
  deliver(eventId: string, options?: { signedAt?: number; secret?: string }): Promise<number>;
  /** Delivers every pending event, in order or reversed. */
  deliverPending(order?: 'in-order' | 'reversed'): Promise<number[]>;
  setAutoDeliver(on: boolean): void;
  /** What the "Pay" button does: subscription created (and paid), checkout completed. */
  pay(sessionId: string, card?: string): StripeObject;
  /** The next renewal's payment fails: an open invoice, payment_failed, the subscription past_due. */
  failPayment(subscriptionId: string): StripeObject;
  /** The customer pays the open invoice (e.g. with a new card in the portal): invoice.paid, active. */
  payOpenInvoice(subscriptionId: string): StripeObject;
  /** Stripe's notice three days before a subscription's trial ends. */
  trialWillEnd(subscriptionId: string): StripeObject;
  subscription(id: string): StripeObject | undefined;
  customers(): StripeObject[];
}

export interface StripeSandbox { url: string; close(): Promise<void>; control: StripeSandboxControl }

export const defaultSandboxPrices: SandboxPrice[] = [
  { lookupKey: 'starter_seat_monthly', unitAmount: 1_200, product: 'Inbox CRM Starter' },
  { lookupKey: 'pro_seat_monthly', unitAmount: 2_900, product: 'Inbox CRM Pro' },
];

const API_VERSION = '2026-10-28.endive';
const MONTH_S = 30 * 86_400;

class StripeError extends Error {
  constructor(readonly status: number, readonly type: string, readonly code: string | undefined, message: string, readonly param?: string) {
    super(message);
  }
}
const missing = (kind: string, id: string, param = 'id') => new StripeError(404, 'invalid_request_error', 'resource_missing', `No such ${kind}: '${id}'`, param);
const required = (param: string) => new StripeError(400, 'invalid_request_error', 'parameter_missing', `Missing required param: ${param}.`, param);

export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const clock = options.clock ?? Date.now;
  const nowS = () => Math.floor(clock() / 1000);
  const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  let autoDeliver = options.autoDeliver ?? true;
  let baseUrl = '';

  const prices = new Map<string, StripeObject>();
  for (const p of options.prices ?? defaultSandboxPrices) {
    const id = newId('price');
    prices.set(id, {
      id, object: 'price', active: true, currency: p.currency ?? 'usd', lookup_key: p.lookupKey, unit_amount: p.unitAmount,
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' }, type: 'recurring', product: newId('prod'), nickname: p.product, livemode: false,
    });
  }
  const customers = new Map<string, StripeObject>();
  const sessions = new Map<string, StripeObject>();
  const portalSessions = new Map<string, StripeObject>();
  const subscriptions = new Map<string, StripeObject>();
  const items = new Map<string, StripeObject>();
  const invoices = new Map<string, StripeObject>();
  const events: StripeObject[] = [];
  const delivered = new Set<string>();
  const idempotent = new Map<string, { status: number; body: string }>();

  const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
  const emit = (type: string, object: StripeObject) => {
    const event = { id: newId('evt'), object: 'event', api_version: API_VERSION, created: nowS(), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object: clone(object) } };
    events.push(event);
    if (autoDeliver && options.webhook) void deliver(event.id).catch(() => undefined);
    return event;
  };

  const sign = (payload: string, secret: string, t: number) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
  async function deliver(eventId: string, o: { signedAt?: number; secret?: string } = {}) {
    const event = events.find((e) => e.id === eventId);
    if (!event) throw new Error(`No event ${eventId}`);
    if (!options.webhook) throw new Error('No webhook endpoint configured');
    const payload = JSON.stringify(event, null, 2);
    const res = await fetch(options.webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': sign(payload, o.secret ?? options.webhook.secret, o.signedAt ?? nowS()), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      body: payload,
    });
    await res.text();
    if (res.ok) delivered.add(eventId);
    return res.status;
  }

  const subscriptionItemsList = (sub: StripeObject) => ({ object: 'list', data: sub.items.data, has_more: false, total_count: sub.items.data.length, url: `/v1/subscription_items?subscription=${sub.id}` });
  const priceOf = (id: string | undefined) => {
    if (!id) throw required('line_items[0][price]');
    const price = prices.get(id);
    if (!price) throw missing('price', id, 'price');
    return price;
  };

  function createSubscription(customer: string, priceId: string, quantity: number, metadata: Record<string, string>) {
    const id = newId('sub');
    const start = nowS();
    const item = { id: newId('si'), object: 'subscription_item', price: prices.get(priceId), quantity, subscription: id, current_period_start: start, current_period_end: start + MONTH_S, metadata: {}, created: start };
    items.set(item.id, item);
    const sub: StripeObject = {
      id, object: 'subscription', customer, status: 'active', metadata, cancel_at_period_end: false, cancel_at: null, canceled_at: null, ended_at: null,
      created: start, start_date: start, trial_start: null, trial_end: null, billing_cycle_anchor: start, collection_method: 'charge_automatically', currency: item.price!.currency, livemode: false, latest_invoice: null,
      items: { object: 'list', data: [item] },
    };
    subscriptions.set(id, sub);
    return sub;
  }

  function createInvoice(sub: StripeObject, status: 'paid' | 'open') {
    const item = sub.items.data[0];
    const amount = item.price.unit_amount * item.quantity;
    const invoice = {
      id: newId('in'), object: 'invoice', customer: sub.customer, status, currency: item.price.currency, amount_due: amount, amount_paid: status === 'paid' ? amount : 0, amount_remaining: status === 'paid' ? 0 : amount,
      billing_reason: 'subscription_cycle', created: nowS(), period_start: item.current_period_start, period_end: item.current_period_end, attempt_count: status === 'paid' ? 1 : 1, livemode: false,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      hosted_invoice_url: `${baseUrl}/invoices/${sub.id}`,
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  const subscriptionOr404 = (id: string) => {
    const sub = subscriptions.get(id);
    if (!sub) throw missing('subscription', id);
    return sub;
  };

  const control: StripeSandboxControl = {
    events: () => clone(events),
    pending: () => clone(events.filter((e) => !delivered.has(e.id))),
    deliver,
    async deliverPending(order = 'in-order') {
      const pending = events.filter((e) => !delivered.has(e.id));
      if (order === 'reversed') pending.reverse();
      const statuses: number[] = [];
      for (const e of pending) statuses.push(await deliver(e.id));
      return statuses;
    },
    setAutoDeliver: (on) => { autoDeliver = on; },
    pay(sessionId, card = '4242424242424242') {
      const session = sessions.get(sessionId);
      if (!session) throw missing('checkout.session', sessionId);
      if (session.status !== 'open') throw new StripeError(400, 'invalid_request_error', 'checkout_session_not_open', 'This Checkout Session is no longer open.');
      if (card.replace(/\s/g, '') === '4000000000000002') throw new StripeError(402, 'card_error', 'card_declined', 'Your card was declined.');
      const line = session.line_items_data[0];
      const sub = createSubscription(session.customer, line.price, line.quantity, session.subscription_metadata);
      const invoice = createInvoice(sub, 'paid');
      Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: sub.id, invoice: invoice.id });
      const { line_items_data: _l, subscription_metadata: _m, ...wire } = session;
      emit('customer.subscription.created', sub);
      emit('invoice.paid', invoice);
      emit('checkout.session.completed', wire);
      return wire;
    },
    failPayment(subscriptionId) {
      const sub = subscriptionOr404(subscriptionId);
      const invoice = createInvoice(sub, 'open');
      sub.status = 'past_due';
      emit('invoice.payment_failed', invoice);
      emit('customer.subscription.updated', sub);
      return invoice;
    },
    payOpenInvoice(subscriptionId) {
      const sub = subscriptionOr404(subscriptionId);
      const invoice = [...invoices.values()].find((i) => i.parent.subscription_details.subscription === subscriptionId && i.status === 'open');
      if (!invoice) throw new Error(`No open invoice for ${subscriptionId}`);
      Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0 });
      sub.status = 'active';
      emit('invoice.paid', invoice);
      emit('customer.subscription.updated', sub);
      return invoice;
    },
    trialWillEnd(subscriptionId) {
      const sub = subscriptionOr404(subscriptionId);
      return emit('customer.subscription.trial_will_end', sub);
    },
    subscription: (id) => (subscriptions.has(id) ? clone(subscriptions.get(id)!) : undefined),
    customers: () => clone([...customers.values()]),
  };

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof StripeError) return c.json({ error: { type: err.type, code: err.code, message: err.message, param: err.param } }, err.status as 400);
    return c.json({ error: { type: 'api_error', message: String(err) } }, 500);
  });

  // The hosted pages a person's browser opens.
  app.get('/checkout/:id', (c) => {
    const session = sessions.get(c.req.param('id'));
    if (!session) return c.html('<h1>This checkout link is not valid</h1>', 404);
    const line = session.line_items_data[0];
    return c.html(checkoutPage({ session, price: prices.get(line.price)!, quantity: line.quantity }));
  });
  app.post('/checkout/:id/pay', async (c) => {
    const form = await c.req.parseBody();
    try {
      const session = control.pay(c.req.param('id'), String(form.card ?? ''));
      return c.redirect(String(session.success_url).replace('{CHECKOUT_SESSION_ID}', session.id), 303);
    } catch (err) {
      if (err instanceof StripeError) return c.html(`<p role="alert">${err.message}</p><a href="/checkout/${c.req.param('id')}">Try again</a>`, 402);
      throw err;
    }
  });
  app.get('/portal/:id', (c) => {
    const session = portalSessions.get(c.req.param('id'));
    if (!session) return c.html('<h1>This portal link is not valid</h1>', 404);
    const subs = [...subscriptions.values()].filter((s) => s.customer === session.customer);
    const invoiceList = [...invoices.values()].filter((i) => i.customer === session.customer);
    return c.html(portalPage({ session, subscriptions: subs, invoices: invoiceList }));
  });
  app.post('/portal/:id/cancel/:sub', (c) => {
    const session = portalSessions.get(c.req.param('id'));
    const sub = subscriptions.get(c.req.param('sub'));
    if (!session || !sub || sub.customer !== session.customer) return c.html('Not found', 404);
    sub.cancel_at_period_end = true;
    sub.cancel_at = sub.items.data[0].current_period_end;
    emit('customer.subscription.updated', sub);
    return c.redirect(`/portal/${session.id}`, 303);
  });

  // The API, as the `stripe` library calls it.
  const api = new Hono();
  api.use('*', async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    if (!/^Bearer sk_(test|live)_\S+$/.test(auth)) {
      return c.json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } }, 401);
    }
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    const seen = idempotent.get(key);
    if (seen) return new Response(seen.body, { status: seen.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true', 'idempotency-key': key } });
    await next();
    const body = await c.res.clone().text();
    idempotent.set(key, { status: c.res.status, body });
  });
  const body = async (c: Context): Promise<FormObject> => decodeForm(new URLSearchParams(await c.req.text()));
  const query = (c: Context): FormObject => decodeForm(new URL(c.req.url).searchParams);
  const listOf = (data: StripeObject[], url: string) => ({ object: 'list', data, has_more: false, url });

  api.post('/customers', async (c) => {
    const b = await body(c);
    const customer = { id: newId('cus'), object: 'customer', email: str(b.email) ?? null, name: str(b.name) ?? null, metadata: obj(b.metadata), created: nowS(), livemode: false, invoice_settings: { default_payment_method: null } };
    customers.set(customer.id, customer);
    return c.json(customer);
  });
  api.get('/customers/:id', (c) => {
    const customer = customers.get(c.req.param('id'));
    if (!customer) throw missing('customer', c.req.param('id'));
    return c.json(customer);
  });
  api.get('/prices', (c) => {
    const keys = list(query(c).lookup_keys).map(String);
    const found = [...prices.values()].filter((p) => keys.length === 0 || keys.includes(p.lookup_key));
    return c.json(listOf(found, '/v1/prices'));
  });
  api.post('/checkout/sessions', async (c) => {
    const b = await body(c);
    if (str(b.mode) !== 'subscription') throw new StripeError(400, 'invalid_request_error', 'parameter_invalid_empty', 'This stand-in supports mode=subscription only.', 'mode');
    const customer = str(b.customer);
    if (!customer) throw required('customer');
    if (!customers.has(customer)) throw missing('customer', customer, 'customer');
    if (!str(b.success_url)) throw required('success_url');
    const lines = list(b.line_items).map((l) => obj(l));
    if (lines.length !== 1) throw required('line_items');
    const price = priceOf(str(lines[0]!.price));
    const quantity = Number(str(lines[0]!.quantity) ?? '1');
    if (!Number.isInteger(quantity) || quantity < 1) throw new StripeError(400, 'invalid_request_error', 'parameter_invalid_integer', 'Invalid integer: quantity', 'line_items[0][quantity]');
    const id = newId('cs_test');
    const session = {
      id, object: 'checkout.session', mode: 'subscription', status: 'open', payment_status: 'unpaid', customer, client_reference_id: str(b.client_reference_id) ?? null,
      metadata: obj(b.metadata), success_url: str(b.success_url), cancel_url: str(b.cancel_url) ?? null, url: `${baseUrl}/checkout/${id}`, subscription: null, invoice: null,
      created: nowS(), expires_at: nowS() + 86_400, livemode: false,
      line_items_data: [{ price: price.id, quantity }], subscription_metadata: obj(obj(b.subscription_data).metadata),
    };
    sessions.set(id, session);
    const { line_items_data: _l, subscription_metadata: _m, ...wire } = session;
    return c.json(wire);
  });
  api.post('/billing_portal/sessions', async (c) => {
    const b = await body(c);
    const customer = str(b.customer);
    if (!customer) throw required('customer');
    if (!customers.has(customer)) throw missing('customer', customer, 'customer');
    const id = newId('bps');
    const session = { id, object: 'billing_portal.session', customer, return_url: str(b.return_url) ?? null, url: `${baseUrl}/portal/${id}`, created: nowS(), livemode: false };
    portalSessions.set(id, session);
    return c.json(session);
  });
  api.get('/subscriptions', (c) => {
    const customer = str(query(c).customer);
    return c.json(listOf([...subscriptions.values()].filter((s) => !customer || s.customer === customer).map((s) => ({ ...s, items: subscriptionItemsList(s) })), '/v1/subscriptions'));
  });
  api.get('/subscriptions/:id', (c) => {
    const sub = subscriptionOr404(c.req.param('id'));
    return c.json({ ...sub, items: subscriptionItemsList(sub) });
  });
  api.post('/subscriptions/:id', async (c) => {
    const sub = subscriptionOr404(c.req.param('id'));
    if (sub.status === 'canceled') throw new StripeError(400, 'invalid_request_error', 'resource_missing', 'A canceled subscription can only update its cancellation_details and metadata.');
    const b = await body(c);
    if (str(b.cancel_at_period_end)) sub.cancel_at_period_end = str(b.cancel_at_period_end) === 'true';
    for (const change of list(b.items).map((i) => obj(i))) {
      const item = items.get(str(change.id) ?? '') ?? sub.items.data[0];
      if (str(change.price)) item.price = priceOf(str(change.price));
      if (str(change.quantity)) item.quantity = Number(str(change.quantity));
    }
    emit('customer.subscription.updated', sub);
    return c.json({ ...sub, items: subscriptionItemsList(sub) });
  });
  api.delete('/subscriptions/:id', (c) => {
    const sub = subscriptionOr404(c.req.param('id'));
    Object.assign(sub, { status: 'canceled', canceled_at: nowS(), ended_at: nowS() });
    emit('customer.subscription.deleted', sub);
    return c.json({ ...sub, items: subscriptionItemsList(sub) });
  });
  api.post('/subscription_items/:id', async (c) => {
    const item = items.get(c.req.param('id'));
    if (!item) throw missing('subscription_item', c.req.param('id'));
    const b = await body(c);
    const quantity = Number(str(b.quantity));
    if (!Number.isInteger(quantity) || quantity < 0) throw new StripeError(400, 'invalid_request_error', 'parameter_invalid_integer', 'Invalid integer: quantity', 'quantity');
    const behavior = str(b.proration_behavior) ?? 'create_prorations';
    if (!['create_prorations', 'always_invoice', 'none'].includes(behavior)) throw new StripeError(400, 'invalid_request_error', 'parameter_invalid_string', `Invalid proration_behavior: ${behavior}`, 'proration_behavior');
    item.quantity = quantity;
    emit('customer.subscription.updated', subscriptions.get(item.subscription)!);
    return c.json(item);
  });
  api.get('/invoices', (c) => {
    const q = query(c);
    const found = [...invoices.values()].filter((i) => (!str(q.customer) || i.customer === str(q.customer)) && (!str(q.subscription) || i.parent.subscription_details.subscription === str(q.subscription)));
    return c.json(listOf(found.reverse(), '/v1/invoices'));
  });
  api.get('/events/:id', (c) => {
    const event = events.find((e) => e.id === c.req.param('id'));
    if (!event) throw missing('event', c.req.param('id'));
    return c.json(event);
  });
  api.get('/events', (c) => c.json(listOf([...events].reverse(), '/v1/events')));
  api.all('*', (c) => c.json({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${c.req.method}: ${c.req.path}).` } }, 404));
  app.route('/v1', api);

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    control,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
