// Outgoing webhooks end to end: an admin adds an endpoint, changes in the CRM reach a local
// receiver that verifies each request with the standardwebhooks library, through retries on 500s
// and timeouts, exactly once, in order per record; rotation, disabling, the delivery log,
// redelivery, and the API's roles and tenancy.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testEndpointSecrets, type Caller, type TestApp } from '../../../test-support/app.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { silentLogger } from '../../log.ts';
import { sendDueDeliveries, type SenderDeps } from './delivery-sender.ts';

const development = { httpsOnly: false, allowLoopback: true };
let now = Date.parse('2026-06-01T09:00:00Z');
const advance = (ms: number) => (now += ms);
let t: TestApp;
let receiver: WebhookReceiver;
let deps: SenderDeps;
let admin: Caller;
let rep: Caller;
let readonly: Caller;
let bravoAdmin: Caller;
let endpointId: string;
let secret: string;
let stageIds: string[];

/** What the server does a moment after each change: the fan-out consumer runs, then the sender posts what is due. */
const deliver = async () => {
  await t.deliverEvents();
  return sendDueDeliveries(deps);
};
const createDeal = async (name: string) => {
  const res = await t.request('POST', '/api/v1/deals', { as: rep, body: { name, valueCents: 500_000 } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, webhooks: { policy: development, timeoutMs: 400 } });
  deps = { db: t.database.db, clock: () => new Date(now), log: silentLogger, publicUrl: 'http://localhost:8787', policy: development, timeoutMs: 400, random: () => 0.5, secrets: testEndpointSecrets };
  receiver = await startWebhookReceiver();
  const alpha = await t.newOrg('Alpha');
  admin = alpha.admin;
  rep = await alpha.member('rep');
  readonly = await alpha.member('readonly');
  bravoAdmin = (await t.newOrg('Bravo')).admin;
  const created = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { name: 'Billing system', url: receiver.url, eventTypes: ['deal.created', 'deal.updated', 'deal.stage_changed'] } });
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  endpointId = created.body.id;
  secret = created.body.secret;
  receiver.secrets = [secret];
  stageIds = (await t.request('GET', '/api/v1/pipelines', { as: rep })).body.data[0].stages.map((s: { id: string }) => s.id);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});
beforeEach(async () => {
  // Nothing left over from the previous test.
  await deliver();
  advance(7 * 24 * 3600_000);
  await deliver();
  receiver.requests.length = 0;
  receiver.replies.length = 0;
});

