// Workflows in the web app: the demo admin builds "deal moves to Proposal → task 'Send proposal'
// due in 2 days" in Settings → Workflows, saves and activates it; the rep moves a deal to Proposal
// (through the API, as the sidebar does); the task appears on the deal, made by the workflow, and
// the run log in the web app shows the completed run and its step.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { apiAs } from './support/api.ts';
import { chromiumAvailable, launchBrowser, screenshot, screenshotDir } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;

const shot = async (page: Page, name: string) => {
  await screenshot(page, name);
  try {
    mkdirSync('/work/tmp/shots', { recursive: true });
    copyFileSync(join(screenshotDir, `${name}.png`), `/work/tmp/shots/${name}.png`);
  } catch {
    /* not on the shared machine */
  }
};

describe.skipIf(!chromiumAvailable)('workflows in the web app', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('builds “deal moves to Proposal → task ‘Send proposal’ due in 2 days”; a stage move makes the task and the run log shows it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/app/settings/workflows`);
    await page.getByLabel('Email').waitFor({ timeout: 45_000 });
    await page.getByLabel('Email').fill(demoCredentials.admin);
    await page.getByLabel('Password').fill(demoCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByLabel('Workflow name').fill('Proposal follow-up');
    await page.getByLabel('Trigger').selectOption('deal.stage_changed');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    const condition = page.getByRole('group', { name: 'Condition 1' });
    await condition.getByLabel('Field').selectOption('stageName');
    await condition.getByLabel('Operator').selectOption('eq');
    await condition.getByLabel('Value').fill('Proposal');
    const action = page.getByRole('group', { name: 'Action 1' });
    await action.getByLabel('Task subject').fill('Send proposal');
    await action.getByLabel('Due in days').fill('2');
    await expect.poll(() => page.getByLabel('The whole flow').innerText()).toContain('Create the task “Send proposal” due in 2 days for the owner');
    await shot(page, 'h6-workflow-builder');
    await page.getByRole('button', { name: 'Save and activate' }).click();
    await page.getByText('active', { exact: true }).waitFor({ timeout: 15_000 });

    // The rep moves one of their open deals to Proposal, as the sidebar does.
    const rep = await apiAs(server.url);
    const pipelines = await rep<{ data: { stages: { id: string; name: string }[] }[] }>('/pipelines');
    const proposal = pipelines.data[0]!.stages.find((s) => s.name === 'Proposal')!;
    const deals = await rep<{ data: { id: string; stage: string; outcome: string | null }[] }>('/deals?status=open&limit=50');
    const deal = deals.data.find((d) => d.stage !== proposal.id)!;
    await rep(`/deals/${deal.id}`, { method: 'PATCH', body: JSON.stringify({ stage: proposal.id }) });
    await expect
      .poll(async () => (await rep<{ data: { subject: string; dueAt: string }[] }>(`/tasks?dealId=${deal.id}`)).data.map((t) => t.subject), { timeout: 30_000, interval: 500 })
      .toContain('Send proposal');

    await page.getByRole('button', { name: 'Run log' }).click();
    const runs = page.getByRole('table', { name: 'Runs of Proposal follow-up' });
    await runs.getByText('completed').waitFor({ timeout: 20_000 });
    await runs.getByRole('button').first().click();
    await page.getByText(/Step 1 create_task, attempt 1: completed/).waitFor({ timeout: 10_000 });
    await shot(page, 'h6-workflow-run-log');
    await context.close();
  });
});
