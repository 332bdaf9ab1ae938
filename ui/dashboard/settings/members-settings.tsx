// Members (admins): change a role or team, deactivate (they can no longer sign in to this
// organization; their deals and history stay) or reactivate, remove. The organization's last
// active admin is shown as such and offered none of the changes that would leave it without one.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call, useApi } from '../api.ts';
import { day } from '../format.ts';
import { keys, useTeams } from '../queries.ts';
import { useSession } from '../session.tsx';
import { Avatar, Badge, Button, Dialog, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import type { Member, Role } from '../types.ts';
import { roleHints, roleLabels, roles, useSettingsMutation } from './settings-data.ts';

/** The one active admin, if there is only one: the change that would remove them is not offered. */
export function soleAdminId(members: readonly Member[]): string | null {
  const admins = members.filter((m) => m.role === 'admin' && !m.deactivatedAt);
  return admins.length === 1 ? admins[0]!.userId : null;
}

export function MembersSettings() {
  const api = useApi();
  const { me } = useSession();
  const members = useQuery({ queryKey: keys.members, queryFn: async () => (await call(api.GET('/members'))).data });
  const teams = useTeams();
  const [removing, setRemoving] = useState<Member | null>(null);
  const refresh = [keys.members, keys.teams];
  const update = useSettingsMutation(
    (v: { member: Member; patch: { role?: Role; teamId?: string | null } }) => call(api.PATCH('/members/{userId}', { params: { path: { userId: v.member.userId } }, body: v.patch })),
    { refresh, success: (_r, v) => (v.patch.role ? `${v.member.name} is now ${roleLabels[v.patch.role].toLowerCase()}` : `${v.member.name}'s team changed`) },
  );
  const setActive = useSettingsMutation(
    (v: { member: Member; active: boolean }) =>
      v.active
        ? call(api.POST('/members/{userId}/reactivate', { params: { path: { userId: v.member.userId } } }))
        : call(api.POST('/members/{userId}/deactivate', { params: { path: { userId: v.member.userId } } })),
    { refresh, success: (_r, v) => (v.active ? `${v.member.name} can sign in again` : `${v.member.name} was deactivated`) },
  );
  const remove = useSettingsMutation((m: Member) => call(api.DELETE('/members/{userId}', { params: { path: { userId: m.userId } } })), {
    refresh,
    success: (_r, m) => `${m.name} was removed from the organization`,
    onSuccess: () => setRemoving(null),
  });

  if (members.isPending) return <Skeleton lines={6} height={20} />;
  if (members.isError) return <ErrorState error={members.error} retry={() => void members.refetch()} />;
  const list = members.data;
  const sole = soleAdminId(list);
  const busy = (m: Member) => (update.isPending && update.variables?.member.userId === m.userId) || (setActive.isPending && setActive.variables?.member.userId === m.userId);

  return (
    <section className="settings-section" aria-labelledby="members-title">
      <header className="settings-section-header">
        <div>
          <h2 id="members-title">Members</h2>
          <p>{list.filter((m) => !m.deactivatedAt).length} active of {list.length}. Invite people from Invitations.</p>
        </div>
      </header>
      {list.length === 0 ? (
        <EmptyState title="No members yet" icon="contacts">Invite your team from Invitations.</EmptyState>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => {
              const isSole = m.userId === sole;
              return (
                <tr key={m.userId} className={m.deactivatedAt ? 'row-muted' : undefined}>
                  <th scope="row">
                    <div className="person">
                      <Avatar name={m.name} size={30} />
                      <div>
                        <strong>{m.name}{m.userId === me.user.id ? ' (you)' : ''}</strong>
                        <span>{m.email}</span>
                      </div>
                    </div>
                  </th>
                  <td>
                    <select
                      aria-label={`Role of ${m.name}`}
                      value={m.role}
                      disabled={isSole || busy(m)}
                      title={isSole ? 'The only admin: make someone else an admin first' : roleHints[m.role]}
                      onChange={(e) => update.mutate({ member: m, patch: { role: e.target.value as Role } })}
                    >
                      {roles.map((r) => (
                        <option key={r} value={r}>{roleLabels[r]}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Team of ${m.name}`} value={m.teamId ?? ''} disabled={busy(m)} onChange={(e) => update.mutate({ member: m, patch: { teamId: e.target.value || null } })}>
                      <option value="">No team</option>
                      {(teams.data ?? []).map((t) => (
                        <option key={t.id} value={t.id}>{t.name}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {m.deactivatedAt ? <Badge tone="warning">Deactivated {day(m.deactivatedAt.slice(0, 10))}</Badge> : isSole ? <Badge tone="info">Only admin</Badge> : <Badge tone="success">Active</Badge>}
                  </td>
                  <td className="actions">
                    {!isSole && m.userId !== me.user.id && (
                      <>
                        {m.deactivatedAt ? (
                          <Button kind="secondary" busy={busy(m)} onClick={() => setActive.mutate({ member: m, active: true })}>Reactivate</Button>
                        ) : (
                          <Button kind="secondary" busy={busy(m)} onClick={() => setActive.mutate({ member: m, active: false })}>Deactivate</Button>
                        )}
                        <Button kind="ghost" icon="trash" aria-label={`Remove ${m.name}`} onClick={() => setRemoving(m)}>Remove</Button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Dialog
        open={!!removing}
        title={`Remove ${removing?.name ?? ''}?`}
        onClose={() => setRemoving(null)}
        footer={
          <>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button kind="danger" busy={remove.isPending} onClick={() => removing && remove.mutate(removing)}>Remove</Button>
          </>
        }
      >
        <p>They lose access to this organization. Their deals, contacts and activities stay, with no owner changes. To keep them out only for now, deactivate them instead.</p>
      </Dialog>
    </section>
  );
}
