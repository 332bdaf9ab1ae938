// The API serving the Outlook add-in: the manifest built from PUBLIC_URL, the pane's files with
// headers that let Outlook frame them, the well-known file classic Outlook on Windows asks for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addinIdFor } from '../../../core/outlook/manifest.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { outlookRoutes, PUBLIC_URL_SLOT } from './outlook.routes.ts';

let dir: string;
let t: TestApp;
const publicUrl = 'https://crm.example.com';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-outlook-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'icons'));
  writeFileSync(join(dir, 'taskpane.html'), '<!doctype html><title>Inbox CRM for Outlook</title>');
  writeFileSync(join(dir, 'launchevent.js'), `var served = "${PUBLIC_URL_SLOT}"; Office.actions.associate("onMessageSendHandler", function () {});`);
  writeFileSync(join(dir, 'assets', 'taskpane-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'icons', 'icon-16.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  t = await createTestApp();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const app = (options: Partial<Parameters<typeof outlookRoutes>[0]> = {}) => outlookRoutes({ publicUrl, dir, ...options });

describe('/outlook/manifest.xml', () => {
  it('is the manifest for this deployment: its URLs under PUBLIC_URL, its stable id', async () => {
    const res = await app().request('/outlook/manifest.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toContain(`<Id>${addinIdFor(publicUrl)}</Id>`);
    expect(xml).toContain('DefaultValue="https://crm.example.com/outlook/taskpane.html"');
    expect(xml).toContain('DefaultValue="https://crm.example.com/outlook/launchevent.js"');
    expect(await (await app().request('/outlook/manifest.xml')).text()).toBe(xml);
  });

  it('takes the add-in id from OUTLOOK_ADDIN_ID when set', async () => {
    const xml = await (await app({ addinId: '5d9a8c2e-1111-4222-8333-944455556666' }).request('/outlook/manifest.xml')).text();
    expect(xml).toContain('<Id>5d9a8c2e-1111-4222-8333-944455556666</Id>');
  });

  it('says why there is none when PUBLIC_URL is not https, instead of a manifest Outlook would refuse', async () => {
    const res = await app({ publicUrl: 'http://localhost:8787' }).request('/outlook/manifest.xml');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/only over https, and PUBLIC_URL is http:\/\/localhost:8787/);
  });

  it('is mounted on the API', async () => {
    const res = await t.app.request('/outlook/manifest.xml'); // the test app's PUBLIC_URL is http
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/https/);
  });
});

describe('/outlook/ pages', () => {
  it('serves the task pane so Outlook may frame it, loading office.js from Microsoft\'s CDN', async () => {
    const res = await app().request('/outlook/taskpane.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/outlook\.office\.com https:\/\/outlook\.office365\.com https:\/\/outlook\.live\.com/);
    expect(csp).toContain("script-src 'self' https://appsforoffice.microsoft.com");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('caches hashed assets for good and revalidates the rest (the runtime script\'s URL is in the manifest)', async () => {
    expect((await app().request('/outlook/assets/taskpane-abc123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const runtime = await app().request('/outlook/launchevent.js');
    expect(runtime.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(runtime.headers.get('cache-control')).toBe('no-cache');
    // It runs with no page address in classic Outlook on Windows: it is told the API's.
    expect(await runtime.text()).toBe('var served = "https://crm.example.com"; Office.actions.associate("onMessageSendHandler", function () {});');
    expect(await (await app({ publicUrl: 'http://localhost:8787' }).request('/outlook/launchevent.js')).text()).toContain(PUBLIC_URL_SLOT);
    expect((await app().request('/outlook/icons/icon-16.png')).headers.get('content-type')).toBe('image/png');
    expect(await (await app().request('/outlook/')).text()).toContain('Inbox CRM for Outlook');
    expect((await app().request('/outlook')).status).toBe(301);
  });

  it.each(['/outlook/../package.json', '/outlook/..%2f..%2fpackage.json', '/outlook/%00', '/outlook/nothing-here.js', '/outlook/%E0%A4%A'])('answers 404 to %s', async (path) => {
    expect((await app().request(path)).status).toBe(404);
  });

  it('says how to build it when the build is missing', async () => {
    const res = await app({ dir: join(dir, 'missing') }).request('/outlook/taskpane.html');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });
});

describe('/.well-known/microsoft-officeaddins-allowed.json', () => {
  it('lists the on-send script classic Outlook on Windows runs', async () => {
    const res = await app().request('/.well-known/microsoft-officeaddins-allowed.json');
    expect(await res.json()).toEqual({ allowed: ['https://crm.example.com/outlook/launchevent.js'] });
  });
});
