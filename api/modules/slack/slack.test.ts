// Slack through the stand-in (sandbox/slack), which answers as Slack's incoming webhooks do: Slack is
// a channel of the notification dispatcher, so a connection posts the notification kinds it
// subscribed to, once per event however many members it concerns, unless the admins switched
// Slack off for the kind. The stand-in records the Block Kit messages; a test message goes at once,
// 429s are retried after Retry-After, and a URL Slack stops accepting shows as failing to the admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackMessage } from '../../../core/webhooks/slack.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/slack-sandbox.ts';
import { createTestApp, testEndpointSecrets, type Caller, type TestApp } from '../../../test-support/app.ts';
import { silentLogger } from '../../log.ts';
import { sendDueDeliveries, type SenderDeps } from '../webhooks/delivery-sender.ts';

const development = { httpsOnly: false, allowLoopback: true };
const publicUrl = 'http://localhost:8787';
let now = Date.now();
let t: TestApp;
let slack: SlackSandbox;
let deps: SenderDeps;
let admin: Caller;
let rep: Caller;
let orgId: string;
let hookUrl: string;
let connectionId: string;

const deliver = async () => {
  await t.deliverEvents();
  return sendDueDeliveries(deps);
};

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, webhooks: { policy: development, timeoutMs: 2000 } });
  deps = { db: t.database.db, clock: () => new Date(now), log: silentLogger, publicUrl, policy: development, timeoutMs: 2000, random: () => 0.5, secrets: testEndpointSecrets };
  slack = await startSlackSandbox();
  const org = await t.newOrg('Slackers');
  admin = org.admin;
  orgId = org.orgId;
  rep = await org.member('rep', 'Riley Park');
  hookUrl = slack.newWebhookUrl();
  const created = await t.request('POST', '/api/v1/slack/connections', { as: admin, body: { channel: '#deals', url: hookUrl, kinds: ['deal_created', 'deal_high_risk'] } });
  expect(created.status).toBe(201);
  expect(created.body.kinds).toEqual(['deal_created', 'deal_high_risk']);
  connectionId = created.body.id;
  expect(created.body.url).not.toContain(new URL(hookUrl).pathname.split('/').pop());
});
afterAll(async () => {
  await slack.close();
  await t.close();
});

