import { describe, expect, it } from 'vitest';
import { daysInStage, stageAgeLevel, stageAgeSentence } from './stage-age.ts';

const now = new Date('2026-11-20T12:00:00Z');

describe('daysInStage', () => {
  it.each([
    ['2026-11-20T11:00:00Z', 0],
    ['2026-11-19T12:00:00Z', 1],
    ['2026-11-19T12:00:01Z', 0],
    ['2026-10-21T12:00:00Z', 30],
    ['2026-11-21T12:00:00Z', 0], // a clock skew into the future is not negative
  ])('entered %s → %i days', (at, days) => {
    expect(daysInStage(at, now)).toBe(days);
  });
});

describe('stageAgeLevel', () => {
  it.each([
    [3, null, 'normal'],
    [100, null, 'normal'],
    [10, 10, 'normal'],
    [11, 10, 'over'],
    [20, 10, 'over'],
    [21, 10, 'far-over'],
    [1, 0.2, 'normal'], // a norm under a day counts as one day
    [2, 0.2, 'over'],
    [3, 0.2, 'far-over'],
  ] as const)('%i days against a norm of %s → %s', (days, norm, level) => {
    expect(stageAgeLevel(days, norm)).toBe(level);
  });
});

describe('stageAgeSentence', () => {
  it.each([
    [4, null, '4 days in Proposal (not enough history for a norm yet)'],
    [1, 6.4, '1 day in Proposal; deals usually stay 6 days'],
    [9, 6.4, '9 days in Proposal: longer than the usual 6 days'],
    [30, 6.4, '30 days in Proposal: more than twice the usual 6 days'],
  ] as const)('%i days, norm %s', (days, norm, sentence) => {
    expect(stageAgeSentence(days, norm, 'Proposal')).toBe(sentence);
  });
});
