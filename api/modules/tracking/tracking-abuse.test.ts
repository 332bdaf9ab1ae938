// What an attacker who signs up could do with tracking, and what stops them: inflating counts by
// reloading a pixel, using the deployment's host as an open redirector, flooding the public paths.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { countHits, hit, IP, MIN, S, UA } from '../../../test-support/tracking.ts';
import { resumeTrackedLinks, setTrackingQuotas, suspendTrackedLinks } from './tracking-protection.service.ts';

const SENT = Date.parse('2026-11-20T09:00:00Z');
let now = SENT;
let t: TestApp;
let rep: Caller;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const org = await t.newOrg('Abusers');
  rep = await org.member('rep');
  orgId = org.orgId;
});
afterAll(() => t.close());

let sentCount = 0;
async function register(as: Caller, links: string[], options: { sent?: boolean; to?: string } = {}) {
  const html = `<p>${links.map((url, i) => `<a href="${url}">link ${i}</a>`).join(' ')}</p>`;
  const res = await t.request('POST', '/api/v1/tracking/messages', { as, body: { to: [options.to ?? 'prospect@elsewhere.test'], subject: 'Hello', html } });
  if (res.status !== 201) return res;
  if (options.sent !== false) {
    const sent = await t.request('POST', `/api/v1/tracking/messages/${res.body.trackedMessageId}/sent`, { as, body: { messageId: `<abuse-${++sentCount}@abusers.test>`, sentAt: new Date(now).toISOString() } });
    expect(sent.status).toBe(200);
  }
  return res;
}
const summaryOf = async (id: string) => (await t.request('GET', `/api/v1/tracking/messages/${id}`, { as: rep })).body;

describe('counts', () => {
  it('count one person reloading the pixel 600 times in a second as one open, and keep every hit for audit', async () => {
    now = SENT;
    const message = (await register(rep, ['https://example.com/a'])).body;
    now = SENT + 30 * MIN;
    const rows = await countHits(t);
    for (let i = 0; i < 600; i++) {
      now = SENT + 30 * MIN + i;
      await hit(t, message.pixelUrl, { ua: UA.appleMail, ip: IP.person });
    }
    // Someone else, on another network, a moment later: their own open.
    await hit(t, message.pixelUrl, { ua: UA.appleMail, ip: '198.51.100.23' });
    now = SENT + 31 * MIN;
    await t.tracking.hits.flush();
    const summary = await summaryOf(message.trackedMessageId);
    expect(summary.opens.count).toBe(2);
    expect(await countHits(t)).toBe(rows + 601);
    const classes = rowsOf<{ class: string; n: number }>(
      await t.database.db.execute(sql`select class, count(*)::int as n from tracking_hits where tracked_message_id = ${message.trackedMessageId} group by class order by class`),
    );
    expect(classes).toEqual([{ class: 'human', n: 2 }, { class: 'repeat', n: 599 }]);
  });

  it('count 151 clicks on one link as one click; a reload after the window counts again', async () => {
    now = SENT;
    const message = (await register(rep, ['https://example.com/a', 'https://example.com/b'])).body;
    now = SENT + 40 * MIN;
    for (let i = 0; i < 151; i++) {
      now = SENT + 40 * MIN + i * 10;
      await hit(t, message.links[0].trackedUrl, { ua: UA.chrome, ip: IP.person });
    }
    now = SENT + 40 * MIN + 2 * MIN;
    await hit(t, message.links[0].trackedUrl, { ua: UA.chrome, ip: IP.person });
    now = SENT + 45 * MIN;
    await t.tracking.hits.flush();
    const summary = await summaryOf(message.trackedMessageId);
    expect(summary.clicks).toEqual([expect.objectContaining({ linkIndex: 0, count: 2 })]);
    expect(summary.pendingClicks).toBe(0);
  });
});

