import { describe, expect, it } from 'vitest';
import type { BoardDeal, DealFilters } from '../schemas/board.ts';
import { activeFilterCount, dealMatchesFilters } from './filters.ts';

const ada = '00000000-0000-4000-8000-00000000000a';
const bo = '00000000-0000-4000-8000-00000000000b';
const west = '00000000-0000-4000-8000-0000000000f1';
const stageA = '00000000-0000-4000-8000-0000000000a1';
const stageB = '00000000-0000-4000-8000-0000000000b1';

const deal: BoardDeal = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Acme Robotics — Support plan',
  companyId: null,
  companyName: 'Acme Robotics',
  valueCents: 700_000,
  currency: 'USD',
  pipelineId: '00000000-0000-4000-8000-0000000000cc',
  stage: stageA,
  probability: 50,
  ownerId: ada,
  ownerName: 'Ada',
  expectedCloseDate: '2026-12-15',
  stageChangedAt: '2026-11-01T00:00:00.000Z',
  outcome: null,
  source: 'referral',
  risk: { score: 72, band: 'high', topReason: { code: 'no_reply', sentence: 'No reply for 12 days' } },
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const ctx = { teamOf: (userId: string) => (userId === ada ? west : null) };

describe('dealMatchesFilters', () => {
  it.each<[string, DealFilters, boolean]>([
    ['no filters', {}, true],
    ['a word that starts a word of the name', { q: 'supp' }, true],
    ['two words, both starting words', { q: 'acme plan' }, true],
    ['a word inside a word only', { q: 'obotics' }, false],
    ['the owner', { ownerId: ada }, true],
    ['another owner', { ownerId: bo }, false],
    ['the owner\'s team', { teamId: west }, true],
    ['another team', { teamId: '00000000-0000-4000-8000-0000000000f2' }, false],
    ['the stage', { stage: stageA }, true],
    ['another stage', { stage: stageB }, false],
    ['probability at the lower bound', { minProbability: 50 }, true],
    ['probability below the range', { minProbability: 51 }, false],
    ['probability at the upper bound', { maxProbability: 50 }, true],
    ['probability above the range', { maxProbability: 49 }, false],
    ['value inside the range', { minValueCents: 500_000, maxValueCents: 1_000_000 }, true],
    ['value below the range', { minValueCents: 700_001 }, false],
    ['value above the range', { maxValueCents: 699_999 }, false],
    ['closing inside the range, bounds included', { closeFrom: '2026-12-15', closeTo: '2026-12-15' }, true],
    ['closing before the range', { closeFrom: '2026-12-16' }, false],
    ['closing after the range', { closeTo: '2026-12-14' }, false],
    ['the risk band', { risk: 'high' }, true],
    ['another risk band', { risk: 'low' }, false],
    ['the source', { source: 'referral' }, true],
    ['another source', { source: 'inbound' }, false],
    ['all at once', { q: 'acme', ownerId: ada, teamId: west, stage: stageA, minProbability: 10, maxValueCents: 800_000, risk: 'high', source: 'referral' }, true],
  ])('%s', (_label, filters, expected) => {
    expect(dealMatchesFilters(deal, filters, ctx)).toBe(expected);
  });

  it.each<[string, Partial<BoardDeal>, DealFilters]>([
    ['no owner, filtered by team', { ownerId: null }, { teamId: west }],
    ['no close date, filtered by close range', { expectedCloseDate: null }, { closeFrom: '2020-01-01' }],
    ['no risk (closed), filtered by band', { risk: null }, { risk: 'low' }],
    ['no source, filtered by source', { source: null }, { source: 'referral' }],
  ])('a deal with %s does not match', (_label, change, filters) => {
    expect(dealMatchesFilters({ ...deal, ...change }, filters, ctx)).toBe(false);
  });
});

describe('activeFilterCount', () => {
  it.each<[DealFilters, number]>([
    [{}, 0],
    [{ q: 'acme' }, 0],
    [{ ownerId: ada, risk: 'high' }, 2],
    [{ minValueCents: 0, maxValueCents: 100 }, 2],
    [{ source: '' }, 0],
  ])('%j → %i', (filters, n) => {
    expect(activeFilterCount(filters)).toBe(n);
  });
});