describe('delivery', () => {
  it('reaches the receiver exactly once, signed, after 500s and a timeout', async () => {
    receiver.replies.push(500, 'hang', 503);
    const deal = await createDeal('Globex expansion');
    expect(await deliver()).toBe(1);
    expect(receiver.requests.map((r) => r.status)).toEqual([500]);
    // Not due yet: nothing is sent before the back-off has passed.
    expect(await sendDueDeliveries(deps)).toBe(0);
    for (let i = 0; i < 3; i++) {
      advance(15 * 60_000);
      expect(await sendDueDeliveries(deps)).toBe(1);
    }
    advance(24 * 3600_000);
    expect(await sendDueDeliveries(deps)).toBe(0);

    expect(receiver.unverified).toBe(0);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 0, 503, 200]);
    expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(1);
    const [accepted, ...more] = receiver.accepted();
    expect(more).toEqual([]);
    expect(accepted!.type).toBe('deal.created');
    expect(accepted!.body.data.deal).toMatchObject({ id: deal.id, name: 'Globex expansion', valueCents: 500_000 });

    // The delivery log shows each attempt, newest first, with its status and error.
    const log = await t.request('GET', `/api/v1/webhooks/${endpointId}/deliveries`, { as: admin });
    expect(log.status).toBe(200);
    const [latest] = log.body.data;
    expect(latest).toMatchObject({ type: 'deal.created', status: 'delivered', attempts: 4, lastStatusCode: 200 });
    expect(latest.attemptLog.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([200, 503, null, 500]);
    expect(latest.attemptLog[2].error).toBe('No answer within 0.4 s');
    const endpoint = await t.request('GET', `/api/v1/webhooks/${endpointId}`, { as: admin });
    expect(endpoint.body).toMatchObject({ status: 'active', lastStatusCode: 200, failingSince: null });
  });

  it('keeps the order of one record\'s events: a later one waits for the earlier one', async () => {
    const deal = await createDeal('Initech renewal');
    await deliver();
    receiver.requests.length = 0;
    receiver.replies.push(500);
    // One change, two events about the same deal: deal.updated, then deal.stage_changed.
    expect((await t.request('PATCH', `/api/v1/deals/${deal.id}`, { as: rep, body: { stage: stageIds[2] } })).status).toBe(200);
    expect(await deliver()).toBe(1);
    advance(1000);
    expect(await sendDueDeliveries(deps)).toBe(0); // the first is waiting for its retry, the second for the first
    advance(60_000);
    expect(await sendDueDeliveries(deps)).toBe(1);
    expect(await sendDueDeliveries(deps)).toBe(1);
    expect(receiver.requests.map((r) => `${r.type} ${r.status}`)).toEqual(['deal.updated 500', 'deal.updated 200', 'deal.stage_changed 200']);
  });

  it('signs with the old and the new secret during a rotation\'s overlap, then with the new one only', async () => {
    const rotated = await t.request('POST', `/api/v1/webhooks/${endpointId}/rotate-secret`, { as: admin, body: { overlapHours: 24 } });
    expect(rotated.status).toBe(200);
    // The new secret is shown this once; the old one, which the admin has, is not shown again.
    expect(Object.keys(rotated.body).sort()).toEqual(['previousSecretExpiresAt', 'secret']);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(secret);
    await createDeal('Umbrella pilot');
    await deliver();
    const [during] = receiver.requests;
    expect(during!.signature.split(' ')).toHaveLength(2);
    for (const key of [secret, fresh]) expect(() => new Webhook(key).verify(during!.raw, during!.headers)).not.toThrow();

    advance(25 * 3600_000);
    await createDeal('Umbrella rollout');
    await deliver();
    const after = receiver.requests[1]!;
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(() => new Webhook(fresh).verify(after.raw, after.headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(after.raw, after.headers)).toThrow();
    secret = fresh;
    receiver.secrets = [fresh];
  });

  it('redelivers on request with the same webhook-id', async () => {
    await createDeal('Soylent order');
    await deliver();
    const [first] = receiver.requests;
    const log = await t.request('GET', `/api/v1/webhooks/${endpointId}/deliveries?limit=1`, { as: admin });
    const deliveryId = log.body.data[0].id;
    expect((await t.request('POST', `/api/v1/webhooks/deliveries/${deliveryId}/redeliver`, { as: admin })).status).toBe(202);
    expect(await sendDueDeliveries(deps)).toBe(1);
    expect(receiver.accepted().map((r) => r.id)).toEqual([first!.id, first!.id]);
  });

  it('disables an endpoint that answers 410 Gone, tells the admins, and resumes its held deliveries when re-enabled', async () => {
    receiver.replies.push(410);
    await createDeal('Hooli expansion');
    await deliver();
    const endpoint = await t.request('GET', `/api/v1/webhooks/${endpointId}`, { as: admin });
    expect(endpoint.body).toMatchObject({ enabled: false, status: 'disabled', lastStatusCode: 410 });
    expect(endpoint.body.disabledReason).toContain('gone');
    const bell = await t.request('GET', '/api/v1/notifications', { as: admin });
    expect(bell.body.data[0]).toMatchObject({ kind: 'webhook_disabled', title: 'Webhook endpoint “Billing system” was disabled' });

    // Changes while disabled are not subscribed; the held delivery waits.
    advance(3600_000);
    expect(await sendDueDeliveries(deps)).toBe(0);
    const enabled = await t.request('PATCH', `/api/v1/webhooks/${endpointId}`, { as: admin, body: { enabled: true } });
    expect(enabled.body.status).toBe('active');
    expect(await sendDueDeliveries(deps)).toBe(0); // the 410'd delivery was given up; re-enabling sends what is pending
    expect(receiver.accepted()).toEqual([]);
    await createDeal('Hooli renewal');
    await deliver();
    expect(receiver.accepted().map((r) => r.body.data.deal.name)).toEqual(['Hooli renewal']);
  });

  it('gives up after about three days of failures and disables the endpoint', async () => {
    receiver.replies.push(...Array(40).fill(500));
    await createDeal('Massive Dynamic');
    await deliver();
    let attempts = 1;
    for (let day = 0; day < 4 * 24; day++) {
      advance(3600_000);
      attempts += await sendDueDeliveries(deps);
    }
    expect(attempts).toBeGreaterThan(15);
    const endpoint = await t.request('GET', `/api/v1/webhooks/${endpointId}`, { as: admin });
    expect(endpoint.body).toMatchObject({ status: 'disabled', disabledReason: 'Every attempt failed for three days' });
    const log = await t.request('GET', `/api/v1/webhooks/${endpointId}/deliveries?status=failed&limit=1`, { as: admin });
    expect(log.body.data[0]).toMatchObject({ status: 'failed', attempts });
    receiver.replies.length = 0;
    expect((await t.request('PATCH', `/api/v1/webhooks/${endpointId}`, { as: admin, body: { enabled: true } })).status).toBe(200);
  });

  it('sends a signed test event and answers what the endpoint said', async () => {
    const res = await t.request('POST', `/api/v1/webhooks/${endpointId}/test`, { as: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, attempt: { statusCode: 200, error: null } });
    expect(receiver.accepted().map((r) => r.type)).toEqual(['webhook.test']);
  });
});

