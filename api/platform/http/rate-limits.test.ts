// Rate limits as an attacker meets them: password guessing per address and per network (on
// /api/v1/session and better-auth's own sign-in alike), and every /api/v1 caller's request budget,
// all counted in Postgres so that several API processes enforce one limit between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { silentLogger } from '../../log.ts';
import { createAuth } from '../../modules/identity/auth.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { RateLimiter } from './rate-limiter.ts';

// 09:07:30: the 15-minute window runs to 09:15, the minute to 09:08.
const START = Date.parse('2026-11-20T09:07:30Z');
let now = START;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, rateLimits: { authPerAddress: 5, authPerNetwork: 8, apiPerMinute: 20, appReadsPerMinute: 30 } });
});
afterAll(() => t.close());

/** Another API process on the same database: its own app, auth and limiter. */
function secondProcess(limits = t.protection.limits) {
  const auth = createAuth({ db: t.database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  const limiter = new RateLimiter(t.database.db, { log: silentLogger, now: () => now });
  const app = createApp({ db: t.database.db, auth, log: silentLogger, clock: () => new Date(now), publicUrl: 'http://localhost:8787', protection: { ...t.protection, limiter, limits } });
  return { app, close: () => limiter.close() };
}

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const signIn = (email: string, password: string, ip = '203.0.113.10', app = t.app) =>
  app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', ...from(ip) }, body: JSON.stringify({ email, password }) });

async function expectLimited(res: Response, retryAfter?: number) {
  expect(res.status).toBe(429);
  const body = await res.json();
  expect(body.error.code).toBe('RATE_LIMITED');
  expect(body.error.message).toMatch(/Too many/);
  const header = Number(res.headers.get('retry-after'));
  if (retryAfter !== undefined) expect(header).toBe(retryAfter);
  else expect(header).toBeGreaterThan(0);
}

describe('password guessing', () => {
  it('refuses the sixth attempt on one address within 15 minutes, even with the right password, until the window ends', async () => {
    const org = await t.newOrg('Guessed');
    now = START;
    // The sign-up was the address's first attempt in this window.
    for (let i = 0; i < 4; i++) expect((await signIn(org.admin.email, `wrong-password-${i}`, `198.51.100.${i + 1}`)).status).toBe(401);
    await expectLimited(await signIn(org.admin.email, 'correct-horse-1', '198.51.100.9'), 450);
    // Other addresses are not concerned.
    expect((await signIn('someone.else@guessed.test', 'whatever-1', '198.51.100.9')).status).toBe(401);
    now = Date.parse('2026-11-20T09:15:00Z');
    expect((await signIn(org.admin.email, 'correct-horse-1', '198.51.100.9')).status).toBe(200);
  });

  it('refuses a network that tries too many addresses, and no other network', async () => {
    now = Date.parse('2026-11-20T10:01:00Z');
    for (let i = 0; i < 8; i++) expect((await signIn(`spray${i}@victims.test`, 'Winter2026!', '192.0.2.50')).status).toBe(401);
    await expectLimited(await signIn('spray9@victims.test', 'Winter2026!', '192.0.2.50'));
    expect((await signIn('spray9@victims.test', 'Winter2026!', '192.0.2.51')).status).toBe(401);
  });

  it('counts an IPv6 /64 as one network', async () => {
    now = Date.parse('2026-11-20T11:01:00Z');
    for (let i = 0; i < 8; i++) expect((await signIn(`v6-${i}@victims.test`, 'Winter2026!', `2001:db8:5:6::${i + 1}`)).status).toBe(401);
    await expectLimited(await signIn('v6-9@victims.test', 'Winter2026!', '2001:db8:5:6:ffff::9'));
    expect((await signIn('v6-9@victims.test', 'Winter2026!', '2001:db8:5:7::1')).status).toBe(401);
  });

  it('counts better-auth’s own sign-in endpoint and sign-up against the same limits', async () => {
    now = Date.parse('2026-11-20T12:01:00Z');
    const cookieSignIn = (password: string) =>
      t.app.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:8787', ...from('198.51.100.77') },
        body: JSON.stringify({ email: 'cookie@guessed.test', password }),
      });
    for (let i = 0; i < 3; i++) expect((await cookieSignIn(`wrong-${i}-password`)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await signIn('cookie@guessed.test', `wrong-${i}-again`, '198.51.100.78')).status).toBe(401);
    await expectLimited(await cookieSignIn('the-right-one'));
    await expectLimited(
      await t.app.request('/api/v1/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from('198.51.100.79') },
        body: JSON.stringify({ name: 'Late', email: 'cookie@guessed.test', password: 'a-long-password', organizationName: 'Late' }),
      }),
    );
  });

  it('holds across API processes: attempts sent to two processes share one count', async () => {
    now = Date.parse('2026-11-20T13:01:00Z');
    const other = secondProcess();
    try {
      for (let i = 0; i < 5; i++) expect((await signIn('shared@guessed.test', `wrong-${i}-pw`, `198.51.100.${100 + i}`, i % 2 ? other.app : t.app)).status).toBe(401);
      await expectLimited(await signIn('shared@guessed.test', 'another-guess', '198.51.100.120', other.app));
      await expectLimited(await signIn('shared@guessed.test', 'another-guess', '198.51.100.121', t.app));
    } finally {
      await other.close();
    }
  });
});

