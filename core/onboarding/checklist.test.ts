import { describe, expect, it } from 'vitest';
import { onboardingChecklist, type OnboardingFacts, type StepStatus } from './checklist.ts';

const none: OnboardingFacts = { ownRecords: 0, sampleRecords: 0, crmConnected: false, otherMembers: 0, pendingInvitations: 0, emailsLogged: 0 };
const statuses = (marks: Record<string, 'done' | 'skipped'>, facts: Partial<OnboardingFacts>) =>
  Object.fromEntries(onboardingChecklist(marks, { ...none, ...facts }).steps.map((s) => [s.id, s.status]));

describe('onboardingChecklist', () => {
  it.each<{ name: string; marks: Record<string, 'done' | 'skipped'>; facts: Partial<OnboardingFacts>; expected: Record<string, StepStatus> }>([
    { name: 'a new organization has everything to do', marks: {}, facts: {}, expected: { data: 'todo', pipeline: 'todo', team: 'todo', extension: 'todo', insights: 'todo' } },
    { name: 'records of its own bring the data in', marks: {}, facts: { ownRecords: 12 }, expected: { data: 'done', pipeline: 'todo', team: 'todo', extension: 'todo', insights: 'todo' } },
    { name: 'a CRM connection brings the data in', marks: {}, facts: { crmConnected: true }, expected: { data: 'done', pipeline: 'todo', team: 'todo', extension: 'todo', insights: 'todo' } },
    { name: 'sample data counts as data', marks: {}, facts: { sampleRecords: 40 }, expected: { data: 'done', pipeline: 'todo', team: 'todo', extension: 'todo', insights: 'todo' } },
    { name: 'an open invitation is the team step', marks: {}, facts: { pendingInvitations: 1 }, expected: { data: 'todo', pipeline: 'todo', team: 'done', extension: 'todo', insights: 'todo' } },
    { name: 'a logged email is the extension step', marks: {}, facts: { emailsLogged: 3 }, expected: { data: 'todo', pipeline: 'todo', team: 'todo', extension: 'done', insights: 'todo' } },
    { name: 'marks count where the state says nothing', marks: { pipeline: 'done', insights: 'skipped', team: 'skipped' }, facts: {}, expected: { data: 'todo', pipeline: 'done', team: 'skipped', extension: 'todo', insights: 'skipped' } },
    { name: 'the state wins over a skip', marks: { team: 'skipped' }, facts: { otherMembers: 2 }, expected: { data: 'todo', pipeline: 'todo', team: 'done', extension: 'todo', insights: 'todo' } },
    { name: 'unknown marks are ignored', marks: { billing: 'done' }, facts: {}, expected: { data: 'todo', pipeline: 'todo', team: 'todo', extension: 'todo', insights: 'todo' } },
  ])('$name', ({ marks, facts, expected }) => {
    expect(statuses(marks, facts)).toEqual(expected);
  });

  it('says why a step is done and when the list is complete', () => {
    const list = onboardingChecklist({ pipeline: 'done', extension: 'skipped', insights: 'done' }, { ...none, ownRecords: 1, otherMembers: 2 });
    expect(list.steps.find((s) => s.id === 'data')!.doneBecause).toBe('1 record in the CRM');
    expect(list.steps.find((s) => s.id === 'team')!.doneBecause).toBe('2 teammates joined');
    expect(list.steps.find((s) => s.id === 'pipeline')!.doneBecause).toBeNull();
    expect(list).toMatchObject({ remaining: 0, complete: true });
    expect(onboardingChecklist({}, none)).toMatchObject({ remaining: 5, complete: false });
  });
});
