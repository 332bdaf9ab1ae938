// The demo inbox page as the API serves it, from a build folder made up for the test (so the test
// does not depend on `npm run build:web` having run).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { createApp, type AppOptions } from '../../app.ts';
import { createAuth } from '../identity/auth.ts';
import { demoInboxEnabled } from '../../config.ts';
import { silentLogger } from '../../log.ts';
import { systemClock } from '../../platform/tenancy/scope.ts';

let database: Database;
let dir: string;
let outside: string;

beforeAll(async () => {
  database = await openTestDatabase();
  const base = await mkdtemp(join(tmpdir(), 'demo-inbox-'));
  dir = join(base, 'demo-inbox');
  outside = join(base, 'secret.txt');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Demo inbox</title><script type="module" src="/demo/inbox/assets/index-abc123.js"></script>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log("demo")');
  await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(outside, 'not for the web');
});

afterAll(async () => {
  await database?.close();
  if (dir) await rm(join(dir, '..'), { recursive: true, force: true });
});

const appWith = (options: AppOptions) => {
  const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  return createApp({ db: database.db, auth, log: silentLogger, clock: systemClock, publicUrl: 'http://localhost:8787' }, options);
};

describe('GET /demo/inbox/', () => {
  it('serves the page as HTML that only loads from this origin', async () => {
    const res = await appWith({ demoInbox: { dir } }).request('/demo/inbox/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Demo inbox</title>');
  });

  it('redirects /demo/inbox to the page, keeping the query', async () => {
    const res = await appWith({ demoInbox: { dir } }).request('/demo/inbox?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/demo/inbox/?x=1');
  });

  it.each([
    ['/demo/inbox/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/demo/inbox/assets/index-abc123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/demo/inbox/favicon.svg', 'image/svg+xml; charset=utf-8', 'no-cache'],
    ['/demo/inbox/index.html', 'text/html; charset=utf-8', 'no-cache'],
  ])('serves %s as %s', async (path, type, cache) => {
    const res = await appWith({ demoInbox: { dir } }).request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
  });

  it('answers HEAD without a body', async () => {
    const res = await appWith({ demoInbox: { dir } }).request('/demo/inbox/', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    '/demo/inbox/assets/missing.js',
    '/demo/inbox/assets',
    '/demo/inbox/../secret.txt',
    '/demo/inbox/%2e%2e/secret.txt',
    '/demo/inbox/..%2fsecret.txt',
    '/demo/inbox/assets/..%2f..%2fsecret.txt',
    '/demo/inbox/%E0%A4%A',
    '/demo/inbox/assets%5c..%5c..%5csecret.txt',
  ])('answers 404 in the API’s error format for %s', async (path) => {
    const res = await appWith({ demoInbox: { dir } }).request(path);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('says how to build the page when it has not been built', async () => {
    const res = await appWith({ demoInbox: { dir: join(dir, 'not-built') } }).request('/demo/inbox/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('npm run build:web');
  });

  it('is not there when turned off', async () => {
    const res = await appWith({ demoInbox: false }).request('/demo/inbox/');
    expect(res.status).toBe(404);
  });

  it('is there by default outside production (this test run)', async () => {
    const res = await appWith({}).request('/demo/inbox/');
    expect([200, 503]).toContain(res.status); // 503 until `npm run build:web` has run
  });
});

describe('demoInboxEnabled', () => {
  it.each([
    [{}, true],
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'test' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', DEMO_INBOX: 'true' }, true],
    [{ NODE_ENV: 'development', DEMO_INBOX: 'false' }, false],
    [{ DEMO_INBOX: 'yes' }, false],
  ])('%j → %s', (env, expected) => {
    expect(demoInboxEnabled(env)).toBe(expected);
  });
});
