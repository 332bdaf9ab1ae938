// The Outlook add-in's real pages in Chromium, with a stand-in office.js served at Microsoft's CDN
// address (e2e/support/office-stand-in.ts: the fake Office the unit tests use): sign in in the task
// pane, the right contact and deals for a message, switching messages through ItemChanged, each
// message logged once, and the on-send handler (launchevent.html) tracking a message end to end
// against the API. Also: the pane opened outside Outlook says so. Checked through the API.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCredentials } from '../db/demo-data.ts';
import type { FakeDraft, FakeMessage } from '../outlook-addin/office/fake-office.ts';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.ts';
import { apiAs } from './support/api.ts';
import { officeJsUrl, officeStandIn } from './support/office-stand-in.ts';
import { startTestServer } from './support/server.ts';
import type { RunningServer } from '../api/start.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: Awaited<ReturnType<typeof apiAs>>;
/** Checks as the manager: the rep's own rate limit is the pane's to use. */
let manager: Awaited<ReturnType<typeof apiAs>>;

interface Person {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}
let people: Person[] = [];
let messages: FakeMessage[] = [];

const run = Date.now().toString(36);

/** A page of the add-in with the stand-in office.js and this fixture. */
async function addinPage(path: string, fixture: { userEmail: string; initial?: FakeMessage | null; compose?: FakeDraft; sets?: string[] }) {
  const p = await context.newPage();
  p.on('pageerror', (e) => console.log(`[${path}] pageerror: ${e.stack}`));
  await p.addInitScript((f) => void ((window as unknown as { __officeFixture: unknown }).__officeFixture = f), fixture);
  await p.goto(`${server.url}/outlook/${path}`);
  return p;
}

const paneText = () => page.getByTestId('outlook-pane').innerText();
const select = (m: FakeMessage | null) => page.evaluate((msg) => (window as unknown as { fakeOffice: { select(m: unknown): void } }).fakeOffice.select(msg), m);

async function loggedCount(contact: Person, messageId: string): Promise<number> {
  const emails = (await manager(`/activities?type=email&contactId=${contact.id}&limit=200`)).data as { messageId: string }[];
  return emails.filter((e) => e.messageId === messageId).length;
}

