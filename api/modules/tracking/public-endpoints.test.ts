// The public pixel, click and opt-out paths: what they answer whatever the token, that only a
// genuine token is recorded, and that a click can only go where the sender pointed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../core/tracking/tokens.ts';
import { createApp } from '../../app.ts';
import { createAuth } from '../identity/auth.ts';
import { silentLogger } from '../../log.ts';
import { createTestApp, testTrackingKeyring, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { countHits, hit, registerTracked, UA } from '../../../test-support/tracking.ts';

const GIF_BYTES = '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b';

let t: TestApp;
let f: OrgFixture;
let registered: Awaited<ReturnType<typeof registerTracked>>;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Pixels');
  registered = await registerTracked(t, f.rep, {
    to: [f.contactEmail],
    subject: 'Proposal',
    html: '<p>See <a href="https://example.com/pricing?plan=pro&amp;x=1">pricing</a> and <a href="https://example.com/case-study">a case study</a>.</p>',
    optOutLink: true,
  });
  const sent = await t.request('POST', `/api/v1/tracking/messages/${registered.trackedMessageId}/sent`, { as: f.rep, body: { messageId: '<pixels-1@pixels.test>' } });
  expect(sent.status).toBe(200);
});
afterAll(() => t.close());

const path = (url: string) => new URL(url).pathname;
const pixelToken = () => /\/o\/([A-Za-z0-9_-]+)\.gif$/.exec(registered.pixelUrl)![1]!;
const clickToken = (i: number) => /\/c\/([A-Za-z0-9_-]+)$/.exec(registered.links[i]!.trackedUrl)![1]!;
const honeypotUrl = () => /<a href="([^"]+)" style="display:none"/.exec(registered.html)![1]!;
/** Re-encodes a token after changing its bytes, keeping its MAC. */
const alter = (token: string, change: (bytes: Buffer) => void) => {
  const bytes = Buffer.from(token, 'base64url');
  change(bytes);
  return bytes.toString('base64url');
};

function expectPixel(res: Response, body: ArrayBuffer | null) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/gif');
  expect(res.headers.get('cache-control')).toBe('no-store, no-cache, must-revalidate, private');
  expect(res.headers.get('pragma')).toBe('no-cache');
  expect(res.headers.get('expires')).toBe('0');
  if (body) expect(Buffer.from(body).toString('hex')).toBe(GIF_BYTES);
}

