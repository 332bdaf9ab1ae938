// What the settings sections share: their query keys, and a mutation that refreshes what it
// changed and says in a toast what happened (or the API's reason when it refused).
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { errorMessage } from '../api.ts';
import { useToast } from '../shell/ui.tsx';

export const settingsKeys = {
  invitations: ['invitations'] as const,
  apiKeys: ['api-keys'] as const,
  risk: ['settings', 'risk'] as const,
  tracking: ['settings', 'tracking'] as const,
  audit: (q: object) => ['audit-log', q] as const,
  trash: (type: string) => ['trash', type] as const,
  trashAll: ['trash'] as const,
};

export function useSettingsMutation<V, R>(run: (vars: V) => Promise<R>, options: { refresh: QueryKey[]; success?: (result: R, vars: V) => string | null; onSuccess?: (result: R, vars: V) => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: run,
    onSuccess: (result, vars) => {
      const text = options.success?.(result, vars);
      if (text) toast(text, 'success');
      options.onSuccess?.(result, vars);
    },
    onError: (err) => toast(errorMessage(err), 'error'),
    onSettled: () => Promise.all(options.refresh.map((key) => queryClient.invalidateQueries({ queryKey: key }))),
  });
}

export const roleLabels = { admin: 'Admin', manager: 'Manager', rep: 'Sales rep', readonly: 'Read-only' } as const;
export const roles = ['admin', 'manager', 'rep', 'readonly'] as const;
export const roleHints: Record<(typeof roles)[number], string> = {
  admin: 'Everything, including members, pipelines and settings',
  manager: 'Sees and edits their team\'s deals; no organization settings',
  rep: 'Sees and edits their own deals',
  readonly: 'Sees every deal, changes nothing',
};
