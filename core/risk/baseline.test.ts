import { describe, expect, it } from 'vitest';
import { baselineScore, type BaselineRule } from './baseline.ts';
import { emptyOrgRiskStats, type RiskActivity, type RiskDeal, type RiskInput, type RiskStage } from './types.ts';

const now = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(now.getTime() - ms);

const stage = (name: string, position: number, extra: Partial<RiskStage> = {}): RiskStage => ({
  id: `s-${position}`,
  name,
  position,
  isWon: false,
  isLost: false,
  ...extra,
});
const discovery = stage('Discovery', 0);
const proposal = stage('Proposal', 2);
const negotiation = stage('Negotiation', 3);

const email = (direction: 'inbound' | 'outbound', msAgo: number): RiskActivity => ({ type: 'email', direction, occurredAt: ago(msAgo) });
const other = (type: 'call' | 'meeting' | 'note' | 'task', msAgo: number): RiskActivity => ({ type, direction: null, occurredAt: ago(msAgo) });

// A neutral deal: Proposal, $1,000, created a day ago, nothing logged → no rule applies.
function deal(changes: Partial<RiskDeal> = {}, activities: RiskActivity[] = []): RiskInput {
  return {
    deal: {
      id: 'd1',
      valueCents: 100_000,
      currency: 'USD',
      stage: proposal,
      expectedCloseDate: null,
      createdAt: ago(DAY),
      stageChangedAt: ago(DAY),
      contactCount: 1,
      ...changes,
    },
    pipelineStages: [discovery, proposal, negotiation],
    stageHistory: [],
    activities,
    engagement: [],
    stats: emptyOrgRiskStats,
  };
}

const over5000 = { valueCents: 600_000 };
const old = { createdAt: ago(30 * DAY) };