describe('the open pixel', () => {
  it('decorates the body: pixel, rewritten links, hidden honeypot, opt-out line', () => {
    expect(registered.links.map((l) => l.url)).toEqual(['https://example.com/pricing?plan=pro&x=1', 'https://example.com/case-study']);
    for (const link of registered.links) expect(registered.html).toContain(`href="${link.trackedUrl}"`);
    expect(registered.html).not.toContain('href="https://example.com');
    expect(registered.html).toContain(`<img src="${registered.pixelUrl}"`);
    expect(registered.html).toContain(`href="${registered.optOutUrl}"`);
    expect(verifyToken(/\/u\/(.+)$/.exec(registered.optOutUrl!)![1]!, testTrackingKeyring)).toMatchObject({ kind: 'optout', messageId: registered.trackedMessageId });
    expect(verifyToken(/\/c\/(.+)$/.exec(honeypotUrl())![1]!, testTrackingKeyring)).toMatchObject({ kind: 'honeypot' });
  });

  it.each([
    ['a genuine token', () => path(registered.pixelUrl)],
    ['a forged token', () => `/o/${signToken({ kind: 'open', messageId: registered.trackedMessageId, recipient: null }, { currentKeyId: 't1', keys: { t1: 'someone-else-s-secret-0123456789abcdef' } })}.gif`],
    ['an altered token', () => `/o/${alter(pixelToken(), (b) => void (b[5] = b[5]! ^ 1))}.gif`],
    ['a click token', () => `/o/${clickToken(0)}.gif`],
    ['garbage', () => '/o/not-a-token.gif'],
    ['no .gif', () => `/o/${pixelToken()}`],
    ['a very long name', () => `/o/${'A'.repeat(5000)}.gif`],
  ])('answers the same 43-byte GIF, never cached, for %s', async (_name, pathOf) => {
    for (const method of ['GET', 'HEAD']) {
      const res = await t.app.request(pathOf(), { method, headers: { 'user-agent': UA.chrome } });
      expectPixel(res, method === 'GET' ? await res.arrayBuffer() : null);
      if (method === 'HEAD') expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('records only genuine open tokens, in memory first: the request never touches the database', async () => {
    await t.tracking.hits.drain();
    const before = t.tracking.hits.counters.accepted;
    const rows = await countHits(t);
    await hit(t, registered.pixelUrl, { ua: UA.appleMail });
    await t.app.request(`/o/${alter(pixelToken(), (b) => void (b[5] = b[5]! ^ 1))}.gif`);
    await t.app.request(`/o/${clickToken(0)}.gif`);
    expect(t.tracking.hits.counters.accepted).toBe(before + 1);
    expect(await countHits(t)).toBe(rows);
    await t.tracking.hits.drain();
    expect(await countHits(t)).toBe(rows + 1);
  });
});

describe('a click', () => {
  it('redirects to the URL inside the signed token, and only there', async () => {
    for (const link of registered.links) {
      const res = await hit(t, link.trackedUrl);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(link.url);
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('also answers HEAD (link checkers) with the redirect, recorded as a hit', async () => {
    const before = t.tracking.hits.counters.accepted;
    const res = await hit(t, registered.links[0]!.trackedUrl, { method: 'HEAD' });
    expect(res.status).toBe(302);
    expect(t.tracking.hits.counters.accepted).toBe(before + 1);
  });

  it.each([
    // version, head, key id "t1", message (16 bytes), recipient (16), then the link index at 37-38.
    ['an altered link index', () => alter(clickToken(1), (b) => void (b[38] = b[38]! ^ 1))],
    ['a URL swapped for another of the same length', () => alter(clickToken(1), (b) => void b.write('https://evil.test/case-studyyy', b.indexOf('https://example.com/case-study'), 'utf8'))],
    ['a forged token pointing elsewhere', () => signToken({ kind: 'click', messageId: registered.trackedMessageId, recipient: null, linkIndex: 0, url: 'https://evil.test/' }, { currentKeyId: 't1', keys: { t1: 'someone-else-s-secret-0123456789abcdef' } })],
    ['a pixel token', () => pixelToken()],
    ['an opt-out token', () => /\/u\/(.+)$/.exec(registered.optOutUrl!)![1]!],
    ['garbage', () => 'garbage'],
    ['one character short', () => clickToken(0).slice(0, -1)],
  ])('answers a plain 404 page for %s, redirects nowhere and records nothing', async (_name, tokenOf) => {
    const before = t.tracking.hits.counters.accepted;
    const res = await t.app.request(`/c/${tokenOf()}`, { headers: { 'user-agent': UA.chrome } });
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Link not found');
    expect(t.tracking.hits.counters.accepted).toBe(before);
  });

  it('answers the hidden honeypot link with an empty 204 and records it', async () => {
    const before = t.tracking.hits.counters.accepted;
    const res = await hit(t, honeypotUrl());
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(t.tracking.hits.counters.accepted).toBe(before + 1);
  });
});

describe('the opt-out page', () => {
  it('GET only asks (scanners follow links), with a button that posts to the same address', async () => {
    const before = t.tracking.hits.counters.accepted;
    const res = await t.app.request(path(registered.optOutUrl!));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Stop open and click tracking?');
    expect(html).toContain(`<form method="post" action="${path(registered.optOutUrl!)}">`);
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(t.tracking.hits.counters.accepted).toBe(before);
    const decision = await t.request('POST', '/api/v1/tracking/decision', { as: f.rep, body: { to: [f.contactEmail] } });
    expect(decision.body.track).toBe(true);
  });

  it('refuses forged or other tokens with a 404 page, on GET and POST', async () => {
    for (const token of [alter(/\/u\/(.+)$/.exec(registered.optOutUrl!)![1]!, (b) => void (b[5] = b[5]! ^ 1)), pixelToken(), 'garbage']) {
      for (const method of ['GET', 'POST']) {
        const res = await t.app.request(`/u/${token}`, { method });
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('Link not found');
      }
    }
  });
});

describe('a tracking base URL with a path', () => {
  it('serves the public paths under it, and nothing at the root', async () => {
    const auth = createAuth({ db: t.database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
    const tracking = { ...t.tracking, baseUrl: 'https://t.example.com/track' };
    const app = createApp({ db: t.database.db, auth, log: silentLogger, clock: () => new Date(), publicUrl: 'http://localhost:8787', tracking }, { demoInbox: false });
    const token = /\/o\/(.+)$/.exec(registered.pixelUrl)![1]!;
    expectPixel(await app.request(`/track/o/${token}`), null);
    const click = await app.request(`/track/c/${clickToken(0)}`);
    expect(click.headers.get('location')).toBe(registered.links[0]!.url);
    expect((await app.request(`/o/${token}`)).status).toBe(404);
  });
});
