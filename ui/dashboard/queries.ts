// Server state shared across pages (TanStack Query): the caller, pipelines, members and teams. Each
// page keeps its own queries next to it; the keys live here so live updates can find them.
import { useQuery } from '@tanstack/react-query';
import { call, useApi } from './api.ts';

export const keys = {
  me: ['me'] as const,
  pipelines: ['pipelines'] as const,
  members: ['members'] as const,
  teams: ['teams'] as const,
  board: (pipelineId: string | undefined, filters: object, sort = 'close') => ['board', pipelineId ?? 'default', filters, sort] as const,
  /** The deal table's every card, under the board's key so whatever refreshes boards refreshes it. */
  boardTable: (pipelineId: string | undefined, filters: object) => ['board', pipelineId ?? 'default', filters, 'table'] as const,
  boardAll: ['board'] as const,
  deal: (id: string) => ['deal', id] as const,
  dealAll: ['deal'] as const,
  dealTimeline: (id: string) => ['deal', id, 'timeline'] as const,
  tasks: ['tasks'] as const,
  atRisk: ['at-risk'] as const,
  notifications: ['notifications'] as const,
  reports: ['reports'] as const,
  contacts: ['contacts'] as const,
  companies: ['companies'] as const,
  activities: ['activities'] as const,
  settings: ['settings'] as const,
};

export function usePipelines() {
  const api = useApi();
  return useQuery({ queryKey: keys.pipelines, queryFn: async () => (await call(api.GET('/pipelines'))).data, staleTime: 60_000 });
}

export function useMembers() {
  const api = useApi();
  return useQuery({ queryKey: keys.members, queryFn: async () => (await call(api.GET('/members'))).data, staleTime: 60_000 });
}

export function useTeams() {
  const api = useApi();
  return useQuery({ queryKey: keys.teams, queryFn: async () => (await call(api.GET('/teams'))).data, staleTime: 60_000 });
}
