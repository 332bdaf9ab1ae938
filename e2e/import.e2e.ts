// CSV import in the web app: a new organization's admin uploads a Pipedrive-style people export,
// sees the detected mapping and the preview (a bad email rejected with its reason, a formula
// neutralised), changes a column, runs a dry run, imports in the background, downloads nothing
// but sees the counts, and undoes the import. Screenshots of each step.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { chromiumAvailable, launchBrowser, screenshot, screenshotDir } from './support/browser.ts';
import { startTestServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;

const shot = async (page: Page, name: string) => {
  await screenshot(page, name);
  try {
    mkdirSync('/work/tmp/shots', { recursive: true });
    copyFileSync(join(screenshotDir, `${name}.png`), `/work/tmp/shots/h2-${name}.png`);
  } catch {
    /* not on the shared machine */
  }
};

describe.skipIf(!chromiumAvailable)('CSV import in the web app', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('uploads, maps, previews, dry-runs, imports and undoes', async () => {
    const file = join(tmpdir(), `people-${Date.now()}.csv`);
    writeFileSync(
      file,
      [
        'Person - Name,Person - Email,Person - Organization,Person - Job title,Notes',
        'Ada Lovelace,ada@engines.test,Analytical Engines,Countess,met at conf',
        'Grace Hopper,grace@navy.test,US Navy,"=HYPERLINK(""http://evil.test"",""x"")",',
        'No Email,not-an-email,Nowhere,,',
      ].join('\n'),
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/app/sign-up`);
    await page.getByLabel('Your name').waitFor({ timeout: 45_000 });
    await page.getByLabel('Your name').fill('Imogen Porter');
    await page.getByLabel('Work email').fill(`imogen.${Date.now()}@porter.test`);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByLabel('Organization name').fill('Porter Imports');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/app\/welcome/, { timeout: 30_000 });

    await page.goto(`${server.url}/app/import`);
    await page.getByRole('heading', { name: 'Import from CSV' }).waitFor({ timeout: 30_000 });
    await page.locator('input[type=file]').setInputFiles(file);
    await shot(page, 'import-1-upload');
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { name: '2. Columns' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByLabel('Field for Person - Email').inputValue()).toBe('email');
    expect(await page.getByLabel('Field for Person - Name').inputValue()).toBe('fullName');
    expect(await page.getByLabel('Field for Notes').inputValue()).toBe('');
    await page.getByText('email: "not-an-email" is not an email address').waitFor();
    await page.getByText(`title: '=HYPERLINK`, { exact: false }).waitFor();
    await shot(page, 'import-2-mapping-preview');

    // Leave the title out, then a dry run.
    await page.getByLabel('Field for Person - Job title').selectOption('');
    await expect.poll(() => page.getByLabel('Field for Person - Job title').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText('The dry run found:').waitFor({ timeout: 60_000 });
    await page.getByText('The dry run found:').scrollIntoViewIfNeeded();
    await shot(page, 'import-3-dry-run');

    await page.getByRole('button', { name: /^Import 3 rows/ }).click();
    await page.getByRole('button', { name: 'Undo import' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.import-counts').innerText()).toMatch(/2 created, 0 updated, 0 skipped, 1 rejected/);
    await page.locator('.import-counts').scrollIntoViewIfNeeded();
    await shot(page, 'import-4-done');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Undo import' }).click();
    await page.getByText('Undone. The import had:').waitFor({ timeout: 30_000 });
    await shot(page, 'import-5-undone');
    await context.close();
  });
});
