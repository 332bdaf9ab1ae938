// The onboarding checklist: five steps, each done when the organization's real state says so (it
// has records or a CRM connection, it invited someone, an email was logged from Gmail or Outlook),
// or when an admin marked it done or skipped it. Pure: the API gathers the facts.
export const onboardingStepIds = ['data', 'pipeline', 'team', 'extension', 'insights'] as const;
export type OnboardingStepId = (typeof onboardingStepIds)[number];
export type StepMark = 'done' | 'skipped';
export type StepStatus = 'done' | 'skipped' | 'todo';

export interface OnboardingFacts {
  /** Contacts, companies or deals that are not sample records. */
  ownRecords: number;
  sampleRecords: number;
  crmConnected: boolean;
  /** Members besides the first admin, and invitations still open. */
  otherMembers: number;
  pendingInvitations: number;
  /** Emails logged from the Chrome extension or the Outlook add-in. */
  emailsLogged: number;
}

export interface OnboardingStep {
  id: OnboardingStepId;
  status: StepStatus;
  /** Why it counts as done, when the state (not a click) says so. */
  doneBecause: string | null;
}

export const stepTitles: Record<OnboardingStepId, string> = {
  data: 'Bring your data in',
  pipeline: 'Map stages and owners',
  team: 'Invite your team',
  extension: 'Install the Gmail extension or the Outlook add-in',
  insights: 'See your first insights',
};

function derivedReason(id: OnboardingStepId, f: OnboardingFacts): string | null {
  switch (id) {
    case 'data':
      if (f.crmConnected) return 'A CRM is connected';
      if (f.ownRecords > 0) return `${f.ownRecords} record${f.ownRecords === 1 ? '' : 's'} in the CRM`;
      if (f.sampleRecords > 0) return 'Sample data loaded';
      return null;
    case 'team':
      if (f.otherMembers > 0) return `${f.otherMembers} teammate${f.otherMembers === 1 ? '' : 's'} joined`;
      if (f.pendingInvitations > 0) return `${f.pendingInvitations} invitation${f.pendingInvitations === 1 ? '' : 's'} sent`;
      return null;
    case 'extension':
      return f.emailsLogged > 0 ? 'Emails are being logged from the inbox' : null;
    default:
      // Stages and insights have no state of their own to read: the admin says when they are done.
      return null;
  }
}

export function onboardingChecklist(marks: Partial<Record<string, StepMark>>, facts: OnboardingFacts): { steps: OnboardingStep[]; remaining: number; complete: boolean } {
  const steps = onboardingStepIds.map((id): OnboardingStep => {
    const because = derivedReason(id, facts);
    const mark = marks[id];
    return { id, status: because ? 'done' : (mark ?? 'todo'), doneBecause: because };
  });
  const remaining = steps.filter((s) => s.status === 'todo').length;
  return { steps, remaining, complete: remaining === 0 };
}