describe('tracked links as a redirector', () => {
  it('redirect only once the message is reported sent', async () => {
    now = SENT + 2 * 60 * MIN;
    const unsent = (await register(rep, ['https://phish.example/login'], { sent: false })).body;
    const before = t.tracking.hits.counters.accepted;
    const res = await hit(t, unsent.links[0].trackedUrl);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('not available');
    expect(t.tracking.hits.counters.accepted).toBe(before);

    await t.request('POST', `/api/v1/tracking/messages/${unsent.trackedMessageId}/sent`, { as: rep, body: { messageId: '<now-sent@abusers.test>' } });
    // A "not sent yet" answer is remembered for seconds, not longer.
    now += 5 * S;
    const after = await hit(t, unsent.links[0].trackedUrl);
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('https://phish.example/login');
  });

  it('stop redirecting when the operator suspends the organization, which also cannot register tracked messages until resumed', async () => {
    now = SENT + 3 * 60 * MIN;
    const message = (await register(rep, ['https://example.com/pricing'])).body;
    expect((await hit(t, message.links[0].trackedUrl)).status).toBe(302);

    await t.inOrg(orgId, (s) => suspendTrackedLinks(s, 'reported by abuse desk'));
    // Every process stops within its cache time (30 s).
    now += 31 * S;
    const res = await hit(t, message.links[0].trackedUrl);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    const refused = await register(rep, ['https://example.com/pricing']);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/suspended.*reported by abuse desk/);
    // The pixel still answers its image.
    expect((await hit(t, message.pixelUrl)).status).toBe(200);

    await t.inOrg(orgId, (s) => resumeTrackedLinks(s));
    now += 31 * S;
    expect((await hit(t, message.links[0].trackedUrl)).status).toBe(302);
  });

  it('limit how many tracked messages an organization registers a day, with Retry-After until midnight UTC', async () => {
    const org = await t.newOrg('Bulk Senders');
    await t.inOrg(org.orgId, (s) => setTrackingQuotas(s, { messagesPerDay: 3 }));
    now = Date.parse('2026-11-21T22:00:00Z');
    for (let i = 0; i < 3; i++) expect((await register(org.admin, ['https://bulk.example/offer'])).status).toBe(201);
    const refused = await register(org.admin, ['https://bulk.example/offer']);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.details.retryAfterSeconds).toBe(2 * 3600);
    const tracked = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from tracked_messages where org_id = ${org.orgId}`));
    expect(tracked[0]!.n).toBe(3);
    now = Date.parse('2026-11-22T00:00:01Z');
    expect((await register(org.admin, ['https://bulk.example/offer'])).status).toBe(201);
  });

  it('limit how many new link hosts an organization points at in 24 hours; hosts it linked to before stay free', async () => {
    const org = await t.newOrg('Link Farm');
    await t.inOrg(org.orgId, (s) => setTrackingQuotas(s, { linkHostsPerDay: 3 }));
    now = Date.parse('2026-11-23T10:00:00Z');
    expect((await register(org.admin, ['https://one.example/', 'https://two.example/x'])).status).toBe(201);
    const refused = await register(org.admin, ['https://three.example/', 'https://four.example/', 'https://one.example/again']);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/3 new sites a day.*adds 2/);
    expect((await register(org.admin, ['https://one.example/again', 'https://three.example/'])).status).toBe(201);
    expect((await register(org.admin, ['https://two.example/', 'https://one.example/b'])).status).toBe(201);
    // A day after the first ones, there is room again.
    now = Date.parse('2026-11-24T10:00:01Z');
    expect((await register(org.admin, ['https://four.example/'])).status).toBe(201);
  });
});

describe('the public paths under load from one network', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp({ clock: () => now, rateLimits: { trackingPerNetwork: 5 } });
  });
  afterAll(() => u.close());

  it('answer the pixel but stop recording, and refuse clicks with 429 and Retry-After, past the network’s budget; mail providers’ networks have none', async () => {
    now = Date.parse('2026-11-25T10:00:30Z');
    const org = await u.newOrg('Flooded');
    const res = await u.request('POST', '/api/v1/tracking/messages', { as: org.admin, body: { to: ['p@flooded.test'], html: '<p><a href="https://example.com/x">x</a></p>' } });
    const message = res.body;
    await u.request('POST', `/api/v1/tracking/messages/${message.trackedMessageId}/sent`, { as: org.admin, body: { messageId: '<flood@flooded.test>' } });

    const accepted = () => u.tracking.hits.counters.accepted;
    const before = accepted();
    for (let i = 0; i < 5; i++) expect((await hit(u, message.pixelUrl, { ip: '192.0.2.99' })).status).toBe(200);
    expect(accepted()).toBe(before + 5);
    const pixel = await hit(u, message.pixelUrl, { ip: '192.0.2.99' });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    expect(accepted()).toBe(before + 5);
    const click = await hit(u, message.links[0].trackedUrl, { ip: '192.0.2.99' });
    expect(click.status).toBe(429);
    expect(Number(click.headers.get('retry-after'))).toBe(30);
    expect(click.headers.get('location')).toBeNull();

    // Another network, and Gmail's image proxy (every Gmail reader behind it), are not concerned.
    expect((await hit(u, message.links[0].trackedUrl, { ip: '192.0.2.100' })).status).toBe(302);
    for (let i = 0; i < 8; i++) await hit(u, message.pixelUrl, { ua: UA.gmailProxy, ip: IP.google });
    expect(accepted()).toBe(before + 5 + 1 + 8);
    // The next minute, the budget is back.
    now = Date.parse('2026-11-25T10:01:00Z');
    expect((await hit(u, message.links[0].trackedUrl, { ip: '192.0.2.99' })).status).toBe(302);
  });

  it('share the budget between processes through Postgres', async () => {
    now = Date.parse('2026-11-25T11:00:10Z');
    const budget = u.protection.limiter!.budget({ name: 'tracking-network', limit: 5, windowMs: 60_000 });
    const other = u.protection.limiter!.budget({ name: 'tracking-network', limit: 5, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect(budget.allow('192.0.2.200')).toBe(true);
    expect(other.allow('192.0.2.200')).toBe(true);
    await u.protection.limiter!.flush();
    // Both have learned the shared total (4 of 5): one more, from either, and the network is done.
    expect(other.allow('192.0.2.200')).toBe(true);
    // Each process's next sync reads what the other wrote.
    await u.protection.limiter!.flush();
    await u.protection.limiter!.flush();
    expect(other.allow('192.0.2.200')).toBe(false);
    expect(budget.allow('192.0.2.200')).toBe(false);
    budget.stop();
    other.stop();
  });
});
