// The onboarding checklist as the web app reads and changes it (GET/PATCH /onboarding and the
// sample data), one query key so every change refreshes the welcome page and the home checklist.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../../api-client/openapi.d.ts';
import { call, errorMessage, useApi } from '../api.ts';
import { keys } from '../queries.ts';
import { useToast } from '../shell/ui.tsx';

export type OnboardingState = components['schemas']['OnboardingState'];
export type OnboardingPatch = components['schemas']['OnboardingPatch'];
export type StepId = OnboardingState['steps'][number]['id'];

export const onboardingKey = ['onboarding'] as const;

export function useOnboarding() {
  const api = useApi();
  return useQuery({ queryKey: onboardingKey, queryFn: () => call(api.GET('/onboarding')) });
}

/** Everything that shows records: refreshed when the sample data comes or goes. */
const recordKeys = [keys.boardAll, keys.atRisk, keys.reports, keys.contacts, keys.companies, keys.dealAll, keys.activities];

export function useOnboardingActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const settle = (refreshRecords: boolean) => () =>
    Promise.all([onboardingKey, ...(refreshRecords ? recordKeys : [])].map((key) => queryClient.invalidateQueries({ queryKey: key })));
  const onError = (err: unknown) => toast(errorMessage(err), 'error');
  const patch = useMutation({
    mutationFn: (body: OnboardingPatch) => call(api.PATCH('/onboarding', { body })),
    onSuccess: (state) => queryClient.setQueryData(onboardingKey, state),
    onError,
  });
  const loadSample = useMutation({
    mutationFn: () => call(api.POST('/onboarding/sample-data')),
    onSuccess: (state) => toast(`Sample data loaded: ${state.sampleData.records} records, marked “(Sample)”.`, 'success'),
    onError,
    onSettled: settle(true),
  });
  const removeSample = useMutation({
    mutationFn: () => call(api.DELETE('/onboarding/sample-data')),
    onSuccess: (r) => {
      const kept = r.kept.companies + r.kept.contacts + r.kept.deals + r.kept.activities;
      const removed = r.removed.companies + r.removed.contacts + r.removed.deals + r.removed.activities;
      toast(`Sample data removed (${removed} records).${kept ? ` ${kept} you edited stayed: they are yours now.` : ''}`, 'success');
    },
    onError,
    onSettled: settle(true),
  });
  return { patch, loadSample, removeSample };
}
