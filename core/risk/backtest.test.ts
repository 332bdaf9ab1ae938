import { describe, expect, it } from 'vitest';
import { aucLostAboveWon, backtest, backtestWithShuffledOutcomes, riskInputAsOf, riskScorer, type ClosedDeal, type RiskScorer } from './backtest.ts';
import { baselineScore } from './baseline.ts';
import { mulberry32 } from './random.ts';
import { defaultRiskSettings } from './settings.ts';
import { emptyOrgRiskStats, type Outcome, type RiskActivity, type RiskStage } from './types.ts';

const DAY = 86_400_000;
const start = Date.parse('2025-01-01T00:00:00Z');
const day = (d: number) => new Date(start + d * DAY);

const stage = (id: string, position: number, extra: Partial<RiskStage> = {}): RiskStage => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  position,
  isWon: false,
  isLost: false,
  ...extra,
});
const pipelineStages = [
  stage('discovery', 0),
  stage('qualification', 1),
  stage('proposal', 2),
  stage('negotiation', 3),
  stage('won', 4, { isWon: true }),
  stage('lost', 5, { isLost: true }),
];
const stageById = (id: string) => pipelineStages.find((s) => s.id === id)!;

interface DealSpec {
  id: string;
  outcome: Outcome;
  createdDay: number;
  closedDay: number;
  moves: [string, number][];
  activities?: RiskActivity[];
  contactCount?: number;
}

function closedDeal(spec: DealSpec): ClosedDeal {
  const finalStage = stageById(spec.outcome);
  return {
    outcome: spec.outcome,
    closedAt: day(spec.closedDay),
    input: {
      deal: {
        id: spec.id,
        valueCents: 1_000_000,
        currency: 'USD',
        stage: finalStage,
        expectedCloseDate: null,
        createdAt: day(spec.createdDay),
        stageChangedAt: day(spec.closedDay),
        contactCount: spec.contactCount ?? 3,
      },
      pipelineStages,
      stageHistory: [
        ...spec.moves.map(([toStageId, d]) => ({ fromStageId: null, toStageId, changedAt: day(d) })),
        { fromStageId: null, toStageId: finalStage.id, changedAt: day(spec.closedDay) },
      ],
      activities: spec.activities ?? [],
      engagement: [],
      stats: emptyOrgRiskStats,
    },
  };
}

describe('aucLostAboveWon (Mann–Whitney, ties count half)', () => {
  const items = (lost: number[], won: number[]) => [
    ...lost.map((score) => ({ score, outcome: 'lost' as const })),
    ...won.map((score) => ({ score, outcome: 'won' as const })),
  ];
  it.each([
    { name: 'every lost deal above every won deal', lost: [0.9, 0.8], won: [0.1, 0.2], auc: 1 },
    { name: 'every lost deal below', lost: [0.1, 0.2], won: [0.9, 0.8], auc: 0 },
    { name: 'all tied', lost: [0.5, 0.5], won: [0.5, 0.5], auc: 0.5 },
    // pairs (lost, won): (0.9, 0.5) 1, (0.9, 0.1) 1, (0.5, 0.5) ½, (0.5, 0.1) 1 → 3.5 / 4
    { name: 'one tie among four pairs', lost: [0.9, 0.5], won: [0.5, 0.1], auc: 0.875 },
    // (0.4, 0.3) 1, (0.4, 0.6) 0, (0.2, 0.3) 0, (0.2, 0.6) 0, (0.7, 0.3) 1, (0.7, 0.6) 1 → 3 / 6
    { name: 'interleaved', lost: [0.4, 0.2, 0.7], won: [0.3, 0.6], auc: 0.5 },
    { name: 'only won deals', lost: [], won: [0.1, 0.2], auc: null },
  ])('$name → $auc', ({ lost, won, auc }) => {
    expect(aucLostAboveWon(items(lost, won))).toBe(auc);
  });
});

describe('riskInputAsOf: the deal as it stood N days before close', () => {
  const deal = closedDeal({
    id: 'd1',
    outcome: 'won',
    createdDay: 0,
    closedDay: 30,
    moves: [['discovery', 0], ['proposal', 10], ['negotiation', 20]],
    activities: [
      { type: 'email', direction: 'inbound', occurredAt: day(12) },
      { type: 'meeting', direction: null, occurredAt: day(14.9) },
      { type: 'email', direction: 'inbound', occurredAt: day(15) }, // exactly at the cut-off: not before it
      { type: 'call', direction: null, occurredAt: day(25) },
    ],
  });

  it('has the stage of that day, the time it entered it, and only what happened before', () => {
    const then = riskInputAsOf(deal.input, day(15))!;
    expect(then.deal.stage.id).toBe('proposal');
    expect(then.deal.stageChangedAt).toEqual(day(10));
    expect(then.stageHistory.map((h) => h.toStageId)).toEqual(['discovery', 'proposal']);
    expect(then.activities.map((a) => a.occurredAt)).toEqual([day(12), day(14.9)]);
    expect(then.deal.createdAt).toEqual(day(0));
  });

  it.each([
    { name: 'before the deal existed', asOf: -1 },
    { name: 'after it was closed', asOf: 31 },
  ])('is null $name', ({ asOf }) => {
    expect(riskInputAsOf(deal.input, day(asOf))).toBeNull();
  });
});

