// The built extension in Chromium: it loads, its service worker starts, the options page points
// it at a running API, and signing in through the popup stores a session in the worker's storage.
// Signed in, the worker polls for first opens on its minute alarm, and its tracking messages work
// against the real API (registered from an extension page: the Gmail compose window that sends
// them in real use needs the real Gmail). Gmail itself cannot be reached here; a stub page at
// mail.google.com checks that the content script runs and InboxSDK's page-world script gets
// injected by the worker.
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

  it('holds the notifications and alarms permissions, and polls for opens on its minute alarm while signed in', async () => {
    const worker = context.serviceWorkers()[0]!;
    const manifest = (await worker.evaluate('chrome.runtime.getManifest()')) as { permissions: string[] };
    expect(manifest.permissions).toEqual(expect.arrayContaining(['notifications', 'alarms']));
    expect(await worker.evaluate(`chrome.notifications.getPermissionLevel()`)).toBe('granted');
    expect(await worker.evaluate(`chrome.alarms.get('crm:minute').then((a) => a && a.periodInMinutes)`)).toBe(1);
    // Fire the tick now (an unpacked extension's alarms may run this soon): it reads the real
    // GET /notifications and records what it has seen for this user.
    await worker.evaluate(`chrome.alarms.create('crm:minute', { when: Date.now() + 50, periodInMinutes: 1 })`);
    await expect
      .poll(() => worker.evaluate(`chrome.storage.local.get('open-notifications').then((i) => i['open-notifications']?.value?.userId ?? null)`), { timeout: 10_000 })
      .toMatch(/^[0-9a-f-]{36}$/);
  });

  it('registers a tracked email with the API, reports it sent and reads its thread’s state, through the worker', async () => {
    const page = await extensionPage('options.html');
    type ExtensionPage = { chrome: { runtime: { sendMessage(message: unknown): Promise<any> } } };
    const ask = (message: unknown) => page.evaluate((m) => (globalThis as unknown as ExtensionPage).chrome.runtime.sendMessage(m), message);
    const recipients = { to: ['new.buyer@example.org'], cc: [], bcc: [] };
    const decision = await ask({ type: 'crm:tracking-decision', recipients });
    expect(decision).toMatchObject({ ok: true, decision: { track: true, storeIdentity: true } });

    const html = '<div>Hello, the <a href="https://example.com/pricing">pricing</a>.</div>';
    const registered = await ask({ type: 'crm:tracking-register', message: { ...recipients, html, subject: 'E2E tracking', threadId: null } });
    expect(registered).toMatchObject({ ok: true, registration: { trackedMessageId: expect.any(String), pixelUrl: expect.any(String) } });
    const { trackedMessageId, pixelUrl, html: tracked } = registered.registration as { trackedMessageId: string; pixelUrl: string; html: string };
    expect(tracked).toContain(pixelUrl.replace(/&/g, '&amp;'));
    expect(tracked).not.toContain('href="https://example.com/pricing"');
    expect(tracked.replace(/<[^>]*>/g, '')).toBe(html.replace(/<[^>]*>/g, '')); // same text

    const sent = await ask({ type: 'crm:tracking-sent', sent: { trackedMessageId, messageId: 'gmail:18c0ffee00000e2e', threadId: '18c0ffee00000e2e' } });
    expect(sent).toEqual({ ok: true, queued: false });
    expect(await ask({ type: 'crm:thread-states', threadIds: ['18c0ffee00000e2e', '18c0ffee00000e2f'] })).toEqual({
      ok: true,
      states: [{ threadId: '18c0ffee00000e2e', state: 'not_opened', opens: 0, lastOpenAt: null }],
    });
    expect(await ask({ type: 'crm:sender-view', messageIds: ['gmail:18c0ffee00000e2e'] })).toEqual({ ok: true });
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