describe('Slack connections', () => {
  it('posts a test message at once', async () => {
    const res = await t.request('POST', `/api/v1/slack/connections/${connectionId}/test`, { as: admin });
    expect(res.body).toMatchObject({ delivered: true, attempt: { statusCode: 200 } });
    expect(slack.requestsTo(hookUrl).map((r) => r.body)).toEqual([slackMessage({ type: 'webhook.test' }, publicUrl)]);
  });

  it('posts new deals and deals entering high risk with their value, stage, owner, reasons and a link', async () => {
    slack.requests.length = 0;
    const deal = await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Acme renewal', valueCents: 4_200_000, currency: 'EUR' } });
    // A change of risk band as the risk engine writes it.
    await t.inOrg(orgId, (s) =>
      s.emit({
        type: 'deal.risk_changed',
        recordId: deal.body.id,
        changes: { band: { old: 'medium', new: 'high' }, score: { old: 0.45, new: 0.81 } },
        data: { dealName: 'Acme renewal', ownerId: rep.userId, valueCents: 4_200_000, currency: 'EUR', reasons: [{ code: 'no_reply', sentence: 'No reply for 12 days', weight: 0.4 }], nextAction: { code: 'follow_up', sentence: 'Follow up with the buyer' } },
      }),
    );
    // One at a time: the alert about the deal waits for the message about its creation (order per record).
    expect(await deliver()).toBe(1);
    expect(await sendDueDeliveries(deps)).toBe(1);
    const view = { id: deal.body.id, name: 'Acme renewal', valueCents: 4_200_000, currency: 'EUR', stageName: deal.body.stageInfo.name, ownerName: 'Riley Park' };
    expect(slack.requestsTo(hookUrl).map((r) => r.body)).toEqual([
      slackMessage({ type: 'deal_created', deal: view, risk: null }, publicUrl),
      slackMessage({ type: 'deal_high_risk', deal: view, risk: { score: 81, reasons: [{ sentence: 'No reply for 12 days' }], nextAction: 'Follow up with the buyer' } }, publicUrl),
    ]);
    const text = JSON.stringify(slack.requests[1]!.body);
    expect(text).toContain(`${publicUrl}/app/deals/${deal.body.id}`);
    expect(text).toContain('€42,000');
  });

  it('posts no high-risk alerts once the admins switch Slack off for them in the notification defaults', async () => {
    const off = await t.request('PATCH', '/api/v1/notification-preferences/defaults', { as: admin, body: { preferences: { deal_high_risk: { slack: false } } } });
    expect(off.status).toBe(200);
    slack.requests.length = 0;
    const deal = await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Quiet alert', valueCents: 1000 } });
    await t.inOrg(orgId, (s) =>
      s.emit({
        type: 'deal.risk_changed',
        recordId: deal.body.id,
        changes: { band: { old: 'medium', new: 'high' }, score: { old: 0.45, new: 0.81 } },
        data: { dealName: 'Quiet alert', ownerId: rep.userId, valueCents: 1000, currency: 'EUR', reasons: [{ code: 'no_reply', sentence: 'No reply for 12 days', weight: 0.4 }], nextAction: { code: 'follow_up', sentence: 'Follow up with the buyer' } },
      }),
    );
    await deliver();
    await sendDueDeliveries(deps);
    // The new deal is still posted; its high-risk alert is not.
    expect(slack.requestsTo(hookUrl).map((r) => (r.body as { blocks?: unknown[] }).blocks && JSON.stringify(r.body).includes('high risk'))).toEqual([false]);
    await t.request('PATCH', '/api/v1/notification-preferences/defaults', { as: admin, body: { preferences: { deal_high_risk: { slack: null } } } });
  });

  it('posts one message per connection for an alert that concerns several members, and only the kinds it subscribed to', async () => {
    const second = slack.newWebhookUrl();
    const wins = await t.request('POST', '/api/v1/slack/connections', { as: admin, body: { channel: '#wins', url: second, kinds: ['deal_won'] } });
    expect(wins.status).toBe(201);
    slack.requests.length = 0;
    const deal = await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Two listeners', valueCents: 1000 } });
    // The owner and the organization's managers and admins hear of a high-risk deal: Slack once.
    await t.inOrg(orgId, (s) =>
      s.emit({
        type: 'deal.risk_changed',
        recordId: deal.body.id,
        changes: { band: { old: 'low', new: 'high' }, score: { old: 0.1, new: 0.9 } },
        data: { dealName: 'Two listeners', ownerId: rep.userId, valueCents: 1000, currency: 'EUR', reasons: [], nextAction: { code: 'follow_up', sentence: 'Follow up' } },
      }),
    );
    await deliver();
    await sendDueDeliveries(deps);
    const texts = slack.requestsTo(hookUrl).map((r) => (r.body as { text: string }).text);
    expect(texts).toEqual(['New deal: Two listeners', 'Deal at high risk: Two listeners (risk 90/100)']);
    // #wins subscribed to won deals only.
    expect(slack.requestsTo(second)).toEqual([]);
    await t.request('DELETE', `/api/v1/slack/connections/${wins.body.id}`, { as: admin });
  });

  it('refuses a kind Slack does not carry, or a webhook event type, and changes nothing', async () => {
    for (const kinds of [['task_due'], ['deal.created'], []]) {
      const res = await t.request('POST', '/api/v1/slack/connections', { as: admin, body: { channel: '#nope', url: slack.newWebhookUrl(), kinds } });
      expect(res.status).toBe(400);
    }
    const list = await t.request('GET', '/api/v1/slack/connections', { as: admin });
    expect(list.body.data.map((c: { channel: string }) => c.channel)).not.toContain('#nope');
  });

  it('waits for Retry-After when Slack answers 429', async () => {
    slack.requests.length = 0;
    slack.setState(hookUrl, { kind: 'rate_limited', times: 1, retryAfterSeconds: 120 });
    await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'Busy channel', valueCents: 1000 } });
    expect(await deliver()).toBe(1);
    now += 60_000;
    expect(await sendDueDeliveries(deps)).toBe(0);
    now += 61_000;
    expect(await sendDueDeliveries(deps)).toBe(1);
    expect(slack.requestsTo(hookUrl)).toHaveLength(2);
  });

  it.each([
    ['revoked', (url: string) => slack.revoke(url), 'no_service'],
    ['archived', (url: string) => slack.archive(url), 'channel_is_archived'],
    ['invalid token', (url: string) => slack.setState(url, { kind: 'error', status: 403, error: 'invalid_token' }), 'invalid_token'],
  ])('shows a %s URL as failing to the admin and stops posting to it', async (_, breakIt, error) => {
    const url = slack.newWebhookUrl();
    const created = await t.request('POST', '/api/v1/slack/connections', { as: admin, body: { channel: '#broken', url, kinds: ['deal_created'] } });
    breakIt(url);
    await t.request('POST', '/api/v1/deals', { as: rep, body: { name: `Deal for ${error}`, valueCents: 1000 } });
    await deliver();
    const connection = await t.request('GET', `/api/v1/slack/connections/${created.body.id}`, { as: admin });
    expect(connection.body).toMatchObject({ status: 'disabled', enabled: false, lastError: error });
    const list = await t.request('GET', '/api/v1/slack/connections', { as: admin });
    expect(list.body.data.find((c: { id: string }) => c.id === created.body.id).status).toBe('disabled');
    await t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'After it broke', valueCents: 1000 } });
    await deliver();
    expect(slack.requestsTo(url)).toHaveLength(1);
  });

  it('is for admins, and another organization\'s connection is 404', async () => {
    expect((await t.request('GET', '/api/v1/slack/connections', { as: rep })).status).toBe(403);
    const other = (await t.newOrg('Elsewhere')).admin;
    expect((await t.request('GET', `/api/v1/slack/connections/${connectionId}`, { as: other })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/slack/connections/${connectionId}/test`, { as: other })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/webhooks/${connectionId}`, { as: admin })).status).toBe(404);
  });
});
