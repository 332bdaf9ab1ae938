// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRisk } from './test-fakes.ts';
import { renderSidebar, setup } from './test-render.tsx';

afterEach(cleanup);

const dealCard = () => screen.getByRole('article', { name: 'Deal Acme renewal' });

describe('deal risk', () => {
  it('reads on one 0–100 scale: the next action first, then each reason with its points', async () => {
    const { crm, host, store, world } = setup();
    world.deal.risk = makeRisk(
      72,
      'high',
      [
        { code: 'no_reply', sentence: 'No reply, call or meeting with the buyer in 21 days' },
        { code: 'stalled_in_stage', sentence: 'In Proposal for 30 days; won deals spent about 11 days there' },
      ],
      { nextAction: 'Call Ann today: she has not answered three emails.' },
    );
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const badge = await within(await screen.findByRole('article', { name: 'Deal Acme renewal' })).findByText('Risk 72 · high');
    fireEvent.click(badge);
    const card = dealCard();
    const lines = [...card.querySelectorAll('.crm-risk > p, .crm-risk li')].map((e) => e.textContent);
    expect(lines).toEqual([
      'Next: Call Ann today: she has not answered three emails.',
      '+36 No reply, call or meeting with the buyer in 21 days',
      '+36 In Proposal for 30 days; won deals spent about 11 days there',
    ]);
    expect(card.textContent).not.toMatch(/0\.\d|%/);
  });

  it('a low score says why it is low', async () => {
    const { crm, host, store, world } = setup();
    world.deal.risk = makeRisk(8, 'low', [], { strengths: ['Heard from the buyer 2 days ago', '3 people at the buyer are on this deal'], nextAction: 'Keep the momentum: confirm the next meeting.' });
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    await within(await screen.findByRole('article', { name: 'Deal Acme renewal' })).findByText('Risk 8 · low');
    const strengths = within(dealCard()).getByRole('list', { name: 'What speaks for this deal' });
    expect(within(strengths).getAllByRole('listitem').map((li) => li.textContent?.trim())).toEqual([
      '✓ Heard from the buyer 2 days ago',
      '✓ 3 people at the buyer are on this deal',
    ]);
    expect(dealCard().textContent).toContain('Low because:');
  });

  it('after the thread’s emails are logged, shows the risk as recomputed with them (no reload)', async () => {
    const { crm, host, store, world } = setup();
    // The API rescores the deal when the buyer's reply is logged (api/modules/emails → dealsChanged).
    const logEmail = crm.logEmail.bind(crm);
    crm.logEmail = async (input) => {
      const result = await logEmail(input);
      if (result.logged) crm.deals[0]!.risk = makeRisk(31, 'low', [], { strengths: ['Heard from the buyer today'] });
      return result;
    };
    crm.hold('logEmail');
    host.open(world.thread);
    renderSidebar({ host, api: crm, store });
    const card = await screen.findByRole('article', { name: 'Deal Acme renewal' });
    expect(await within(card).findByText('Risk 72 · high')).toBeTruthy();
    // While the emails are being logged the old score says it is about to change.
    await waitFor(() => expect(within(card).getByText('updating…')).toBeTruthy());

    act(() => crm.release('logEmail'));
    await waitFor(() => expect(within(dealCard()).getByText('Risk 31 · low')).toBeTruthy());
    expect(within(dealCard()).queryByText('updating…')).toBeNull();
    expect(crm.callsOf('getContext').length).toBeGreaterThanOrEqual(2);
  });
});
