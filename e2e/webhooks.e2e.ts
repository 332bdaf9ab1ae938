// Webhooks and Slack in the web app: the demo admin adds a webhook endpoint pointing at a local
// receiver (which verifies signatures with the standardwebhooks library, as a customer's would),
// copies the signing secret shown once, sends a test event and sees the delivery in the log with
// its status; then connects a Slack channel with the Slack stand-in's URL, sends a test message,
// and the stand-in recorded a Block Kit message. The server runs as `npm start` does in
// development, with WEBHOOKS_ALLOW_LOCALHOST so it may call this machine.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { startSlackSandbox, type SlackSandbox } from '../sandbox/slack/slack-sandbox.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.ts';
import { chromiumAvailable, launchBrowser, screenshot, screenshotDir } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

let server: RunningServer;
let receiver: WebhookReceiver;
let slack: SlackSandbox;
let browser: Browser;

const shot = async (page: Page, name: string) => {
  await screenshot(page, name);
  // Also kept with the other engineers' review shots when that folder exists on this machine.
  try {
    mkdirSync('/work/tmp/shots', { recursive: true });
    copyFileSync(join(screenshotDir, `${name}.png`), `/work/tmp/shots/${name}.png`);
  } catch {
    /* not on the shared machine */
  }
};

describe.skipIf(!chromiumAvailable)('webhooks and Slack in the web app', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    slack = await startSlackSandbox();
    process.env.WEBHOOKS_ALLOW_LOCALHOST = 'true';
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
    await slack?.close();
    delete process.env.WEBHOOKS_ALLOW_LOCALHOST;
  });

  it('an admin adds an endpoint, sends a test event and sees it delivered; connects Slack and posts a test message', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/app/settings/webhooks`);
    await page.getByLabel('Email').waitFor({ timeout: 45_000 });
    await page.getByLabel('Email').fill(demoCredentials.admin);
    await page.getByLabel('Password').fill(demoCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor({ timeout: 30_000 });

    await page.getByLabel('Endpoint name').fill('Order system');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    // The signing secret is shown once: the receiving system keeps it to verify our signatures.
    const secretField = page.getByLabel('Signing secret of Order system');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/Order system answered 200/).waitFor();
    expect(receiver.accepted().map((r) => r.type)).toEqual(['webhook.test']);
    expect(receiver.unverified).toBe(0);

    await page.getByRole('button', { name: 'Delivery log' }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    await log.waitFor();
    await expect.poll(() => log.getByText('webhook.test').count()).toBe(1);
    expect(await log.getByText('Delivered').count()).toBe(1);
    expect(await log.getByText(/^200$/).count()).toBe(1);
    await shot(page, 'h1-webhooks-delivery-log');

    await page.goto(`${server.url}/app/settings/slack`);
    await page.getByRole('heading', { name: 'Slack', exact: true }).waitFor();
    const hookUrl = slack.newWebhookUrl();
    await page.getByRole('textbox', { name: 'Channel' }).fill('#deal-alerts');
    await page.getByLabel('Incoming webhook URL').fill(hookUrl);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('#deal-alerts', { exact: true }).waitFor();
    // The URL is Slack's credential: shown with its secret part hidden.
    expect(await page.getByText(hookUrl).count()).toBe(0);
    await page.getByRole('button', { name: 'Send test message' }).click();
    await page.getByText('Test message posted to #deal-alerts').waitFor();
    const [posted] = slack.requestsTo(hookUrl);
    expect(posted?.body).toMatchObject({ text: expect.any(String), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining('*Test message*') } }] });
    await shot(page, 'h1-slack-connected');
    await context.close();
  });
});
