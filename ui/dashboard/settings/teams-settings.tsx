// Teams (admins): create, rename, delete. A manager in a team sees that team's deals and reports;
// members join a team from Members.
import { useState, type FormEvent } from 'react';
import { call, useApi } from '../api.ts';
import { count } from '../format.ts';
import { keys, useTeams } from '../queries.ts';
import { Button, EmptyState, ErrorState, IconButton, Skeleton } from '../shell/ui.tsx';
import type { Team } from '../types.ts';
import { useSettingsMutation } from './settings-data.ts';

function TeamRow({ team }: { team: Team }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(team.name);
  const rename = useSettingsMutation((n: string) => call(api.PATCH('/teams/{id}', { params: { path: { id: team.id } }, body: { name: n } })), {
    refresh: [keys.teams],
    success: (_r, n) => `Renamed to ${n}`,
    onSuccess: () => setEditing(false),
  });
  const remove = useSettingsMutation(() => call(api.DELETE('/teams/{id}', { params: { path: { id: team.id } } })), {
    refresh: [keys.teams, keys.members],
    success: () => `${team.name} was deleted; its members have no team now`,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && name.trim() !== team.name) rename.mutate(name.trim());
    else setEditing(false);
  };
  return (
    <li className="list-row">
      {editing ? (
        <form className="inline-form compact" onSubmit={submit}>
          <input aria-label={`New name for ${team.name}`} value={name} autoFocus onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)} />
          <Button kind="primary" type="submit" busy={rename.isPending}>Save</Button>
          <Button onClick={() => { setName(team.name); setEditing(false); }}>Cancel</Button>
        </form>
      ) : (
        <>
          <div className="list-row-main">
            <strong>{team.name}</strong>
            <span>{count(team.members, 'active member')}</span>
          </div>
          <IconButton icon="edit" label={`Rename ${team.name}`} onClick={() => setEditing(true)} />
          <IconButton icon="trash" label={`Delete ${team.name}`} disabled={remove.isPending} onClick={() => remove.mutate(undefined)} />
        </>
      )}
    </li>
  );
}

export function TeamsSettings() {
  const api = useApi();
  const teams = useTeams();
  const [name, setName] = useState('');
  const create = useSettingsMutation((n: string) => call(api.POST('/teams', { body: { name: n } })), {
    refresh: [keys.teams],
    success: (t) => `Team ${t.name} created. Add members to it from Members.`,
    onSuccess: () => setName(''),
  });
  return (
    <section className="settings-section" aria-labelledby="teams-title">
      <header className="settings-section-header">
        <div>
          <h2 id="teams-title">Teams</h2>
          <p>A manager in a team sees that team's deals, reports and activity.</p>
        </div>
      </header>
      <form className="inline-form" aria-label="Create a team" onSubmit={(e) => { e.preventDefault(); if (name.trim()) create.mutate(name.trim()); }}>
        <input aria-label="Team name" placeholder="Team name, e.g. EMEA" value={name} onChange={(e) => setName(e.target.value)} />
        <Button kind="primary" type="submit" icon="plus" busy={create.isPending} disabled={!name.trim()}>Create team</Button>
      </form>
      {teams.isPending ? (
        <Skeleton lines={3} height={20} />
      ) : teams.isError ? (
        <ErrorState error={teams.error} retry={() => void teams.refetch()} />
      ) : teams.data.length === 0 ? (
        <EmptyState title="No teams yet" icon="companies">Create one above, then put members in it, so their manager sees the team's deals.</EmptyState>
      ) : (
        <ul className="settings-list">
          {teams.data.map((t) => (
            <TeamRow key={t.id} team={t} />
          ))}
        </ul>
      )}
    </section>
  );
}
