import { describe, expect, it } from 'vitest';
import { pipelineByStage } from './pipeline-by-stage.ts';
import type { ReportDeal, ReportStage } from './types.ts';

const stages: ReportStage[] = [
  // listed out of order: rows follow the pipeline's positions
  { id: 'nego', name: 'Negotiation', position: 3, isWon: false, isLost: false },
  { id: 'disc', name: 'Discovery', position: 0, isWon: false, isLost: false },
  { id: 'qual', name: 'Qualification', position: 1, isWon: false, isLost: false },
  { id: 'prop', name: 'Proposal', position: 2, isWon: false, isLost: false },
  { id: 'won', name: 'Closed Won', position: 4, isWon: true, isLost: false },
  { id: 'lost', name: 'Closed Lost', position: 5, isWon: false, isLost: true },
];

const deal = (id: string, stageId: string, valueCents: number, probability: number, extra: Partial<ReportDeal> = {}): ReportDeal => ({
  id,
  ownerId: 'u1',
  stageId,
  valueCents,
  currency: 'USD',
  probability,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  expectedCloseDate: null,
  closedAt: null,
  outcome: null,
  ...extra,
});

describe('pipelineByStage', () => {
  const deals = [
    deal('d1', 'disc', 100_000, 10), // weighted 10,000
    deal('d2', 'disc', 300_000, 20), // weighted 60,000
    deal('d3', 'prop', 1_000_000, 50), // weighted 500,000
    deal('d4', 'nego', 500_050, 75), // weighted 375,037.5
    deal('d5', 'nego', 200_000, 80), // weighted 160,000
    deal('d6', 'prop', 999_900, 50, { currency: 'EUR' }), // another currency: not added in
    deal('d7', 'won', 5_000_000, 100, { outcome: 'won', closedAt: new Date('2026-02-01T00:00:00Z') }), // closed
    deal('d8', 'lost', 700_000, 0, { outcome: 'lost', closedAt: new Date('2026-02-01T00:00:00Z') }), // closed
    // marked lost (say by a CRM sync) while its stage still says Proposal: not pipeline
    deal('d9', 'prop', 800_000, 50, { outcome: 'lost', closedAt: new Date('2026-02-01T00:00:00Z') }),
  ];

  it('counts open deals per stage with value and probability-weighted value', () => {
    expect(pipelineByStage(stages, deals, { currency: 'USD' })).toEqual({
      currency: 'USD',
      rows: [
        // 100,000 + 300,000; 10,000 + 60,000
        { stageId: 'disc', stageName: 'Discovery', deals: 2, valueCents: 400_000, weightedValueCents: 70_000 },
        { stageId: 'qual', stageName: 'Qualification', deals: 0, valueCents: 0, weightedValueCents: 0 },
        { stageId: 'prop', stageName: 'Proposal', deals: 1, valueCents: 1_000_000, weightedValueCents: 500_000 },
        // 500,050 + 200,000; 375,037.5 + 160,000 = 535,037.5 → 535,038
        { stageId: 'nego', stageName: 'Negotiation', deals: 2, valueCents: 700_050, weightedValueCents: 535_038 },
      ],
      // 2 + 0 + 1 + 2; 400,000 + 1,000,000 + 700,050; 70,000 + 500,000 + 535,038
      total: { deals: 5, valueCents: 2_100_050, weightedValueCents: 1_105_038 },
    });
  });

  it('reports another currency on its own', () => {
    const eur = pipelineByStage(stages, deals, { currency: 'EUR' });
    // 999,900 × 50% = 499,950
    expect(eur.total).toEqual({ deals: 1, valueCents: 999_900, weightedValueCents: 499_950 });
  });
});
