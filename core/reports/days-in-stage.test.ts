import { describe, expect, it } from 'vitest';
import { daysInStage } from './days-in-stage.ts';
import type { ReportStage, ReportStageChange } from './types.ts';

const stages: ReportStage[] = [
  { id: 'disc', name: 'Discovery', position: 0, isWon: false, isLost: false },
  { id: 'qual', name: 'Qualification', position: 1, isWon: false, isLost: false },
  { id: 'prop', name: 'Proposal', position: 2, isWon: false, isLost: false },
  { id: 'nego', name: 'Negotiation', position: 3, isWon: false, isLost: false },
  { id: 'won', name: 'Closed Won', position: 4, isWon: true, isLost: false },
  { id: 'lost', name: 'Closed Lost', position: 5, isWon: false, isLost: true },
];

const moves = (dealId: string, ...steps: [string, number][]): ReportStageChange[] =>
  steps.map(([toStageId, day]) => ({ dealId, toStageId, changedAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000) }));

const history = [
  ...moves('A', ['disc', 0], ['qual', 4], ['prop', 10], ['won', 20]), // Discovery 4, Qualification 6, Proposal 10
  ...moves('B', ['disc', 0], ['qual', 2], ['lost', 5]), // Discovery 2, Qualification 3
  ...moves('C', ['disc', 0], ['prop', 9], ['disc', 10], ['prop', 12]), // Discovery 9 + 2 = 11, Proposal 1 (now back in it: not counted)
  ...moves('D', ['disc', 0]), // still in Discovery: not counted
];

describe('daysInStage', () => {
  it('averages and takes the median of finished stays, per deal', () => {
    expect(daysInStage(stages, history)).toEqual([
      // 4, 2, 11: average 17 / 3 = 5.67 → 5.7; median 4
      { stageId: 'disc', stageName: 'Discovery', deals: 3, averageDays: 5.7, medianDays: 4 },
      // 6, 3: average 4.5; median 4.5
      { stageId: 'qual', stageName: 'Qualification', deals: 2, averageDays: 4.5, medianDays: 4.5 },
      // 10, 1: average 5.5; median 5.5
      { stageId: 'prop', stageName: 'Proposal', deals: 2, averageDays: 5.5, medianDays: 5.5 },
      { stageId: 'nego', stageName: 'Negotiation', deals: 0, averageDays: null, medianDays: null },
    ]);
  });
});