describe('the request budget of /api/v1 callers', () => {
  it('refuses an API key’s 21st request in a minute with 429 and Retry-After; other keys, and the next minute, are not refused', async () => {
    now = Date.parse('2026-11-20T14:00:15Z');
    const org = await t.newOrg('Busy');
    const key = (await t.request('POST', '/api/v1/api-keys', { as: org.admin, body: { name: 'cron' } })).body.key;
    const other = (await t.request('POST', '/api/v1/api-keys', { as: org.admin, body: { name: 'zapier' } })).body.key;
    now = Date.parse('2026-11-20T14:01:15Z');
    const me = (as: string) => t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${as}` } });
    for (let i = 0; i < 20; i++) expect((await me(key)).status).toBe(200);
    await expectLimited(await me(key), 45);
    expect((await me(other)).status).toBe(200);
    now = Date.parse('2026-11-20T14:02:00Z');
    expect((await me(key)).status).toBe(200);
  });

  it('gives a person one budget across their sessions', async () => {
    now = Date.parse('2026-11-20T15:00:30Z');
    const org = await t.newOrg('Sessions');
    const second = await signIn(org.admin.email, 'correct-horse-1', '198.51.100.200');
    const tokens = [org.admin.token, (await second.json()).token];
    now = Date.parse('2026-11-20T15:01:30Z');
    for (let i = 0; i < 20; i++) expect((await t.request('GET', '/api/v1/me', { as: tokens[i % 2] })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { as: tokens[0] })).status).toBe(429);
    expect((await t.request('GET', '/api/v1/me', { as: tokens[1] })).status).toBe(429);
  });

  it('gives the web app\'s reads with the session cookie a larger budget of their own; its writes and bearer tokens stay on the API budget', async () => {
    now = Date.parse('2026-11-20T17:00:30Z');
    const org = await t.newOrg('Dashboard');
    const signedIn = await t.app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:8787', ...from('198.51.100.230') },
      body: JSON.stringify({ email: org.admin.email, password: 'correct-horse-1' }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = (path: string, init: RequestInit = {}) => t.app.request(`/api/v1${path}`, { ...init, headers: { cookie, origin: 'http://localhost:8787', 'content-type': 'application/json', ...init.headers } });
    now = Date.parse('2026-11-20T17:01:30Z');
    // A manager's busy minute in the app: more reads than the API budget (20) allows.
    for (let i = 0; i < 30; i++) expect((await page(i % 2 ? '/me' : '/pipelines')).status).toBe(200);
    await expectLimited(await page('/me'), 30);
    // The API budget was not touched by those reads: the same person's bearer token has all of it,
    // and the app's writes share it.
    for (let i = 0; i < 19; i++) expect((await t.request('GET', '/api/v1/me', { as: org.admin })).status).toBe(200);
    expect((await page('/contacts', { method: 'POST', body: JSON.stringify({ email: 'first@dashboard.test' }) })).status).toBe(201);
    await expectLimited(await page('/contacts', { method: 'POST', body: JSON.stringify({ email: 'second@dashboard.test' }) }));
    expect((await t.request('GET', '/api/v1/me', { as: org.admin })).status).toBe(429);
    now = Date.parse('2026-11-20T17:02:00Z');
    expect((await page('/me')).status).toBe(200);
  });

  it('stays within the limit across two processes that lease parts of it', async () => {
    now = Date.parse('2026-11-20T16:00:30Z');
    const org = await t.newOrg('Leases');
    const key = (await t.request('POST', '/api/v1/api-keys', { as: org.admin, body: { name: 'bulk' } })).body.key;
    now = Date.parse('2026-11-20T16:01:30Z');
    const limits = { ...t.protection.limits, apiPerMinute: 200 };
    const [a, b] = [secondProcess(limits), secondProcess(limits)];
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 260; i++) statuses.push((await (i % 3 ? a : b).app.request('/api/v1/me', { headers: { authorization: `Bearer ${key}` } })).status);
      const allowed = statuses.filter((s) => s === 200).length;
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      // Never more than the limit; at most one unspent lease (a twentieth) per process less.
      expect(allowed).toBeLessThanOrEqual(200);
      expect(allowed).toBeGreaterThanOrEqual(200 - 2 * 10);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
