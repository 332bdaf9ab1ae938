// Credentials at rest: a webhook's signing secrets and a Slack URL are sealed in the database,
// shown to the admin only when made (creation, rotation), still sign and post; rows an older
// version stored in clear are sealed when the sender starts, and deliveries keep verifying.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/slack-sandbox.ts';
import { createTestApp, testEndpointSecrets, type Caller, type TestApp } from '../../../test-support/app.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.ts';
import { TokenVault } from '../../integrations/token-vault.ts';
import { silentLogger } from '../../log.ts';
import { sendDueDeliveries } from './delivery-sender.ts';
import { EndpointSecrets, isSealed, sealStoredSecrets } from './endpoint-secrets.ts';

const development = { httpsOnly: false, allowLoopback: true };
let t: TestApp;
let receiver: WebhookReceiver;
let slack: SlackSandbox;
let admin: Caller;
let rep: Caller;
let orgId: string;
const deps = () => ({ db: t.database.db, clock: () => new Date(), log: silentLogger, publicUrl: 'http://localhost:8787', policy: development, timeoutMs: 2000, secrets: testEndpointSecrets });
const stored = async (id: string) =>
  rowsOf<{ url: string; secret: string | null; previous_secret: string | null }>(await t.database.db.execute(sql`select url, secret, previous_secret from webhook_endpoints where id = ${id}`))[0]!;

beforeAll(async () => {
  t = await createTestApp({ webhooks: { policy: development, timeoutMs: 2000 } });
  receiver = await startWebhookReceiver();
  slack = await startSlackSandbox();
  const org = await t.newOrg('Sealed');
  admin = org.admin;
  orgId = org.orgId;
  rep = await org.member('rep');
});
afterAll(async () => {
  await receiver.close();
  await slack.close();
  await t.close();
});

describe('endpoint credentials at rest', () => {
  it('stores a webhook secret sealed, shows it only at creation and rotation, and signs with it', async () => {
    const created = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { name: 'ERP', url: receiver.url, eventTypes: ['deal.created'] } });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const row = await stored(created.body.id);
    expect(isSealed(row.secret!)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    // Afterwards the API never answers it.
    expect(JSON.stringify((await t.request('GET', `/api/v1/webhooks/${created.body.id}`, { as: admin })).body)).not.toContain(secret);
    expect(JSON.stringify((await t.request('GET', '/api/v1/webhooks', { as: admin })).body)).not.toContain(secret);
    expect((await t.request('GET', `/api/v1/webhooks/${created.body.id}/secret`, { as: admin })).status).toBe(404);

    receiver.secrets = [secret];
    await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Signed', valueCents: 1000 } });
    await t.deliverEvents();
    await sendDueDeliveries(deps());
    expect(receiver.accepted()).toHaveLength(1);
    expect(receiver.unverified).toBe(0);

    const rotated = await t.request('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { as: admin, body: { overlapHours: 24 } });
    const after = await stored(created.body.id);
    expect([after.secret, after.previous_secret].every((v) => isSealed(v!))).toBe(true);
    expect(JSON.stringify(after)).not.toContain(rotated.body.secret.slice(6));
    expect(JSON.stringify(after)).not.toContain(secret.slice(6));
    await t.request('DELETE', `/api/v1/webhooks/${created.body.id}`, { as: admin });
  });

  it('stores a Slack URL sealed, shows it masked, and posts to it', async () => {
    const url = slack.newWebhookUrl();
    const created = await t.request('POST', '/api/v1/slack/connections', { as: admin, body: { channel: '#sealed', url, kinds: ['deal_created'] } });
    expect(created.status).toBe(201);
    const token = url.split('/').pop()!;
    expect(JSON.stringify(created.body)).not.toContain(token);
    const row = await stored(created.body.id);
    expect(isSealed(row.url)).toBe(true);
    expect(row.url).not.toContain(token);
    const test = await t.request('POST', `/api/v1/slack/connections/${created.body.id}/test`, { as: admin });
    expect(test.body.delivered).toBe(true);
    expect(slack.requestsTo(url)).toHaveLength(1);
    await t.request('DELETE', `/api/v1/slack/connections/${created.body.id}`, { as: admin });
  });

  it('seals rows stored in clear before, and reseals after a key rotation, and they still work', async () => {
    const clearUrl = slack.newWebhookUrl();
    const clearSecret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const ids = rowsOf<{ id: string }>(
      await t.database.db.execute(sql`
        insert into webhook_endpoints (org_id, kind, name, url, event_types, secret) values
          (${orgId}, 'webhook', 'Old ERP', ${receiver.url}, '["deal.created"]'::jsonb, ${clearSecret}),
          (${orgId}, 'slack', '#old', ${clearUrl}, '["deal_created"]'::jsonb, null)
        returning id`),
    ).map((r) => r.id);
    expect(await sealStoredSecrets(t.database.db, testEndpointSecrets)).toBe(2);
    const [hook, channel] = [await stored(ids[0]!), await stored(ids[1]!)];
    expect(isSealed(hook.secret!)).toBe(true);
    expect(hook.url).toBe(receiver.url); // a customer's URL is no credential
    expect(isSealed(channel.url)).toBe(true);
    expect(await sealStoredSecrets(t.database.db, testEndpointSecrets)).toBe(0);

    // CRM_TOKEN_KEYS rotated: a new current key, the old one kept to open what it sealed.
    const rotated = new EndpointSecrets(new TokenVault({ currentKeyId: 't2', keys: { t1: 'test-crm-token-key-0123456789abcdef', t2: 'a-newer-key-for-the-test-0123456789' } }));
    expect(await sealStoredSecrets(t.database.db, rotated)).toBe(2);
    expect((await stored(ids[0]!)).secret!.split('.')[1]).toBe('t2');

    receiver.secrets = [clearSecret];
    receiver.requests.length = 0;
    slack.requests.length = 0;
    await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'After sealing', valueCents: 1000 } });
    await t.deliverEvents();
    await sendDueDeliveries({ ...deps(), secrets: rotated });
    expect(receiver.accepted().map((r) => r.body.data.deal.name)).toEqual(['After sealing']);
    expect(receiver.unverified).toBe(0);
    expect(slack.requestsTo(clearUrl)).toHaveLength(1);
  });
});
