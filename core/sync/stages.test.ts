import { describe, expect, it } from 'vitest';
import { hubSpotStageFlags, mapStages, type CrmStage, type LocalStage } from './stages.ts';

const local: LocalStage[] = [
  { id: 'lead', name: 'Lead', position: 0, isWon: false, isLost: false },
  { id: 'qualified', name: 'Qualified', position: 1, isWon: false, isLost: false },
  { id: 'proposal', name: 'Proposal', position: 2, isWon: false, isLost: false },
  { id: 'won', name: 'Won', position: 3, isWon: true, isLost: false },
  { id: 'lost', name: 'Lost', position: 4, isWon: false, isLost: true },
];
const open = (id: string, label: string, displayOrder: number): CrmStage => ({ id, label, displayOrder, isClosed: false, isWon: false });
const salesforce: CrmStage[] = [
  open('Prospecting', 'Prospecting', 0),
  open('Qualification', 'qualified ', 1),
  open('Negotiation', 'Negotiation/Review', 2),
  // Names that would mislead a name match: the flags decide.
  { id: 'Closed Won', label: 'Closed Won', displayOrder: 3, isClosed: true, isWon: true },
  { id: 'Closed Lost', label: 'Won (lost to competitor)', displayOrder: 4, isClosed: true, isWon: false },
];

describe('mapStages', () => {
  it.each([
    ['the first open stage goes to the first open local stage', 'Prospecting', 'lead'],
    ['a name match wins over position (case and spacing aside)', 'Qualification', 'qualified'],
    ['the last open stage goes to the last open local stage', 'Negotiation', 'proposal'],
    ['the CRM won flag decides won', 'Closed Won', 'won'],
    ['the CRM lost flag decides lost, whatever the label says', 'Closed Lost', 'lost'],
  ])('%s', (_label, crmStageId, localStageId) => {
    const entry = mapStages(salesforce, local).find((e) => e.crmStageId === crmStageId);
    expect(entry).toEqual({ crmStageId, localStageId, source: 'default' });
  });

  it.each([
    ['an open stage to another open stage', 'Prospecting', 'proposal', 'proposal', 'admin'],
    ['a won stage to an open stage (refused: the default stands)', 'Closed Won', 'lead', 'won', 'default'],
    ['an open stage to the lost stage (refused)', 'Negotiation', 'lost', 'proposal', 'default'],
    ['a stage id that does not exist (refused)', 'Prospecting', 'nope', 'lead', 'default'],
  ])('an admin override of %s', (_label, crmStageId, chosen, localStageId, source) => {
    const entry = mapStages(salesforce, local, { [crmStageId]: chosen }).find((e) => e.crmStageId === crmStageId);
    expect(entry).toEqual({ crmStageId, localStageId, source });
  });

  it('refuses a pipeline without a won stage rather than mapping a win to an open stage', () => {
    expect(() => mapStages(salesforce, local.filter((s) => !s.isWon))).toThrow(/no won stage/);
  });
});

describe('hubSpotStageFlags', () => {
  it.each([
    [{ isClosed: 'false', probability: '0.2' }, { isClosed: false, isWon: false }],
    [{ isClosed: 'true', probability: '1.0' }, { isClosed: true, isWon: true }],
    [{ isClosed: 'true', probability: '0.0' }, { isClosed: true, isWon: false }],
    [{ isClosed: 'true' }, { isClosed: true, isWon: false }],
    [{}, { isClosed: false, isWon: false }],
  ])('%j → %j', (metadata, flags) => {
    expect(hubSpotStageFlags(metadata)).toEqual(flags);
  });
});
