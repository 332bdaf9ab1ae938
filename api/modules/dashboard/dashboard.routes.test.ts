// The web app's files and pages at /app/: every page path answers the app (its router reads the
// URL), built files are served with their types and caching, nothing outside the build folder is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from './dashboard.routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-dashboard-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
writeFileSync(join(tmpdir(), 'crm-dashboard-secret.txt'), 'secret');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'crm-dashboard-secret.txt'), { force: true });
});

const app = dashboardRoutes({ dir });

describe('the web app at /app/', () => {
  it.each([
    ['/', 302, '/app/'],
    ['/app', 301, '/app/'],
    ['/app?x=1', 301, '/app/?x=1'],
    ['/invite?token=abc', 302, '/app/invite?token=abc'],
  ])('%s leads to the app', async (path, status, location) => {
    const res = await app.request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBe(location);
  });

  it.each(['/app/', '/app/board', '/app/deals/0b5a3c1e-8f5e-4b8e-9a37-1f2d3c4b5a69', '/app/settings/members'])('%s answers the app page, never cached, with its CSP', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves built files with their type; hashed assets are cached for good', async () => {
    const js = await app.request('/app/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const icon = await app.request('/app/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it.each(['/app/missing.js', '/app/..%2fcrm-dashboard-secret.txt', '/app/assets/..%2f..%2fcrm-dashboard-secret.txt', '/app/%00.js', '/app/%E0%A4%A.js'])('%s is not found', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
  });

  it('says how to build it when it has not been built', async () => {
    const res = await dashboardRoutes({ dir: join(dir, 'nothing-here') }).request('/app/board');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });
});
