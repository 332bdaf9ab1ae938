// Billing in the web app: the demo admin sees the Pro trial, upgrades through the Stripe stand-in's
// hosted checkout (card form, "Pay"), and, once the signed webhooks arrived, sees Pro as the plan
// paid for, with its seats and next invoice. The server runs with billing on, as `npm start` would
// with STRIPE_SECRET_KEY and STRIPE_API_URL pointing at the stand-in.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { startStripeSandbox, type StripeSandbox } from '../sandbox/stripe/stripe-sandbox.ts';
import { chromiumAvailable, launchBrowser, screenshot, screenshotDir } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

let server: RunningServer;
let stripe: StripeSandbox;
let browser: Browser;

const shot = async (page: Page, name: string) => {
  await screenshot(page, name);
  // Also kept with the other engineers' review shots when that folder exists on this machine.
  try {
    mkdirSync('/work/tmp/shots/billing', { recursive: true });
    copyFileSync(join(screenshotDir, `${name}.png`), `/work/tmp/shots/billing/${name}.png`);
  } catch {
    /* not on the shared machine */
  }
};

describe.skipIf(!chromiumAvailable)('billing in the web app', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    let webhookUrl = '';
    const secret = 'whsec_e2e_billing_0123456789';
    stripe = await startStripeSandbox({ webhook: { get url() { return webhookUrl; }, secret } });
    process.env.STRIPE_SECRET_KEY = 'sk_test_e2e';
    process.env.STRIPE_WEBHOOK_SECRET = secret;
    process.env.STRIPE_API_URL = stripe.url;
    server = await startTestServer();
    webhookUrl = `http://127.0.0.1:${server.port}/api/v1/billing/stripe-webhook`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stripe?.close();
    delete process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    delete process.env.STRIPE_API_URL;
  });

  it('an admin upgrades through the stand-in\'s checkout and sees Pro', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/app/settings/billing`);
    await page.getByLabel('Email').waitFor({ timeout: 45_000 });
    await page.getByLabel('Email').fill(demoCredentials.admin);
    await page.getByLabel('Password').fill(demoCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Billing' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText(/Trial: 14 days left/).count()).toBe(1);
    await shot(page, 'billing-trial');

    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await page.waitForURL(/\/checkout\//);
    await page.getByRole('heading', { name: /Subscribe to Inbox CRM Pro/ }).waitFor();
    await shot(page, 'billing-checkout');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/app\/settings\/billing\?checkout=done/);

    // The plan changes when Stripe's webhooks have arrived (a moment after the redirect).
    await expect.poll(async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Billing' }).waitFor();
      return page.getByText('Your plan', { exact: true }).count();
    }, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByText(/Trial:/).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Switch to Starter' }).count()).toBe(1);
    expect(await page.getByText(/used · 6 paid/).count()).toBe(1);
    await shot(page, 'billing-pro');
    await context.close();
  });
});
