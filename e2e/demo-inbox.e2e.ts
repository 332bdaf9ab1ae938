// The demo inbox as a newcomer uses it: sign in, open threads, act from the sidebar. Every change
// is checked through the API, not just on screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.ts';
import { apiAs } from './support/api.ts';
import { startTestServer } from './support/server.ts';
import type { RunningServer } from '../api/start.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof apiAs>>;

const sidebar = () => page.getByTestId('demo-sidebar');
const openThread = async (selector: string) => {
  await page.locator(`[data-testid=thread-row]${selector}`).first().click();
  await page.getByTestId('open-thread').waitFor();
};

describe.skipIf(!chromiumAvailable)('demo inbox', () => {
  beforeAll(async () => {
    server = await startTestServer();
    api = await apiAs(server.url);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/demo/inbox/`);
    await screenshot(page, 'e2e-01-signed-out');
    await page.getByTestId('sign-in-submit').click();
    await page.locator('[data-testid=demo-inbox][data-state=ready]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opening a thread shows the right contact, company and deal', async () => {
    await openThread('[data-thread-id^="demo-proposal"]');
    const email = await page.locator('[data-testid=thread-row][data-thread-id^="demo-proposal"]').first().getAttribute('data-contact-email');
    const context = await api(`/context?emails=${email}`);
    const contact = context.contacts[0];
    await expect.poll(() => sidebar().innerText()).toContain(`${contact.firstName} ${contact.lastName}`);
    const text = await sidebar().innerText();
    expect(text).toContain(context.companies[0].name);
    for (const deal of context.deals) expect(text).toContain(deal.name);
    await screenshot(page, 'e2e-02-known-contact');
  });

  it('logs each message once, even when the thread is opened twice', async () => {
    const row = page.locator('[data-testid=thread-row][data-thread-id^="demo-proposal"]').first();
    const messageIds = await page.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')!));
    expect(messageIds.length).toBeGreaterThanOrEqual(2);
    const contactEmail = (await row.getAttribute('data-contact-email'))!;
    const contact = (await api(`/contacts?email=${encodeURIComponent(contactEmail)}`)).data[0];
    const logged = async () => {
      const emails = (await api(`/activities?type=email&contactId=${contact.id}&limit=200`)).data as { messageId: string }[];
      return messageIds.map((id) => emails.filter((e) => e.messageId === id).length);
    };
    await expect.poll(logged, { timeout: 15_000 }).toEqual(messageIds.map(() => 1));
    await page.getByTestId('close-thread').click();
    await openThread('[data-thread-id^="demo-proposal"]');
    await page.reload();
    await page.locator('[data-testid=demo-inbox][data-state=ready]').waitFor();
    await openThread('[data-thread-id^="demo-proposal"]');
    await page.waitForTimeout(1500);
    expect(await logged()).toEqual(messageIds.map(() => 1));
  });

  it('creates a contact for an unknown sender in one click, and it persists', async () => {
    await openThread('[data-thread-kind=unknown-company]');
    const senders = await page.getByTestId('message').first().innerText();
    await screenshot(page, 'e2e-03-unknown-sender');
    await sidebar().getByRole('button', { name: /^Add .* as a contact/ }).first().click();
    await expect.poll(async () => (await api('/contacts?q=dana%20whitfield')).data.length, { timeout: 15_000 }).toBe(1);
    const created = (await api('/contacts?q=dana%20whitfield')).data[0];
    expect(senders).toContain(created.email);
    expect(created.companyId).not.toBeNull(); // a new company from the email domain
    await expect.poll(() => sidebar().innerText()).toContain('Dana');
    await screenshot(page, 'e2e-04-contact-created');
  });

  it('moves a deal to another stage and adds a follow-up task, both persisted', async () => {
    await openThread('[data-thread-id^="demo-proposal"]');
    const email = await page.locator('[data-testid=thread-row][data-thread-id^="demo-proposal"]').first().getAttribute('data-contact-email');
    const before = await api(`/context?emails=${email}`);
    const deal = before.deals[0];
    const pipelines = await api('/pipelines');
    const stages = pipelines.data.find((p: { id: string }) => p.id === deal.pipelineId).stages as { id: string; name: string; isWon: boolean; isLost: boolean }[];
    const target = stages.find((s) => s.id !== deal.stage && !s.isWon && !s.isLost)!;
    const card = sidebar().getByRole('article', { name: `Deal ${deal.name}` });
    await card.getByLabel('Stage').selectOption({ label: target.name });
    await card.getByRole('button', { name: 'Move' }).click();
    await expect.poll(async () => (await api(`/deals/${deal.id}`)).stage, { timeout: 15_000 }).toBe(target.id);
    const history = await api(`/deals/${deal.id}/history`);
    expect(history.data.at(-1)).toMatchObject({ fromStage: deal.stage, toStage: target.id });

    const taskForm = sidebar().getByRole('form', { name: 'Add a follow-up task' });
    await taskForm.getByRole('textbox').first().fill('Send the signed order form');
    await taskForm.getByRole('button', { name: 'Add task' }).click();
    await expect
      .poll(async () => (await api(`/context?emails=${email}`)).tasks.map((t: { subject: string }) => t.subject), { timeout: 15_000 })
      .toContain('Send the signed order form');
    await screenshot(page, 'e2e-05-after-actions');
  });
});