describe.skipIf(!chromiumAvailable)('Outlook add-in', () => {
  beforeAll(async () => {
    server = await startTestServer();
    api = await apiAs(server.url);
    manager = await apiAs(server.url, demoCredentials.manager);
    browser = await launchBrowser();
    // Outlook's task pane is a narrow column.
    context = await browser.newContext({ viewport: { width: 380, height: 860 } });
    const script = await officeStandIn();
    await context.route(officeJsUrl, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: script }));
    // Two of the rep's contacts with deals, as the senders of two messages.
    const deals = (await api('/deals?limit=100')).data as { contactIds: string[] }[];
    const ids = [...new Set(deals.flatMap((d) => d.contactIds))].slice(0, 2);
    people = await Promise.all(ids.map((id) => api<Person>(`/contacts/${id}`)));
    messages = people.map((p, i) => ({
      itemId: `AAMkAD-e2e-${i}`,
      internetMessageId: `<e2e-${run}-${i}@mail.${p.email.split('@')[1]}>`,
      conversationId: `AAQkAD-e2e-${run}-${i}`,
      subject: i === 0 ? 'Pricing for next year' : 'Question about the rollout',
      from: { name: `${p.firstName} ${p.lastName}`, email: p.email },
      to: [{ name: 'Riley Park', email: demoCredentials.rep }],
      date: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
      headers: `Message-ID: <e2e-${run}-${i}@x>\r\n`,
      bodyText: 'Could you send the revised quote?',
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says what it is when opened outside Outlook, instead of a blank page', async () => {
    const outside = await browser.newPage({ viewport: { width: 380, height: 600 } });
    // Office's real script outside Office: onReady answers with no host.
    await outside.route(officeJsUrl, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.Office = { HostType: { Outlook: "Outlook" }, onReady: function () { return Promise.resolve({ host: null, platform: null }); } };' }),
    );
    await outside.goto(`${server.url}/outlook/`);
    await outside.getByTestId('outside-outlook').waitFor();
    expect(await outside.getByTestId('outside-outlook').innerText()).toContain('Open it from the Inbox CRM button in Outlook');
    // This test API's PUBLIC_URL is http, as in development: the page gives the API's reason the
    // manifest cannot be had, and where to read about certificates, instead of a link that fails.
    const problem = await outside.getByTestId('manifest-problem').innerText();
    expect(problem).toContain('Outlook loads add-ins only over https');
    expect(problem).toMatch(/PUBLIC_URL is http:\/\/localhost:\d+\./);
    expect(problem).toContain('outlook-addin/README.md');
    expect(await outside.getByRole('link', { name: /manifest\.xml/ }).count()).toBe(0);
    await screenshot(outside, 'outlook-01-outside-outlook');
    await outside.close();
  });

  it('signs in inside the pane and shows the right contact and deals for the selected message', async () => {
    page = await addinPage('taskpane.html', { userEmail: demoCredentials.rep, initial: messages[0]! });
    await page.getByTestId('sign-in').waitFor();
    await screenshot(page, 'outlook-02-sign-in');
    await page.getByLabel('Email').fill(demoCredentials.rep);
    await page.getByLabel('Password').fill(demoCredentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const [ann] = people;
    await expect.poll(paneText, { timeout: 15_000 }).toContain(`${ann!.firstName} ${ann!.lastName}`);
    const context = await api(`/context?emails=${encodeURIComponent(ann!.email)}`);
    await expect.poll(paneText, { timeout: 10_000 }).toContain(context.deals[0].name);
    const text = await paneText();
    for (const deal of context.deals) expect(text).toContain(deal.name);
    // The token is in the add-in origin's storage, not a cookie.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('inbox-crm:') && k.endsWith(':session')))).toBe(true);
    await screenshot(page, 'outlook-03-contact');
  });

  it('follows the selection (ItemChanged), shows an empty state, and logs each message once', async () => {
    const [a, b] = people;
    await expect.poll(() => loggedCount(a!, messages[0]!.internetMessageId!), { timeout: 15_000, interval: 1000 }).toBe(1);
    await select(messages[1]!);
    await expect.poll(paneText, { timeout: 10_000 }).toContain(`${b!.firstName} ${b!.lastName}`);
    await expect.poll(() => loggedCount(b!, messages[1]!.internetMessageId!), { timeout: 15_000, interval: 1000 }).toBe(1);
    await select(null);
    await page.getByTestId('pane-empty').waitFor();
    expect(await page.getByTestId('pane-empty').innerText()).toContain('No message selected');
    await screenshot(page, 'outlook-04-nothing-selected');
    await select(messages[0]!);
    await expect.poll(paneText, { timeout: 10_000 }).toContain(`${a!.firstName} ${a!.lastName}`);
    await select(messages[1]!);
    await expect.poll(paneText, { timeout: 10_000 }).toContain(`${b!.firstName} ${b!.lastName}`);
    await page.waitForTimeout(1500);
    expect(await loggedCount(a!, messages[0]!.internetMessageId!)).toBe(1);
    expect(await loggedCount(b!, messages[1]!.internetMessageId!)).toBe(1);
  });

  it('shows the self-test', async () => {
    await page.getByRole('button', { name: 'Self-test' }).click();
    const panel = page.getByTestId('self-test');
    await expect.poll(() => panel.innerText(), { timeout: 10_000 }).toContain(`${server.url} answered`);
    const text = await panel.innerText();
    expect(text).toContain(`as ${demoCredentials.rep}`);
    expect(text).toContain('Mailbox 1.12: supported');
    await screenshot(page, 'outlook-05-self-test');
    await page.getByRole('button', { name: 'Self-test' }).click();
  });

  it('the compose pane keeps the tracking switch for the send check', async () => {
    const [a] = people;
    const compose = await addinPage('compose.html', { userEmail: demoCredentials.rep, compose: { to: [a!.email], subject: 'Hello', bodyHtml: '<p>Hi</p>' } });
    const toggle = compose.getByTestId('track-toggle');
    await toggle.waitFor();
    const kept = () => compose.evaluate(() => (window as unknown as { fakeOffice: { sessionData: Map<string, string> } }).fakeOffice.sessionData.get('inbox-crm.tracking') ?? null);
    // Once the rep's default is known, the pane keeps it as this email's choice; the switch shows it.
    await expect.poll(kept, { timeout: 10_000 }).not.toBeNull();
    const before = await kept();
    expect(await toggle.isChecked()).toBe(before === 'on');
    await toggle.click();
    await expect.poll(kept).toBe(before === 'on' ? 'off' : 'on');
    await screenshot(compose, 'outlook-06-compose-pane');
    await compose.close();
  });

  it('tracks a message on send: registered, body decorated, the send allowed', async () => {
    const [a] = people;
    const subject = `Proposal ${run}`;
    const body = '<p>Hi, here is <a href="https://example.com/pricing">our pricing</a>.</p>';
    const events = await addinPage('launchevent.html', { userEmail: demoCredentials.rep, compose: { to: [a!.email], subject, bodyHtml: body, conversationId: `AAQkAD-send-${run}` } });
    await events.waitForFunction(() => (window as unknown as { fakeOfficeActions?: Map<string, unknown> }).fakeOfficeActions?.has('onMessageSendHandler'));
    const result = await events.evaluate(async () => {
      const w = window as unknown as {
        fakeOffice: { sessionData: Map<string, string>; send(h: (e: unknown) => unknown): Promise<{ allowEvent?: boolean; body: string; completions: number }> };
        fakeOfficeActions: Map<string, (e: unknown) => unknown>;
      };
      w.fakeOffice.sessionData.set('inbox-crm.tracking', 'on'); // the rep's choice from the compose pane
      return w.fakeOffice.send((e) => w.fakeOfficeActions.get('onMessageSendHandler')!(e));
    });
    expect(result.allowEvent).toBe(true);
    expect(result.completions).toBe(1);
    expect(result.body).toMatch(new RegExp(`<img[^>]+src="${server.url}/o/[^"]+\\.gif"`));
    expect(result.body).toMatch(new RegExp(`href="${server.url}/c/[^"]+"`));
    const tracked = (await manager('/tracking/messages')).data as { id: string; subject: string; messageId: string | null }[];
    const mine = tracked.find((m) => m.subject === subject);
    expect(mine?.messageId).toBe(`outlook-sent:${mine?.id}`);
    await events.close();

    // The rep then looks at the Sent copy in the pinned pane: its signed pixel ties the tracked
    // message to the copy's Message-ID (Outlook had none while composing).
    const sentCopy: FakeMessage = {
      itemId: `AAMkAD-sent-${run}`,
      internetMessageId: `<SN6PR-${run}@namprd11.prod.outlook.com>`,
      conversationId: `AAQkAD-send-${run}`,
      subject,
      from: { name: 'Riley Park', email: demoCredentials.rep },
      to: [{ name: `${a!.firstName} ${a!.lastName}`, email: a!.email }],
      date: new Date().toISOString(),
      headers: '', // Outlook answers "" for the sender's own copy
      bodyHtml: result.body,
      bodyText: 'Hi, here is our pricing.',
    };
    await select(sentCopy);
    await expect
      .poll(async () => ((await manager(`/tracking/messages?messageIds=${encodeURIComponent(sentCopy.internetMessageId!)}`)).data as { id: string }[]).map((m) => m.id), { timeout: 10_000, interval: 500 })
      .toEqual([mine!.id]);
  });

  it('lets a send go untracked when the CRM fails, and the pinned pane tells the rep', async () => {
    const [a] = people;
    const body = '<p>Quick follow-up on the quote.</p>';
    const events = await addinPage('launchevent.html', { userEmail: demoCredentials.rep, compose: { to: [a!.email], subject: `Follow-up ${run}`, bodyHtml: body } });
    // Registering the message fails (the API at the network edge).
    await events.route(`${server.url}/api/v1/tracking/messages`, (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"UNAVAILABLE","message":"down for maintenance"}}' }) : route.fallback()));
    await events.waitForFunction(() => (window as unknown as { fakeOfficeActions?: Map<string, unknown> }).fakeOfficeActions?.has('onMessageSendHandler'));
    // Also under their global names, where clients from before Office.actions.associate look.
    expect(await events.evaluate(() => [typeof (window as unknown as Record<string, unknown>).onMessageSendHandler, typeof (window as unknown as Record<string, unknown>).toggleTracking])).toEqual(['function', 'function']);
    const result = await events.evaluate(async () => {
      const w = window as unknown as {
        fakeOffice: { sessionData: Map<string, string>; send(h: (e: unknown) => unknown): Promise<{ allowEvent?: boolean; body: string; completions: number }> };
        fakeOfficeActions: Map<string, (e: unknown) => unknown>;
      };
      w.fakeOffice.sessionData.set('inbox-crm.tracking', 'on');
      return w.fakeOffice.send((e) => w.fakeOfficeActions.get('onMessageSendHandler')!(e));
    });
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
    await events.close();
    // The pane (still open beside the mail, same origin) says so at its top until dismissed.
    const banner = page.getByTestId('untracked-send');
    await banner.waitFor({ timeout: 5000 });
    expect(await banner.innerText()).toContain(`“Follow-up ${run}”`);
    expect(await banner.innerText()).toContain('Sent without tracking');
    await screenshot(page, 'outlook-07-untracked-send');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
  });
});