describe('the /webhooks API', () => {
  it('is for admins: other roles get 403 and another organization\'s endpoint is 404', async () => {
    for (const caller of [rep, readonly]) {
      expect((await t.request('GET', '/api/v1/webhooks', { as: caller })).status).toBe(403);
      expect((await t.request('GET', `/api/v1/webhooks/${endpointId}`, { as: caller })).status).toBe(403);
      expect((await t.request('POST', '/api/v1/webhooks', { as: caller, body: { name: 'x', url: receiver.url, eventTypes: ['deal.created'] } })).status).toBe(403);
    }
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${endpointId}`],
      ['PATCH', `/api/v1/webhooks/${endpointId}`],
      ['DELETE', `/api/v1/webhooks/${endpointId}`],
      ['GET', `/api/v1/webhooks/${endpointId}/deliveries`],
      ['POST', `/api/v1/webhooks/${endpointId}/rotate-secret`],
      ['POST', `/api/v1/webhooks/${endpointId}/test`],
      ['GET', `/api/v1/slack/connections/${endpointId}`],
    ] as const) {
      const res = await t.request(method, path, { as: bravoAdmin, body: method === 'PATCH' ? { name: 'Hijacked' } : method === 'POST' ? {} : undefined });
      expect({ path: `${method} ${path}`, status: res.status }).toEqual({ path: `${method} ${path}`, status: 404 });
    }
    expect((await t.request('GET', '/api/v1/webhooks', { as: bravoAdmin })).body.data).toEqual([]);
    expect((await t.request('GET', `/api/v1/webhooks/${endpointId}`, { as: admin })).body.name).toBe('Billing system');
  });

  it('refuses bad input and changes nothing', async () => {
    for (const body of [
      { name: 'x', url: receiver.url, eventTypes: [] },
      { name: 'x', url: receiver.url, eventTypes: ['deal.exploded'] },
      { name: 'x', url: 'ftp://example.com/hook', eventTypes: ['deal.created'] },
      { name: '', url: receiver.url, eventTypes: ['deal.created'] },
      { name: 'x', url: receiver.url, eventTypes: ['deal.created'], secret: 'mine' },
    ]) {
      const res = await t.request('POST', '/api/v1/webhooks', { as: admin, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('PATCH', `/api/v1/webhooks/${endpointId}`, { as: admin, body: { url: 'https://169.254.169.254/latest' } })).status).toBe(400);
    const list = await t.request('GET', '/api/v1/webhooks', { as: admin });
    expect(list.body.data.map((e: { url: string }) => e.url)).toEqual([receiver.url]);
  });

  it('documents every event\'s payload in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/api/v1/openapi.json');
    expect(Object.keys(doc.body.webhooks ?? {}).map((k) => k.replace(/^\//, '')).sort()).toEqual(
      ['contact.created', 'deal.at_risk', 'deal.closed_lost', 'deal.closed_won', 'deal.created', 'deal.stage_changed', 'deal.updated', 'email.logged', 'email.opened', 'member.added', 'member.removed', 'task.completed', 'task.created'],
    );
  });
});
