import { describe, expect, it } from 'vitest';
import { stageConversion } from './stage-conversion.ts';
import type { ReportStage, ReportStageChange } from './types.ts';

const stages: ReportStage[] = [
  { id: 'disc', name: 'Discovery', position: 0, isWon: false, isLost: false },
  { id: 'qual', name: 'Qualification', position: 1, isWon: false, isLost: false },
  { id: 'prop', name: 'Proposal', position: 2, isWon: false, isLost: false },
  { id: 'nego', name: 'Negotiation', position: 3, isWon: false, isLost: false },
  { id: 'won', name: 'Closed Won', position: 4, isWon: true, isLost: false },
  { id: 'lost', name: 'Closed Lost', position: 5, isWon: false, isLost: true },
];

const path = (dealId: string, ...stageIds: string[]): ReportStageChange[] =>
  stageIds.map((toStageId, day) => ({ dealId, toStageId, changedAt: new Date(Date.UTC(2026, 0, 1 + day)) }));

const history = [
  ...path('A', 'disc', 'qual', 'prop', 'nego', 'won'),
  ...path('B', 'disc', 'qual', 'lost'),
  ...path('C', 'disc', 'prop', 'lost'), // skipped Qualification
  ...path('D', 'disc'), // still in Discovery
  ...path('E', 'qual', 'prop'), // created in Qualification, still in Proposal
  ...path('F', 'disc', 'qual', 'disc', 'lost'), // went back to Discovery
  ...path('G', 'qual', 'disc', 'lost'), // created in Qualification, moved back: Qualification came before Discovery
].reverse(); // order of rows must not matter

describe('stageConversion', () => {
  it('of the deals that entered each stage, counts those that reached the next and any later stage', () => {
    expect(stageConversion(stages, history)).toEqual([
      // entered A B C D F G = 6; next (Qualification) A B F = 3 (G's was before); later A B C F = 4 (F counts once); still D
      { stageId: 'disc', stageName: 'Discovery', nextStageId: 'qual', entered: 6, reachedNext: 3, reachedLater: 4, stillInStage: 1, nextRate: 3 / 6, laterRate: 4 / 6 },
      // entered A B E F G = 5; next (Proposal) A E = 2; later A E = 2 (F and G went back, B was lost)
      { stageId: 'qual', stageName: 'Qualification', nextStageId: 'prop', entered: 5, reachedNext: 2, reachedLater: 2, stillInStage: 0, nextRate: 2 / 5, laterRate: 2 / 5 },
      // entered A C E = 3; next (Negotiation) A = 1; later A = 1; still E
      { stageId: 'prop', stageName: 'Proposal', nextStageId: 'nego', entered: 3, reachedNext: 1, reachedLater: 1, stillInStage: 1, nextRate: 1 / 3, laterRate: 1 / 3 },
      // entered A = 1; next is the won stage: A = 1
      { stageId: 'nego', stageName: 'Negotiation', nextStageId: 'won', entered: 1, reachedNext: 1, reachedLater: 1, stillInStage: 0, nextRate: 1, laterRate: 1 },
    ]);
  });

  it('has no rates for a stage nobody entered', () => {
    const rows = stageConversion(stages, path('X', 'disc'));
    expect(rows.find((r) => r.stageId === 'nego')).toMatchObject({ entered: 0, nextRate: null, laterRate: null });
  });
});
