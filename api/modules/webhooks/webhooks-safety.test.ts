// What must hold whatever happens: in production no endpoint reaches an internal address (written
// as one, or a name resolving to one, checked when the delivery is sent), and a server killed
// between the change and the delivery (or in the middle of posting it) delivers after a restart.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testEndpointSecrets, type Caller, type TestApp } from '../../../test-support/app.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { silentLogger } from '../../log.ts';
import { consumers } from '../../registry.ts';
import { startScheduler } from '../../platform/jobs/scheduler.ts';
import { systemClock } from '../../platform/tenancy/scope.ts';
import { claimDueDeliveries, startDeliverySender } from './delivery-sender.ts';
import type { Resolver } from './outbound-http.ts';

const production = { httpsOnly: true, allowLoopback: false };
// DNS as an attacker would set it up: public-looking names answering internal addresses.
const zone: Record<string, string> = {
  'loopback.attacker.example': '127.0.0.1',
  'intranet.attacker.example': '10.0.0.7',
  'metadata.attacker.example': '169.254.169.254',
  'mapped.attacker.example': '::ffff:10.1.1.1',
};
const attackerDns: Resolver = (hostname, _options, callback) => {
  const address = zone[hostname];
  if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  callback(null, [{ address, family: address.includes(':') ? 6 : 4 } as LookupAddress]);
};

describe('in production', () => {
  let t: TestApp;
  let admin: Caller;
  beforeAll(async () => {
    t = await createTestApp({ webhooks: { policy: production, timeoutMs: 2000, resolve: attackerDns } });
    admin = (await t.newOrg('Prod')).admin;
  });
  afterAll(() => t.close());

  it.each(['https://127.0.0.1/hook', 'https://10.0.0.1/hook', 'https://10.200.3.4:8443/hook', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/hook', 'https://[::ffff:169.254.169.254]/', 'http://hooks.example.com/hook', 'https://localhost/hook'])(
    'refuses an endpoint at %s',
    async (url) => {
      const res = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { name: 'Internal', url, eventTypes: ['deal.created'] } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^url: /);
    },
  );

  it.each(Object.entries(zone))('refuses to send to %s, which resolves to %s, when the delivery is sent', async (host, address) => {
    const created = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { name: host, url: `https://${host}/hook`, eventTypes: ['deal.created'] } });
    expect(created.status).toBe(201); // a name cannot be judged before it is resolved, at delivery
    const test = await t.request('POST', `/api/v1/webhooks/${created.body.id}/test`, { as: admin });
    expect(test.body.delivered).toBe(false);
    expect(test.body.attempt.statusCode).toBeNull();
    expect(test.body.attempt.error).toContain(`Refused destination: ${host} resolves to a refused address: ${address} is a`);
    const endpoint = await t.request('GET', `/api/v1/webhooks/${created.body.id}`, { as: admin });
    expect(endpoint.body.status).toBe('failing');
  });
});

describe('across a restart', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const outbound = { policy: { httpsOnly: false, allowLoopback: true }, timeoutMs: 2000 };
  beforeAll(async () => {
    t = await createTestApp({ webhooks: outbound });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('delivers each event exactly once after the server was killed between the change and the delivery, and mid-post', async () => {
    const org = await t.newOrg('Restart');
    const rep = await org.member('rep');
    const endpoint = await t.request('POST', '/api/v1/webhooks', { as: org.admin, body: { name: 'ERP', url: receiver.url, eventTypes: ['deal.created'] } });
    receiver.secrets = [endpoint.body.secret];
    const db = t.database.db;

    const createDeal = async (name: string) => expect((await t.request('POST', '/api/v1/deals', { as: rep, body: { name, valueCents: 1000 } })).status).toBe(201);
    // A first process fans a change out and claims its delivery, then dies before posting it (its claim runs out).
    await createDeal('Claimed then lost');
    await t.deliverEvents();
    expect(await claimDueDeliveries(db, new Date(), 10, 1)).toHaveLength(1);
    // The server is down (no dispatcher, no sender): another change is committed with its event, and waits in the outbox.
    await createDeal('Before the restart');
    expect(receiver.requests).toEqual([]);

    // The restarted server: pg-boss dispatcher with the real consumers, and the sender.
    const scheduler = await startScheduler({ database: t.database, databaseUrl: (t.database as { url?: string }).url, jobs: [], consumers, log: silentLogger, pollingIntervalSeconds: 0.5 });
    const sender = startDeliverySender({ ...outbound, secrets: testEndpointSecrets, db, clock: systemClock, log: silentLogger, publicUrl: 'http://localhost:8787', pollMs: 50 });
    // And one more change while it runs.
    await createDeal('After the restart');
    const deadline = Date.now() + 20_000;
    while (receiver.accepted().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // anything extra would arrive now
    await sender.stop();
    await scheduler.stop();

    expect(receiver.unverified).toBe(0);
    expect(receiver.accepted().map((r) => r.body.data.deal.name).sort()).toEqual(['After the restart', 'Before the restart', 'Claimed then lost']);
    expect(new Set(receiver.accepted().map((r) => r.id)).size).toBe(3);
  });
});
