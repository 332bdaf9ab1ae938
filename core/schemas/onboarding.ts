// The onboarding checklist and the sample data, as the API answers them.
import { z } from 'zod';
import { onboardingStepIds } from '../onboarding/checklist.ts';
import { Timestamp } from './common.ts';

const StepId = z.enum(onboardingStepIds);

export const OnboardingState = z
  .object({
    steps: z.array(
      z.object({
        id: StepId,
        status: z.enum(['done', 'skipped', 'todo']),
        doneBecause: z.string().nullable().meta({ description: 'Why the step counts as done when the organization\'s state says so (records, invitations, logged emails), not a click' }),
      }),
    ),
    remaining: z.number().int(),
    complete: z.boolean(),
    dismissed: z.boolean(),
    showWelcome: z.boolean().meta({ description: 'Open the welcome page by itself: an admin, checklist not complete and not put away' }),
    sampleData: z.object({ loaded: z.boolean(), records: z.number().int(), loadedAt: Timestamp.nullable() }),
    facts: z.object({
      ownRecords: z.number().int(),
      sampleRecords: z.number().int(),
      crmConnected: z.boolean(),
      otherMembers: z.number().int(),
      pendingInvitations: z.number().int(),
      emailsLogged: z.number().int(),
    }),
  })
  .meta({ id: 'OnboardingState' });
export type OnboardingState = z.infer<typeof OnboardingState>;

export const OnboardingPatch = z
  .object({
    steps: z.partialRecord(StepId, z.enum(['done', 'skipped', 'todo'])).optional().meta({ description: 'Mark steps done or skipped, or back to do (todo)' }),
    dismissed: z.boolean().optional().meta({ description: 'Put the checklist away (true) or bring it back (false)' }),
  })
  .strict()
  .meta({ id: 'OnboardingPatch' });
export type OnboardingPatch = z.infer<typeof OnboardingPatch>;

const Counts = z.object({ companies: z.number().int(), contacts: z.number().int(), deals: z.number().int(), activities: z.number().int() });
export const SampleDataRemoval = z
  .object({
    removed: Counts,
    kept: Counts.meta({ description: 'Sample records someone edited since they were loaded: they are theirs now and stay' }),
    state: OnboardingState,
  })
  .meta({ id: 'SampleDataRemoval' });
export type SampleDataRemoval = z.infer<typeof SampleDataRemoval>;
