// Launching Debian's chromium through playwright-core (no browser download here). Flags keep it
// from reaching for Google's services on a machine without internet.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);

const baseArgs = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// The test-only build, which may reach a local API without Chrome's permission prompt
// (headless Chromium cannot answer it): `INBOX_CRM_E2E=1 npm run build:ext`.
export const extensionDir = resolve('dist/extension-e2e/chrome-mv3');
export const screenshotDir = resolve('e2e/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: baseArgs });
}

/** A persistent context with the unpacked extension loaded (extensions need one). */
export async function launchWithExtension(): Promise<{ context: BrowserContext; extensionId: string }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'crm-chromium-')), {
    executablePath: chromiumPath,
    headless: true,
    args: [...baseArgs, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId };
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}
