// Who is signed in, in which organization, with which role: GET /me with the cookie session. The
// role decides what the app offers (core/roles.ts, the same rules the API enforces); someone in
// several organizations switches between them here, and every request then names the chosen one.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { canWrite, canWriteOwned, isAdmin, seesAllDealsAndActivities, type Actor } from '../../core/roles.ts';
import { call, chooseOrganization, chosenOrganization, isApiError, useApi } from './api.ts';
import { keys } from './queries.ts';
import type { Me } from './types.ts';

export interface SessionValue {
  me: Me;
  actor: Actor;
  /** May change records at all (not readonly). */
  canWrite: boolean;
  /** May move, edit or reassign this owner's deal. */
  canChangeDeal: (ownerId: string | null) => boolean;
  /** Managers, admins and readonly see the whole team's deals; reps their own. */
  seesTeam: boolean;
  isAdmin: boolean;
  switchOrganization: (orgId: string) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

export function useMe() {
  const api = useApi();
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await call(api.GET('/me'));
      } catch (err) {
        // The organization chosen earlier is no longer theirs (removed, deactivated): use their first.
        if (isApiError(err) && err.code === 'FORBIDDEN' && chosenOrganization()) {
          chooseOrganization(null);
          return call(api.GET('/me'));
        }
        throw err;
      }
    },
    retry: (failures, err) => !(isApiError(err) && (err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN')) && failures < 2,
    staleTime: 5 * 60_000,
  });
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const actor = useMemo<Actor>(() => ({ orgId: me.organization.id, userId: me.user.id, role: me.role }), [me]);
  const switchOrganization = useCallback(
    (orgId: string) => {
      chooseOrganization(orgId);
      // Everything shown belongs to the other organization: start over.
      queryClient.clear();
      window.history.pushState(null, '', '/app/');
      window.dispatchEvent(new PopStateEvent('popstate'));
    },
    [queryClient],
  );
  const signOut = useCallback(async () => {
    await call(api.DELETE('/session')).catch(() => undefined);
    chooseOrganization(null);
    queryClient.clear();
    window.location.assign('/app/');
  }, [api, queryClient]);
  const value = useMemo<SessionValue>(
    () => ({
      me,
      actor,
      canWrite: canWrite(actor),
      canChangeDeal: (ownerId) => canWriteOwned(actor, ownerId),
      seesTeam: seesAllDealsAndActivities(actor),
      isAdmin: isAdmin(actor),
      switchOrganization,
      signOut,
    }),
    [me, actor, switchOrganization, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
