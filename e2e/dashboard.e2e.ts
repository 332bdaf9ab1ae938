// The web app at /app/ as managers, reps and readonly members use it, against the real server on a
// fresh database with the demo organization. Each change made in the browser is checked through the
// API (with its stage history); each page gets an axe-core check (no serious or critical findings).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../api/start.ts';
import { demoCredentials } from '../db/demo-data.ts';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.ts';
import { apiAs } from './support/api.ts';
import { startTestServer } from './support/server.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;
let asManager: Awaited<ReturnType<typeof apiAs>>;

interface Stage { id: string; name: string; position: number; isWon: boolean; isLost: boolean }
interface Card { id: string; name: string; stage: string; ownerId: string | null; ownerName: string | null; outcome: string | null }
interface Board { pipeline: { id: string; stages: Stage[] }; deals: Card[] }

async function signedIn(email: string, viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  // The app's CSP allows no inline script; axe is injected as one.
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/app/`);
  // Generous: four engineers' test runs share this machine's two cores.
  await page.getByLabel('Email').waitFor({ timeout: 45_000 });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoCredentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return { context, page };
}

/** axe-core on the page as it is: the serious and critical findings, as readable lines. */
async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

const column = (page: Page, stageId: string) => page.locator(`section.column[data-stage-id="${stageId}"]`);
const card = (page: Page, dealId: string) => page.locator(`article.card[data-deal-id="${dealId}"]`);

/** The board's pipeline and every card on it (the board itself sends each column's first page only). */
async function boardOf(api: typeof asManager): Promise<Board> {
  const [board, cards] = await Promise.all([api<Pick<Board, 'pipeline'>>('/deals/board?perColumn=0'), api<Pick<Board, 'deals'>>('/deals/board/cards?limit=5000')]);
  return { pipeline: board.pipeline, deals: cards.deals };
}

describe.skipIf(!chromiumAvailable)('web app at /app/', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer();
    asManager = await apiAs(server.url, demoCredentials.manager);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('/ leads to /app/, which asks to sign in; the sign-in page passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/app/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await page.getByLabel('Email').fill(demoCredentials.manager);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/\w/);
    await screenshot(page, 'dashboard-01-sign-in-error');
    await context.close();
  });

  it('a manager drags a deal to another stage with the mouse, then another with the keyboard; the API has both moves with their history', async () => {
    const { context, page } = await signedIn(demoCredentials.manager);
    await page.goto(`${server.url}/app/board`);
    const board = await boardOf(asManager);
    const open = board.pipeline.stages.filter((s) => !s.isWon && !s.isLost).sort((a, b) => a.position - b.position);
    const [first, second, third] = open as [Stage, Stage, Stage];
    const inFirst = board.deals.filter((d) => d.stage === first.id && d.outcome === null);
    expect(inFirst.length).toBeGreaterThanOrEqual(2);
    const [byMouse, byKeyboard] = inFirst as [Card, Card];
    await card(page, byMouse.id).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'dashboard-02-board');

    // The mouse: press on the card, travel past the activation distance, drop on the second column.
    const from = (await card(page, byMouse.id).boundingBox())!;
    const to = (await column(page, second.id).locator('.column-head').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 12);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height - 8, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height + 60, { steps: 12 });
    // How long from the drop to the card painted in its new column (a figure for the note, not a test).
    await page.evaluate(({ dealId, stageId }) => {
      window.addEventListener('pointerup', () => {
        const start = performance.now();
        const check = () => {
          if (document.querySelector(`section.column[data-stage-id="${stageId}"] [data-deal-id="${dealId}"]`)) (window as unknown as { dropMs: number }).dropMs = performance.now() - start;
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }, { capture: true, once: true });
    }, { dealId: byMouse.id, stageId: second.id });
    await page.mouse.up();
    await column(page, second.id).locator(`[data-deal-id="${byMouse.id}"]`).waitFor({ timeout: 2000 });
    console.log(`board: drop → card painted in its new column in ${Math.round(await page.evaluate(() => (window as unknown as { dropMs: number }).dropMs))} ms`);
    await expect.poll(async () => (await asManager<{ stage: string }>(`/deals/${byMouse.id}`)).stage).toBe(second.id);
    const history = (await asManager<{ data: { fromStage: string | null; toStage: string }[] }>(`/deals/${byMouse.id}/history`)).data;
    expect(history.at(-1)).toMatchObject({ fromStage: first.id, toStage: second.id });

    // The keyboard alone: Tab to the card's handle, Space picks it up, → twice, Space drops.
    await card(page, byKeyboard.id).getByRole('button', { name: `Move ${byKeyboard.name}` }).focus();
    // At a person's pace: each arrow moves from where the card was painted after the one before.
    for (const key of ['Space', 'ArrowRight', 'ArrowRight', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150);
    }
    await column(page, third.id).locator(`[data-deal-id="${byKeyboard.id}"]`).waitFor({ timeout: 2000 });
    await expect.poll(async () => (await asManager<{ stage: string }>(`/deals/${byKeyboard.id}`)).stage).toBe(third.id);
    const keyboardHistory = (await asManager<{ data: { fromStage: string | null; toStage: string }[] }>(`/deals/${byKeyboard.id}/history`)).data;
    expect(keyboardHistory.at(-1)).toMatchObject({ fromStage: first.id, toStage: third.id });
    await screenshot(page, 'dashboard-03-board-after-moves');

    // The deal drawer (its URL names the deal), then the table view: both pass axe.
    await page.goto(`${server.url}/app/board?deal=${byKeyboard.id}`);
    await page.getByRole('dialog', { name: 'Deal' }).getByText('Stage history').waitFor();
    await expect.poll(() => page.getByRole('dialog', { name: 'Deal' }).innerText()).toContain(`${first.name} → ${third.name}`);
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'dashboard-04-deal-drawer');
    // Edit in place: the value, saved with Enter, is what the API then has.
    await page.getByRole('button', { name: /, edit value/ }).click();
    await page.getByRole('textbox', { name: 'Value' }).fill('77000');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await asManager<{ valueCents: number }>(`/deals/${byKeyboard.id}`)).valueCents).toBe(77000_00);
    await page.getByRole('dialog', { name: 'Deal' }).getByRole('button', { name: /^\$77,000\s*, edit value$/ }).waitFor();
    await page.goto(`${server.url}/app/board?view=table&col=value&dir=desc`);
    await page.locator('table.table tbody tr').first().waitFor();
    expect(await axeFindings(page)).toEqual([]);
    // Sorted by value, largest first, as the URL says; the CSV holds the same deals.
    const shown = await page.locator('table.table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-deal-id')!));
    const values = new Map((await boardOf(asManager)).deals.map((d) => [d.id, (d as unknown as { valueCents: number }).valueCents]));
    const shownValues = shown.map((id) => values.get(id)!);
    expect(shownValues).toEqual([...shownValues].sort((a, b) => b - a));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    for (const id of shown) expect(csv).toContain(id);
    await context.close();
  });

  it('a deal moved through the API (as the Gmail sidebar would) appears moved on an open board within 2 s', async () => {
    const { context, page } = await signedIn(demoCredentials.manager);
    await page.goto(`${server.url}/app/board`);
    await expect.poll(() => page.locator('.live-badge').getAttribute('class'), { timeout: 15_000 }).toContain('live-live');
    const board = await boardOf(asManager);
    const open = board.pipeline.stages.filter((s) => !s.isWon && !s.isLost).sort((a, b) => a.position - b.position);
    const asRep = await apiAs(server.url, demoCredentials.rep);
    const repBoard = await boardOf(asRep);
    const deal = repBoard.deals.find((d) => d.outcome === null && d.stage !== open.at(-1)!.id)!;
    const target = open.find((s) => s.id !== deal.stage)!;
    await card(page, deal.id).waitFor();
    const started = Date.now();
    await asRep(`/deals/${deal.id}`, { method: 'PATCH', body: JSON.stringify({ stage: target.id }) });
    await column(page, target.id).locator(`[data-deal-id="${deal.id}"]`).waitFor({ timeout: 2000 });
    console.log(`live: API write → card in its new column on another browser in ${Date.now() - started} ms`);

    // The deal's own page follows too.
    await page.goto(`${server.url}/app/deals/${deal.id}`);
    await page.getByText('Stage history').waitFor();
    await expect.poll(() => page.locator('.live-badge').getAttribute('class'), { timeout: 15_000 }).toContain('live-live');
    const pageStarted = Date.now();
    await asRep(`/deals/${deal.id}`, { method: 'PATCH', body: JSON.stringify({ valueCents: 123_456_00 }) });
    await page.getByText('$123,456').first().waitFor({ timeout: 2000 });
    console.log(`live: API write → deal page shows it in ${Date.now() - pageStarted} ms`);
    await context.close();
  });

  it('a rep sees only their own deals, all movable; readonly sees the team and can change nothing', async () => {
    const asRep = await apiAs(server.url, demoCredentials.rep);
    const me = await asRep<{ user: { id: string } }>('/me');
    const { context, page } = await signedIn(demoCredentials.rep);
    await page.goto(`${server.url}/app/board`);
    await page.locator('article.card').first().waitFor();
    const shown = await page.locator('article.card').evaluateAll((els) => els.map((e) => e.getAttribute('data-deal-id')!));
    const teamBoard = await boardOf(asManager);
    const owners = new Map(teamBoard.deals.map((d) => [d.id, d.ownerId]));
    expect(shown.length).toBeGreaterThan(0);
    for (const id of shown) expect(owners.get(id)).toBe(me.user.id);
    // Every deal of someone else stays off the rep's board, even when named in the URL.
    const others = teamBoard.deals.find((d) => d.ownerId !== me.user.id)!;
    await page.goto(`${server.url}/app/deals/${others.id}`);
    await page.getByRole('heading', { name: 'Deal not found' }).waitFor();
    expect(await page.locator(`[data-deal-id="${others.id}"] .card-handle`).count()).toBe(0);
    await page.goto(`${server.url}/app/`);
    await page.getByRole('region', { name: 'Tasks due today and overdue' }).waitFor();
    await page.getByRole('region', { name: 'Your deals at risk' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'dashboard-05-rep-home');
    await context.close();

    const readonly = await signedIn('readonly@demo.test');
    await readonly.page.goto(`${server.url}/app/board`);
    await readonly.page.locator('article.card').first().waitFor();
    expect(await readonly.page.locator('article.card').count()).toBeGreaterThan(shown.length);
    expect(await readonly.page.locator('.card-handle').count()).toBe(0);
    expect(await readonly.page.locator('.card-edit').count()).toBe(0);
    // The pointer cannot move it either: a drag from a card leaves it where it was, and the API agrees.
    const first = readonly.page.locator('article.card').first();
    const id = (await first.getAttribute('data-deal-id'))!;
    const before = (await asManager<{ stage: string }>(`/deals/${id}`)).stage;
    const box = (await first.boundingBox())!;
    await readonly.page.mouse.move(box.x + box.width / 2, box.y + box.height - 10);
    await readonly.page.mouse.down();
    await readonly.page.mouse.move(box.x + box.width * 1.6, box.y + 40, { steps: 10 });
    await readonly.page.mouse.up();
    await readonly.page.waitForTimeout(500);
    expect((await asManager<{ stage: string }>(`/deals/${id}`)).stage).toBe(before);
    await readonly.page.goto(`${server.url}/app/deals/${id}`);
    await readonly.page.getByText('Stage history').waitFor();
    expect(await readonly.page.getByRole('button', { name: /, edit / }).count()).toBe(0);
    expect(await readonly.page.getByRole('combobox', { name: 'Stage' }).count()).toBe(0);
    await readonly.context.close();
  });

  it("sign-up creates an organization; another organization's deal id in the URL shows \"not found\"; the organization switcher changes what is shown", async () => {
    // Sign up through the app: the new organization's admin lands on an empty home.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const signUp = await context.newPage();
    await signUp.goto(`${server.url}/app/sign-up`);
    await signUp.getByLabel('Your name').fill('Other Owner');
    await signUp.getByLabel('Work email').fill('owner@other-org.test');
    await signUp.getByLabel('Password').fill('other-password-1');
    await signUp.getByLabel('Organization name').fill('Other Org');
    expect(await axeFindings(signUp)).toEqual([]);
    await signUp.getByRole('button', { name: 'Create organization' }).click();
    await signUp.getByRole('navigation', { name: 'Main' }).getByText('Other Org').waitFor();
    await signUp.getByRole('navigation', { name: 'Main' }).getByText('Admin').waitFor();
    await signUp.getByRole('button', { name: 'Sign out' }).click();
    await signUp.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();

    const asStranger = await apiAs(server.url, 'owner@other-org.test', 'other-password-1');
    const theirs = await asStranger<{ id: string }>('/deals', { method: 'POST', body: JSON.stringify({ name: 'Their secret deal' }) });
    const { context: managerContext, page } = await signedIn(demoCredentials.manager);
    await page.goto(`${server.url}/app/deals/${theirs.id}`);
    await page.getByRole('heading', { name: 'Deal not found' }).waitFor();
    expect(await page.getByText('Their secret deal').count()).toBe(0);
    await page.goto(`${server.url}/app/board?deal=${theirs.id}`);
    await page.getByRole('dialog', { name: 'Deal' }).getByRole('heading', { name: 'Deal not found' }).waitFor();
    await screenshot(page, 'dashboard-06-not-found');

    // The manager joins the other organization too: the switcher appears, and switching shows its deals.
    const invitation = await asStranger<{ inviteUrl: string }>('/invitations', { method: 'POST', body: JSON.stringify({ email: demoCredentials.manager, role: 'manager' }) });
    const token = new URL(invitation.inviteUrl).searchParams.get('token')!;
    const accepted = await fetch(`${server.url}/api/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: demoCredentials.password }) });
    expect(accepted.status).toBe(200);
    await page.goto(`${server.url}/app/board`);
    const switcher = page.getByRole('combobox', { name: 'Organization' });
    await switcher.waitFor();
    await switcher.selectOption({ label: 'Other Org' });
    await page.goto(`${server.url}/app/deals/${theirs.id}`);
    await page.getByRole('heading', { name: /Their secret deal/, level: 1 }).waitFor();
    await managerContext.close();
  });

  it('home, contacts and companies pages pass axe, and search finds by part of a word', async () => {
    const { context, page } = await signedIn(demoCredentials.manager);
    await page.getByRole('region', { name: "This month's forecast" }).waitFor();
    await page.getByRole('region', { name: "Team's deals at risk" }).locator('li').first().waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'dashboard-07-manager-home');

    const companies = (await asManager<{ data: { id: string; name: string }[] }>('/companies?limit=5')).data;
    const company = companies[0]!;
    const part = company.name.split(/\s+/)[0]!.slice(0, 4);
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.getByRole('searchbox', { name: 'Search companies' }).fill(part);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: company.name }).click();
    await page.getByRole('heading', { name: company.name, level: 1 }).waitFor();
    await page.getByText('Timeline').waitFor();
    expect(await axeFindings(page)).toEqual([]);

    await page.getByRole('link', { name: 'Contacts' }).first().click();
    await page.locator('table.table tbody tr').first().waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await page.locator('table.table tbody tr a').first().click();
    await page.getByText('Timeline').waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await context.close();
  });

  it('the deal drawer gives focus back to the card that opened it; older timeline entries page in; going offline shows a banner until the connection is back', async () => {
    const { context, page } = await signedIn(demoCredentials.manager);
    await page.goto(`${server.url}/app/board`);
    const deal = (await boardOf(asManager)).deals.find((d) => d.outcome === null)!;
    // More than one page of timeline on this deal (the drawer shows 50 at a time), written by the
    // admin: the manager's own requests in this file already spend much of their 200 a minute.
    const asAdmin = await apiAs(server.url, demoCredentials.admin);
    for (let i = 1; i <= 51; i++) await asAdmin('/activities', { method: 'POST', body: JSON.stringify({ type: 'note', subject: `Follow-up note ${i}`, dealIds: [deal.id] }) });
    const title = card(page, deal.id).locator('a.card-title');
    await title.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Deal' });
    await drawer.getByText('Follow-up note 51').waitFor();
    const timeline = drawer.locator('section.panel', { has: page.getByRole('heading', { name: 'Timeline' }) });
    expect(await timeline.locator('ol.timeline > li').count()).toBe(50);
    expect(await timeline.getByText('Follow-up note 1', { exact: true }).count()).toBe(0);
    await timeline.getByRole('button', { name: 'Show older' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-08-timeline-show-older');
    await timeline.getByRole('button', { name: 'Show older' }).click();
    await timeline.getByText('Follow-up note 1', { exact: true }).waitFor();
    expect(await timeline.locator('ol.timeline > li').count()).toBeGreaterThan(51);
    // Escape closes the drawer; the keyboard carries on from the deal's card.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('article.card')?.getAttribute('data-deal-id'))).toBe(deal.id);
    expect(page.url()).not.toContain('deal=');

    const banner = page.getByRole('alert').filter({ hasText: 'You are offline' });
    expect(await banner.count()).toBe(0);
    await context.setOffline(true);
    await banner.waitFor();
    await screenshot(page, 'dashboard-09-offline');
    await context.setOffline(false);
    await banner.waitFor({ state: 'detached' });
    await context.close();
  });
});