describe('backtest', () => {
  // A stub scorer, so the bookkeeping is checked by hand: it scores a deal by its id.
  const fixed: Record<string, number> = { a: 0.1, b: 0.2, c: 0.5, d: 0.9, e: 0.7 };
  const stub: RiskScorer = (input) => {
    const score = fixed[input.deal.id]!;
    return { score, band: score >= 0.6 ? 'high' : score >= 0.3 ? 'medium' : 'low' };
  };
  const simple = (id: string, outcome: Outcome, createdDay = 0) =>
    closedDeal({ id, outcome, createdDay, closedDay: 40, moves: [['discovery', createdDay]] });

  it('counts deals, outcomes and win rate per band, and skips deals that did not exist yet', () => {
    const result = backtest(
      [simple('a', 'won'), simple('b', 'won'), simple('c', 'won'), simple('d', 'lost'), simple('e', 'won'), simple('late', 'lost', 35)],
      stub,
      { daysBeforeClose: 14 },
    );
    // 'late' was created on day 35, after the cut-off on day 26.
    // pairs (lost d 0.9 against won a, b, c, e): all four above → AUC 1
    expect(result).toEqual({
      auc: 1,
      n: 5,
      won: 4,
      lost: 1,
      skipped: 1,
      bands: [
        { band: 'low', deals: 2, won: 2, winRate: 1 }, // a, b
        { band: 'medium', deals: 1, won: 1, winRate: 1 }, // c
        { band: 'high', deals: 2, won: 1, winRate: 0.5 }, // d lost, e won
      ],
    });
  });

  it('scores each deal as of N days before its close', () => {
    const seen: Date[] = [];
    const spy: RiskScorer = (_input, now) => {
      seen.push(now);
      return { score: 0, band: 'low' };
    };
    backtest([simple('a', 'won')], spy, { daysBeforeClose: 14 });
    expect(seen).toEqual([day(26)]);
  });
});

// Synthetic history in which silence tends to precede losses, with noise: 80% of won deals and
// 25% of lost deals stay in steady two-way contact to the end; the rest go quiet 20–45 days before
// closing, the rep sending unanswered follow-ups, and usually hang on one contact.
function syntheticDeals(count: number, random: () => number): ClosedDeal[] {
  const between = (a: number, b: number) => a + (b - a) * random();
  const deals: ClosedDeal[] = [];
  for (let i = 0; i < count; i++) {
    const outcome: Outcome = random() < 0.5 ? 'won' : 'lost';
    const steady = random() < (outcome === 'won' ? 0.8 : 0.25);
    const closedDay = 200 + i;
    const length = between(40, 90);
    const createdDay = closedDay - length;
    const silentFrom = steady ? closedDay : closedDay - between(20, 45);
    const activities: RiskActivity[] = [];
    for (let t = createdDay + 1; t < silentFrom; t += between(3, 7)) {
      activities.push({ type: 'email', direction: 'outbound', occurredAt: day(t) });
      activities.push({ type: random() < 0.7 ? 'email' : 'meeting', direction: 'inbound', occurredAt: day(t + 0.5) });
    }
    for (let t = silentFrom; t < closedDay; t += 7) activities.push({ type: 'email', direction: 'outbound', occurredAt: day(t) });
    deals.push(
      closedDeal({
        id: `deal-${i}`,
        outcome,
        createdDay,
        closedDay,
        moves: [
          ['discovery', createdDay],
          ['qualification', createdDay + length * 0.25],
          ['proposal', createdDay + length * 0.5],
          ['negotiation', createdDay + length * 0.75],
        ],
        activities,
        contactCount: steady ? 3 : random() < 0.7 ? 1 : 2,
      }),
    );
  }
  return deals;
}

describe('backtest on synthetic history where silence precedes losses', () => {
  const deals = syntheticDeals(200, mulberry32(5));
  const ours = riskScorer(defaultRiskSettings);
  const options = { daysBeforeClose: 7 };

  it('separates won from lost deals (AUC ≥ 0.75) and the high band wins least', () => {
    const result = backtest(deals, ours, options);
    expect(result.n).toBe(200);
    expect(result.won + result.lost).toBe(200);
    expect(result.auc).toBeGreaterThanOrEqual(0.75);
    const rate = (band: string) => result.bands.find((b) => b.band === band)!.winRate!;
    expect(rate('high')).toBeLessThan(rate('low'));
  });

  it('lands near 0.5 when the outcomes are shuffled', () => {
    const aucs = Array.from({ length: 20 }, (_, seed) => backtestWithShuffledOutcomes(deals, ours, options, mulberry32(seed + 1)).auc!);
    for (const auc of aucs) expect(Math.abs(auc - 0.5)).toBeLessThan(0.15);
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });

  it('shuffling keeps the deals and the number of wins, only the pairing changes', () => {
    const real = backtest(deals, ours, options);
    const shuffled = backtestWithShuffledOutcomes(deals, ours, options, mulberry32(99));
    expect({ n: shuffled.n, won: shuffled.won, lost: shuffled.lost }).toEqual({ n: real.n, won: real.won, lost: real.lost });
    expect(shuffled.bands.map((b) => b.deals)).toEqual(real.bands.map((b) => b.deals));
  });

  it('scores the same deals with the baseline side by side; ours reads unanswered follow-ups as silence, the baseline as activity', () => {
    const baseline = backtest(deals, baselineScore, options);
    const result = backtest(deals, ours, options);
    expect(baseline.n).toBe(result.n);
    expect(result.auc!).toBeGreaterThan(baseline.auc!);
  });

  it('is deterministic', () => {
    expect(backtest(deals, ours, options)).toEqual(backtest(deals, ours, options));
  });
});
