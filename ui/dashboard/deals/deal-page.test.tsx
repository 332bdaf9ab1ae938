// The deal drawer against the real API (an in-memory app on its own database; the browser's fetch is
// the only thing replaced): the timeline pages back through the API's cursor and shows tracking's
// opens and clicks next to notes; closing the drawer gives focus back to the card that opened it.
// Node's environment with happy-dom's page added by hand, as board-page.test.tsx explains.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinEnvironments } from 'vitest/environments';
import { activities } from '../../../db/schema/index.ts';
import { writeLinks } from '../../../api/modules/records/activities.service.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

const page = await builtinEnvironments['happy-dom'].setup(globalThis, { happyDOM: { url: 'http://localhost:8787/app/board' } });
const { cleanup, fireEvent, render, screen, waitFor, within } = await import('@testing-library/react');
const { signedIn } = await import('../test-session.tsx');
const { BoardPage } = await import('../board/board-page.tsx');

let t: TestApp;
let orgId: string;
let manager: Caller;
let dealId: string;

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Drawer Co');
  orgId = org.orgId;
  manager = await org.member('manager', 'Mia Manager');
  const stages = (await t.request('GET', '/api/v1/pipelines', { as: manager })).body.data[0].stages;
  dealId = (await t.request('POST', '/api/v1/deals', { as: manager, body: { name: 'Acme renewal', valueCents: 5000_00, stage: stages[0].id } })).body.id;
  // What tracking writes once a recipient's open and click have settled (tracking-engagement.service):
  // one activity per message for the opens, one per link for the clicks, linked to the deal. The
  // oldest entries, so they sit behind "Show older".
  await t.inOrg(orgId, async (s) => {
    const rows = [
      { type: 'email_opened' as const, body: 'Dana Buyer opened this email 3 times; last 2 hours ago.', occurredAt: new Date('2026-11-02T09:00:00Z') },
      { type: 'email_clicked' as const, body: 'Dana Buyer clicked https://acme.example/pricing once; last 2 hours ago.', occurredAt: new Date('2026-11-02T09:05:00Z') },
    ];
    for (const r of rows) {
      const [a] = await s.db.insert(activities).values({ orgId, type: r.type, subject: 'Renewal proposal', body: r.body, occurredAt: r.occurredAt, ownerId: manager.userId, createdAt: r.occurredAt, updatedAt: r.occurredAt }).returning({ id: activities.id });
      await writeLinks(s, { id: a!.id, occurredAt: r.occurredAt, type: r.type }, { contactIds: [], companyIds: [], dealIds: [dealId] });
    }
  });
  for (let i = 1; i <= 52; i++) {
    const res = await t.request('POST', '/api/v1/activities', { as: manager, body: { type: 'note', subject: `Note ${i}`, body: `Call notes ${i}`, dealIds: [dealId] } });
    expect(res.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
  await page.teardown(globalThis);
});
afterEach(cleanup);

const setup = (caller: Caller, path: string) => signedIn(t, caller, path);

const timeline = () => screen.getByRole('heading', { level: 3, name: 'Timeline' }).closest('section') as HTMLElement;

describe('the deal drawer', () => {
  it('shows the latest 50 activities, then older ones on "Show older" down to tracking\'s opens and clicks', async () => {
    const { wrapper } = await setup(manager, `/board?deal=${dealId}`);
    render(<BoardPage />, { wrapper });
    await within(await screen.findByRole('dialog', { name: 'Deal' })).findByText('Note 52');
    const items = () => within(timeline()).getAllByRole('listitem');
    expect(items()).toHaveLength(50);
    expect(within(timeline()).queryByText('Note 2')).toBeNull();
    expect(within(timeline()).queryByText(/opened this email/)).toBeNull();

    fireEvent.click(within(timeline()).getByRole('button', { name: 'Show older' }));
    await within(timeline()).findByText('Note 1');
    expect(items()).toHaveLength(54);
    const opened = within(timeline()).getByText('Dana Buyer opened this email 3 times; last 2 hours ago.').closest('li')!;
    expect(within(opened).getByText('Opened')).toBeTruthy();
    const clicked = within(timeline()).getByText(/clicked https:\/\/acme\.example\/pricing/).closest('li')!;
    expect(within(clicked).getByText('Clicked')).toBeTruthy();
    // Nothing older: no button that would fetch nothing.
    expect(within(timeline()).queryByRole('button', { name: 'Show older' })).toBeNull();
  });

  it('gives focus back to the card that opened it when it closes, by Escape or the close button', async () => {
    const { wrapper, history } = await setup(manager, '/board');
    render(<BoardPage />, { wrapper });
    const link = await screen.findByRole('link', { name: 'Acme renewal' });
    for (const closeBy of ['Escape', 'button'] as const) {
      link.focus();
      fireEvent.click(link);
      const drawer = await screen.findByRole('dialog', { name: 'Deal' });
      await waitFor(() => expect(document.activeElement).toBe(drawer));
      if (closeBy === 'Escape') fireEvent.keyDown(window, { key: 'Escape' });
      else fireEvent.click(within(drawer).getByRole('button', { name: 'Close deal' }));
      await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Deal' })).toBeNull());
      expect(history.at(-1)).toBe('/board');
      expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Acme renewal' }));
    }
  });
});
