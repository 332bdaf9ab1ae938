// Your API keys: create one (the key is shown once, then only its prefix), revoke one. Everyone
// manages their own; a key acts as the person who made it, with their role.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call, useApi } from '../api.ts';
import { day, relativeDay } from '../format.ts';
import { Badge, Button, Dialog, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import type { ApiKey } from '../types.ts';
import { CopyLink } from './invitations-settings.tsx';
import { settingsKeys, useSettingsMutation } from './settings-data.ts';

export function ApiKeysSettings() {
  const api = useApi();
  const list = useQuery({ queryKey: settingsKeys.apiKeys, queryFn: async () => (await call(api.GET('/api-keys'))).data });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useSettingsMutation((n: string) => call(api.POST('/api-keys', { body: { name: n } })), {
    refresh: [settingsKeys.apiKeys],
    onSuccess: (key) => {
      setCreated(key);
      setName('');
    },
  });
  const revoke = useSettingsMutation((k: ApiKey) => call(api.DELETE('/api-keys/{id}', { params: { path: { id: k.id } } })), {
    refresh: [settingsKeys.apiKeys],
    success: (_r, k) => `${k.name} was revoked: programs using it are refused from now on`,
    onSuccess: () => setRevoking(null),
  });
  const keysList = list.data ?? [];
  return (
    <section className="settings-section" aria-labelledby="api-keys-title">
      <header className="settings-section-header">
        <div>
          <h2 id="api-keys-title">API keys</h2>
          <p>For scripts and integrations: a key acts as you, with your role. Send it as <code>Authorization: Bearer crm_…</code>.</p>
        </div>
      </header>
      <form className="inline-form" aria-label="Create an API key" onSubmit={(e) => { e.preventDefault(); if (name.trim()) create.mutate(name.trim()); }}>
        <input aria-label="Key name" placeholder="What it is for, e.g. Zapier" value={name} onChange={(e) => setName(e.target.value)} />
        <Button kind="primary" type="submit" icon="plus" busy={create.isPending} disabled={!name.trim()}>Create key</Button>
      </form>
      {created?.key && (
        <div className="callout callout-success" role="status">
          <strong>Your new key "{created.name}"</strong>
          <p>Copy it now: it is shown only once. Only its first characters are kept to recognise it.</p>
          <CopyLink url={created.key} label={`API key ${created.name}`} />
          <Button kind="ghost" onClick={() => setCreated(null)}>I have copied it</Button>
        </div>
      )}
      {list.isPending ? (
        <Skeleton lines={3} height={20} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : keysList.length === 0 ? (
        <EmptyState title="No API keys" icon="link">Create one above when a script or another tool needs to reach your CRM.</EmptyState>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {keysList.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'row-muted' : undefined}>
                <th scope="row">{k.name}</th>
                <td><code>{k.prefix}…</code></td>
                <td>{day(k.createdAt.slice(0, 10))}</td>
                <td>{k.lastUsedAt ? relativeDay(k.lastUsedAt) : 'Never'}</td>
                <td className="actions">
                  {k.revokedAt ? <Badge tone="neutral">Revoked {day(k.revokedAt.slice(0, 10))}</Badge> : <Button kind="ghost" onClick={() => setRevoking(k)}>Revoke</Button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog
        open={!!revoking}
        title={`Revoke ${revoking?.name ?? ''}?`}
        onClose={() => setRevoking(null)}
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button kind="danger" busy={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>Revoke key</Button>
          </>
        }
      >
        <p>Anything using this key stops working at once. This cannot be undone; you can create a new key.</p>
      </Dialog>
    </section>
  );
}
