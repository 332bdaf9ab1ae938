// The built extension in Chromium: it loads, its service worker starts, the options page points
// it at a running API, and signing in through the popup stores a session in the worker's storage.
// Gmail itself cannot be reached here; a stub page at mail.google.com checks that the content
// script runs and InboxSDK's page-world script gets injected by the worker.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchWithExtension, screenshot } from './support/browser.ts';
import { startTestServer } from './support/server.ts';
import type { RunningServer } from '../api/start.ts';

let server: RunningServer;
let context: BrowserContext;
let extensionId: string;

const extensionPage = async (path: string): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
};
const storedSession = async () => {
  const worker = context.serviceWorkers()[0]!;
  return worker.evaluate(`chrome.storage.local.get('session').then((items) => items.session ?? null)`) as Promise<unknown>;
};

describe.skipIf(!chromiumAvailable)('Chrome extension', () => {
  beforeAll(async () => {
    server = await startTestServer();
    ({ context, extensionId } = await launchWithExtension());
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('loads, and its service worker starts', async () => {
    const worker = context.serviceWorkers()[0]!;
    expect(worker.url()).toBe(`chrome-extension://${extensionId}/background.js`);
    const manifest = (await worker.evaluate('chrome.runtime.getManifest()')) as { manifest_version: number; name: string };
    expect(manifest).toMatchObject({ manifest_version: 3, name: 'Inbox CRM' });
  });

  it('is pointed at the API on the options page, then signs in through the popup and keeps the session in the worker', async () => {
    const options = await extensionPage('options.html');
    await options.getByLabel('API address').fill(server.url);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText(/Saved/).first().waitFor();
    await screenshot(options, 'e2e-extension-options');

    const popup = await extensionPage('popup.html');
    await popup.getByLabel('Email').fill('rep1@demo.test');
    await popup.getByLabel('Password').fill('wrong-password');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByText('Wrong email or password').waitFor();
    expect(await storedSession()).toBeNull();

    await popup.getByLabel('Password').fill('demo-password');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByText('Northwind Demo · rep').waitFor();
    const session = JSON.stringify(await storedSession());
    expect(session).toContain('rep1@demo.test');
    expect(session).toMatch(/"token":"[^"]{16,}"/);
    await popup.getByText(/API reachable|reachable/i).first().waitFor();
    await screenshot(popup, 'e2e-extension-popup-signed-in');

  });

  it('runs its Gmail content script, which has the worker inject InboxSDK into the page', async () => {
    await context.route('https://mail.google.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><head><title>Gmail</title></head><body><div role="main"></div></body></html>' }),
    );
    const gmail = await context.newPage();
    await gmail.goto('https://mail.google.com/mail/u/0/');
    await gmail.waitForFunction(`document.head.getAttribute('data-inboxsdk-script-injected') === 'true'`, undefined, { timeout: 20_000 });
  });
});
