// The web app's reports and admin settings against the real server on a fresh database with the
// demo organization: (c) an admin invites a member, who accepts through the link and signs in with
// the role given; (f) a report's CSV holds the numbers of its chart's table and of the API, with the
// URL's filters applied; and axe-core finds nothing serious or critical on the reports and on every
// settings section.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { apiAs } from './support/api.ts';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;
let asAdmin: Awaited<ReturnType<typeof apiAs>>;

async function newPage(viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  // The app's CSP allows no inline script; axe is injected as one.
  const context = await browser.newContext({ viewport, bypassCSP: true, acceptDownloads: true });
  // Fail on the step that went wrong, well within the test's own time.
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, email: string, password = demoCredentials.password) {
  await page.goto(`${server.url}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

/** The CSV a report card downloads, parsed into rows of cells. */
async function downloadCsv(page: Page, card: ReturnType<Page['locator']>): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /as CSV$/ }).click()]);
  return parse(readFileSync((await download.path())!, 'utf8')) as string[][];
}

describe.skipIf(!chromiumAvailable)('reports and admin settings at /app/', () => {
  beforeAll(async () => {
    server = await startTestServer();
    asAdmin = await apiAs(server.url, demoCredentials.admin);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('(c) an admin invites a member, who accepts through the link and signs in with the role given', async () => {
    const { context: adminContext, page } = await newPage();
    await signIn(page, demoCredentials.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Invitations' }).click();
    await page.getByLabel('Email address').fill('new.manager@demo.test');
    await page.getByLabel('Role', { exact: true }).selectOption('manager');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = await page.getByLabel('Invitation link for new.manager@demo.test').inputValue();
    expect(link).toMatch(/\/invite\?token=/);
    await expect.poll(() => page.getByRole('row', { name: /new\.manager@demo\.test/ }).innerText()).toMatch(/Manager[\s\S]*Open/);
    await adminContext.close();

    // The invitee, in a browser of their own, follows the link.
    const { context, page: invitee } = await newPage();
    await invitee.goto(link);
    await invitee.getByLabel('Your name').fill('Nia Manager');
    await invitee.getByLabel('Choose a password').fill('a-good-password');
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    const me = invitee.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => me.innerText(), { timeout: 10_000 }).toMatch(/Nia Manager\s*Manager/);
    await invitee.getByRole('button', { name: 'Sign out' }).click();
    await invitee.getByLabel('Email').waitFor();
    await context.close();

    // Later, they sign in with their own password and have the role they were given.
    const { context: again, page: back } = await newPage();
    await signIn(back, 'new.manager@demo.test', 'a-good-password');
    expect(await back.getByRole('navigation', { name: 'Main' }).innerText()).toMatch(/Nia Manager\s*Manager/);
    const members = (await asAdmin<{ data: { email: string; role: string; name: string }[] }>('/members')).data;
    expect(members.find((m) => m.email === 'new.manager@demo.test')).toMatchObject({ role: 'manager', name: 'Nia Manager' });
    const invitations = (await asAdmin<{ data: { email: string; acceptedAt: string | null }[] }>('/invitations')).data;
    expect(invitations.find((i) => i.email === 'new.manager@demo.test')?.acceptedAt).not.toBeNull();
    await again.close();
  });

  it('(f) a report\'s CSV holds the numbers of its chart\'s table and of the API, with the URL\'s filters', async () => {
    const { context, page } = await newPage();
    await signIn(page, demoCredentials.admin);
    const rep = (await asAdmin<{ data: { userId: string; email: string }[] }>('/members')).data.find((m) => m.email === demoCredentials.rep)!;
    await page.goto(`${server.url}/app/reports?owner=${rep.userId}&from=2020-01-01`);
    const card = page.locator('[data-report="pipeline-by-stage"]');
    await card.locator('canvas').waitFor();
    await screenshot(page, 'dashboard-reports');
    const csv = await downloadCsv(page, card);
    expect(csv[0]).toEqual(['Stage', 'Open deals', 'Value (USD)', 'Weighted value (USD)']);

    // The API's own numbers for the same filters (the rep's open deals closing from 2020 on).
    const report = await asAdmin<{ rows: { stageName: string; deals: number; valueCents: number; weightedValueCents: number }[] }>(
      `/reports/pipeline-by-stage?ownerId=${rep.userId}&from=${encodeURIComponent('2020-01-01T00:00:00.000Z')}`,
    );
    expect(csv.slice(1).map((r) => [r[0], Number(r[1]), Number(r[2]), Number(r[3])])).toEqual(
      report.rows.map((r) => [r.stageName, r.deals, Math.round(r.valueCents) / 100, Math.round(r.weightedValueCents) / 100]),
    );
    expect(report.rows.some((r) => r.deals > 0)).toBe(true);
    // Filtered: the rep's numbers, not the organization's.
    const all = await asAdmin<{ total: { deals: number } }>('/reports/pipeline-by-stage');
    expect(csv.slice(1).reduce((n, r) => n + Number(r[1]), 0)).toBeLessThan(all.total.deals);

    // The same numbers as the chart's table shows them.
    await card.getByRole('button', { name: 'Table' }).click();
    const shown = await card.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));
    const dollars = (s: string) => Number(s.replace(/[$,]/g, ''));
    expect(shown.map((r) => [r[0], Number(r[1]), dollars(r[2]!), dollars(r[3]!)])).toEqual(
      csv.slice(1).map((r) => [r[0], Number(r[1]), Math.round(Number(r[2])), Math.round(Number(r[3]))]),
    );
    await context.close();
  });

  it('axe finds nothing serious or critical on the reports (chart and table) and on every settings section', async () => {
    const { context, page } = await newPage({ width: 1024, height: 768 });
    await signIn(page, demoCredentials.admin);
    await page.goto(`${server.url}/app/reports`);
    await page.locator('[data-report="forecast"] canvas').waitFor();
    await page.locator('[data-report="risk-backtest-bands"] canvas').waitFor();
    expect(await axeFindings(page)).toEqual([]);
    for (const card of await page.locator('[data-report]').all()) {
      const table = card.getByRole('button', { name: 'Table' });
      if (await table.count()) await table.click();
    }
    expect(await axeFindings(page)).toEqual([]);

    for (const section of ['members', 'invitations', 'teams', 'pipelines', 'risk', 'tracking', 'api-keys', 'audit-log', 'trash']) {
      await page.goto(`${server.url}/app/settings/${section}`);
      await page.locator('.settings-section h2').waitFor();
      await page.locator('.settings-section .skeleton-block').waitFor({ state: 'detached' });
      expect(await axeFindings(page), section).toEqual([]);
    }
    await screenshot(page, 'dashboard-settings-trash');
    await context.close();
    // Eleven pages, each loaded and checked by axe: over a minute on a busy CI machine.
  }, 180_000);
});
