import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackMessage, slackOutcome } from './slack.ts';

const deal = { id: '7d6c1d4e-0000-4000-8000-000000000001', name: 'Acme <renewal> & more', valueCents: 1_250_000, currency: 'USD', stageName: 'Proposal', ownerName: 'Riley Park' };

describe('slackMessage', () => {
  it('shows the deal, its value, stage, owner, risk reasons and a dashboard link', () => {
    const m = slackMessage({ type: 'deal_high_risk', deal, risk: { score: 82, reasons: [{ sentence: 'No reply in 14 days' }], nextAction: 'Follow up today' } }, 'https://crm.example.com');
    expect(m.text).toBe('Deal at high risk: Acme <renewal> & more (risk 82/100)');
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('<https://crm.example.com/app/deals/7d6c1d4e-0000-4000-8000-000000000001|Acme &lt;renewal&gt; &amp; more>');
    expect(json).toContain('$12,500');
    expect(json).toContain('*Stage*\\nProposal');
    expect(json).toContain('*Owner*\\nRiley Park');
    expect(json).toContain('*Risk 82/100*\\n• No reply in 14 days');
    expect(json).toContain('Next: Follow up today');
  });
  it('describes notifications without a deal in one line', () => {
    expect(slackMessage({ type: 'task_overdue', summary: 'Call <Ada>' }, 'https://x.test').blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Task overdue*\nCall &lt;Ada&gt;' } },
    ]);
  });
  it('gives a message queued under a kind it no longer knows a plain headline', () => {
    expect(slackMessage({ type: 'contact.created' as never, summary: 'Ada' }, 'https://x.test').text).toBe('Notification: Ada');
  });
  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['<!channel>', '&lt;!channel&gt;'],
  ])('escapes %s', (text, expected) => expect(escapeMrkdwn(text)).toBe(expected));
});

describe('slackOutcome', () => {
  it.each([
    [200, 'ok', 'delivered', null],
    [404, 'no_service', 'gone', 'no_service'],
    [403, 'invalid_token', 'gone', 'invalid_token'],
    [410, 'channel_is_archived', 'gone', 'channel_is_archived'],
    [403, 'action_prohibited', 'gone', 'action_prohibited'],
    [429, 'rate_limited', 'retry', 'rate_limited'],
    [500, 'rollup_error', 'retry', 'rollup_error'],
    [400, 'invalid_payload', 'retry', 'invalid_payload'],
    [null, '', 'retry', null],
  ] as const)('%s %s → %s', (status, body, outcome, error) => {
    expect(slackOutcome(status, body)).toEqual({ outcome, error });
  });
});
