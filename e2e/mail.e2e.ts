// Mail as a newcomer's server keeps it (no SMTP_URL: in the data folder, shown at /dev/mail): a
// person who forgot their password resets it from the mailed link and signs in; an invitee joins
// through the mailed invitation; members and admins set who hears of what.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { apiAs } from './support/api.ts';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
const shots = process.env.MAIL_SHOTS_DIR;

async function shot(page: Page, name: string) {
  await screenshot(page, name);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/${name}.png` });
  }
}

async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  return { context, page: await context.newPage() };
}

/** The link in the newest mail to `to` whose subject matches, read as a person would: /dev/mail, then its text. */
async function linkFromMail(page: Page, to: string, subject: RegExp, link: RegExp): Promise<string> {
  const row = page.locator('tr', { hasText: to }).filter({ hasText: subject }).first();
  // The mail worker sends within a couple of seconds: look again until it is there.
  await expect
    .poll(async () => {
      await page.goto(`${server.url}/dev/mail`);
      return row.count();
    }, { timeout: 30_000, interval: 1000 })
    .toBeGreaterThan(0);
  await shot(page, 'mail-01-dev-mail');
  await row.getByRole('link', { name: 'text' }).click();
  const text = await page.locator('body').innerText();
  const found = text.match(link)?.[0];
  if (!found) throw new Error(`No link like ${link} in:\n${text}`);
  return found;
}

describe.skipIf(!chromiumAvailable)('mail in the browser', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a person who forgot their password resets it from the mailed link and signs in', async () => {
    const { context, page } = await fresh();
    await page.goto(`${server.url}/app/`);
    await page.getByRole('link', { name: 'Forgot password?' }).click({ timeout: 45_000 });
    await page.getByLabel('Email').fill(demoCredentials.manager);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await shot(page, 'mail-02-forgot-sent');

    const link = await linkFromMail(page, demoCredentials.manager, /Reset your Inbox CRM password/, /http:\/\/localhost:\d+\/app\/reset-password\?token=\S+/);
    await page.goto(link);
    await page.getByLabel('New password').fill('a-new-manager-password');
    await page.getByLabel('The same again').fill('a-new-manager-password');
    await shot(page, 'mail-03-reset-form');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(demoCredentials.manager);
    await page.getByLabel('Password').fill('a-new-manager-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    // The old password no longer works.
    const old = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demoCredentials.manager, password: demoCredentials.password }) });
    expect(old.status).toBe(401);

    // Their own notification choices, in settings.
    await page.goto(`${server.url}/app/settings/notifications`);
    const digestByEmail = page.getByLabel(/Weekly digest .*: Email/);
    await digestByEmail.waitFor();
    expect(await digestByEmail.isChecked()).toBe(true);
    // The box follows what the server saved: it clears once the change is stored.
    await digestByEmail.click();
    await expect.poll(() => digestByEmail.isChecked()).toBe(false);
    await expect.poll(async () => {
      const prefs = await (await apiAs(server.url, demoCredentials.manager, 'a-new-manager-password'))('/notification-preferences');
      return prefs.kinds.find((k: { kind: string }) => k.kind === 'weekly_digest').channels.find((c: { channel: string }) => c.channel === 'email').enabled;
    }).toBe(false);
    await shot(page, 'mail-04-my-notifications');
    await context.close();
  });

  it('an invitee joins through the mailed invitation; the admin sets the defaults', async () => {
    const asAdmin = await apiAs(server.url, demoCredentials.admin);
    await asAdmin('/invitations', { method: 'POST', body: JSON.stringify({ email: 'new.hire@demo.test', role: 'rep' }) });
    const { context, page } = await fresh();
    const link = await linkFromMail(page, 'new.hire@demo.test', /invited you to/, /http:\/\/localhost:\d+\/invite\?token=\S+/);
    await page.goto(link);
    await page.getByLabel('Your name').fill('Noor Hire');
    await page.getByLabel('Choose a password').fill('noor-password-1');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const members = await asAdmin<{ data: { email: string; role: string }[] }>('/members');
    expect(members.data.find((m) => m.email === 'new.hire@demo.test')?.role).toBe('rep');
    await context.close();

    const admin = await fresh();
    await admin.page.goto(`${server.url}/app/`);
    await admin.page.getByLabel('Email').fill(demoCredentials.admin, { timeout: 45_000 });
    await admin.page.getByLabel('Password').fill(demoCredentials.password);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByRole('navigation', { name: 'Main' }).waitFor();
    await admin.page.goto(`${server.url}/app/settings/notification-defaults`);
    const slack = admin.page.getByLabel(/entered high risk: Slack/);
    await slack.waitFor();
    await shot(admin.page, 'mail-05-notification-defaults');
    await admin.context.close();
  });
});