describe('baselineScore, rule by rule', () => {
  it.each<{ name: string; input: RiskInput; rules: BaselineRule[]; score: number }>([
    { name: 'nothing applies', input: deal(), rules: [], score: 0 },
    // 0.1
    { name: 'discovery starts at 0.1', input: deal({ stage: discovery }), rules: ['discovery_start'], score: 0.1 },
    // stage names match whatever their case
    { name: '"DISCOVERY call" starts at 0.1', input: deal({ stage: stage('DISCOVERY call', 0) }), rules: ['discovery_start'], score: 0.1 },
    // 0.3 + 0.4 (no email for 5 days comes with it when nothing is logged)
    { name: 'negotiation starts at 0.3', input: deal({ stage: negotiation }), rules: ['negotiation_start', 'negotiation_without_email'], score: 0.7 },
    // Negotiation 0.3 + value 0.2 = 0.5 as the base for the email rules:
    // 0.5 − 0.2 = 0.3
    { name: 'an email sent 2 days ago', input: deal({ stage: negotiation, ...over5000 }, [email('outbound', 2 * DAY)]), rules: ['negotiation_start', 'email_sent', 'value_over_5000'], score: 0.3 },
    // 0.5 − 0.3 = 0.2
    { name: 'an email received 2 days ago', input: deal({ stage: negotiation, ...over5000 }, [email('inbound', 2 * DAY)]), rules: ['negotiation_start', 'email_received', 'value_over_5000'], score: 0.2 },
    // 0.5 − 0.2 − 0.3 = 0
    {
      name: 'both ways within 5 days',
      input: deal({ stage: negotiation, ...over5000 }, [email('outbound', 2 * DAY), email('inbound', 1 * DAY)]),
      rules: ['negotiation_start', 'email_sent', 'email_received', 'value_over_5000'],
      score: 0,
    },
    // exactly 5 days ago still counts: 0.5 − 0.3 = 0.2
    { name: 'an email received exactly 5 days ago', input: deal({ stage: negotiation, ...over5000 }, [email('inbound', 5 * DAY)]), rules: ['negotiation_start', 'email_received', 'value_over_5000'], score: 0.2 },
    // 5 days and an hour: not received "within 5 days", and the negotiation has had no email: 0.5 + 0.4 = 0.9
    {
      name: 'an email received 5 days and an hour ago',
      input: deal({ stage: negotiation, ...over5000 }, [email('inbound', 5 * DAY + HOUR)]),
      rules: ['negotiation_start', 'negotiation_without_email', 'value_over_5000'],
      score: 0.9,
    },
    // Discovery 0.1 + value 0.2 = 0.3; a meeting 7 days ago: 0.3 − 0.4 = −0.1 → clamped to 0
    { name: 'a meeting exactly 7 days ago', input: deal({ stage: discovery, ...over5000, ...old }, [other('meeting', 7 * DAY)]), rules: ['discovery_start', 'meeting_held', 'value_over_5000'], score: 0 },
    // 7 days and an hour: no meeting within 7 days, and nothing for more than 7 days: 0.3 + 0.4 = 0.7
    {
      name: 'a meeting 7 days and an hour ago',
      input: deal({ stage: discovery, ...over5000, ...old }, [other('meeting', 7 * DAY + HOUR)]),
      rules: ['discovery_start', 'nothing_happened', 'value_over_5000'],
      score: 0.7,
    },
    // 0.4
    { name: 'a note 8 days ago, nothing since', input: deal(old, [other('note', 8 * DAY)]), rules: ['nothing_happened'], score: 0.4 },
    { name: 'a note exactly 7 days ago', input: deal(old, [other('note', 7 * DAY)]), rules: [], score: 0 },
    { name: 'a task logged yesterday counts as something happening', input: deal(old, [other('note', 20 * DAY), other('task', DAY)]), rules: [], score: 0 },
    { name: 'no activity ever, created 8 days ago', input: deal({ createdAt: ago(8 * DAY) }), rules: ['nothing_happened'], score: 0.4 },
    // A call is not an email: 0.3 + 0.4 = 0.7
    { name: 'negotiation with a call but no email for 5 days', input: deal({ stage: negotiation, ...old }, [other('call', DAY)]), rules: ['negotiation_start', 'negotiation_without_email'], score: 0.7 },
    // 0.2
    { name: 'value 5,000.01', input: deal({ valueCents: 500_001 }), rules: ['value_over_5000'], score: 0.2 },
    { name: 'value exactly 5,000', input: deal({ valueCents: 500_000 }), rules: [], score: 0 },
    // 0.3 + 0.4 + 0.4 + 0.2 = 1.3 → clamped to 1
    { name: 'everything at once', input: deal({ stage: negotiation, ...over5000, ...old }), rules: ['negotiation_start', 'nothing_happened', 'negotiation_without_email', 'value_over_5000'], score: 1 },
    // An email tomorrow has not happened yet: 0.3 + 0.4 = 0.7
    { name: 'an email dated tomorrow', input: deal({ stage: negotiation }, [email('inbound', -DAY)]), rules: ['negotiation_start', 'negotiation_without_email'], score: 0.7 },
  ])('$name → $score', ({ input, rules, score }) => {
    expect(baselineScore(input, now)).toMatchObject({ rules, score });
  });
});

describe('baselineScore bands (0.4 and 0.6)', () => {
  it.each([
    // Negotiation 0.3 + value 0.2 − sent 0.2 = 0.3
    { name: '0.3', input: deal({ stage: negotiation, ...over5000 }, [email('outbound', DAY)]), score: 0.3, band: 'low' },
    // nothing happened 0.4
    { name: '0.4', input: deal(old), score: 0.4, band: 'medium' },
    // Discovery 0.1 + nothing happened 0.4 = 0.5
    { name: '0.5', input: deal({ stage: discovery, ...old }), score: 0.5, band: 'medium' },
    // nothing happened 0.4 + value 0.2 = 0.6
    { name: '0.6', input: deal({ ...old, ...over5000 }), score: 0.6, band: 'high' },
  ])('$name is $band', ({ input, score, band }) => {
    expect(baselineScore(input, now)).toMatchObject({ score, band });
  });
});

describe('baselineScore on closed deals', () => {
  it('does not score them', () => {
    expect(baselineScore(deal({ stage: stage('Closed Won', 4, { isWon: true }) }), now)).toBeNull();
  });
});
