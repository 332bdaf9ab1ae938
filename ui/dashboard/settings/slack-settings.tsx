// Slack (admins): channels connected through incoming webhooks, each with the notification kinds it
// posts (deals at risk with their reasons, new and won deals…; the catalogue of
// core/notify/preferences.ts, gated by the notification defaults), a test message, and the health
// Slack reports: a revoked URL or an archived channel shows as disabled with Slack's own error.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { notificationCatalogue, slackKinds } from '../../../core/notify/preferences.ts';
import type { components } from '../../api-client/openapi.d.ts';
import { call, useApi } from '../api.ts';
import { Button, Dialog, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import { useSettingsMutation } from './settings-data.ts';
import { HealthBadge } from './webhooks-settings.tsx';

type Connection = components['schemas']['SlackConnection'];
type Kind = Connection['kinds'][number];

/** Checkboxes of the notification kinds a channel posts. */
function KindPicker({ value, onChange, legend }: { value: Kind[]; onChange: (v: Kind[]) => void; legend: string }) {
  return (
    <fieldset className="event-picker">
      <legend>{legend}</legend>
      {(slackKinds as readonly Kind[]).map((kind) => (
        <label key={kind} className="checkbox">
          <input type="checkbox" checked={value.includes(kind)} onChange={(e) => onChange(e.target.checked ? [...value, kind] : value.filter((v) => v !== kind))} />
          {notificationCatalogue[kind].label}
        </label>
      ))}
    </fieldset>
  );
}

const kindLabel = (kind: Kind) => notificationCatalogue[kind].label;

const listKey = ['slack-connections'] as const;

export function SlackSettings() {
  const api = useApi();
  const list = useQuery({ queryKey: listKey, queryFn: async () => (await call(api.GET('/slack/connections'))).data, refetchInterval: 10_000 });
  const [form, setForm] = useState({ channel: '', url: '', kinds: ['deal_high_risk', 'deal_won'] as Kind[] });
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const create = useSettingsMutation(() => call(api.POST('/slack/connections', { body: form })), {
    refresh: [listKey],
    success: (c) => `${c.channel} is connected: send a test message to check`,
    onSuccess: () => setForm({ ...form, channel: '', url: '' }),
  });
  const test = useSettingsMutation((c: Connection) => call(api.POST('/slack/connections/{id}/test', { params: { path: { id: c.id } } })), {
    refresh: [listKey],
    success: (r, c) => (r.delivered ? `Test message posted to ${c.channel}` : `Slack refused the message for ${c.channel}: ${r.attempt.error ?? r.attempt.statusCode}`),
  });
  const toggle = useSettingsMutation((c: Connection) => call(api.PATCH('/slack/connections/{id}', { params: { path: { id: c.id } }, body: { enabled: !c.enabled } })), {
    refresh: [listKey],
    success: (r) => (r.enabled ? `${r.channel} is enabled` : `${r.channel} is paused`),
  });
  const remove = useSettingsMutation((c: Connection) => call(api.DELETE('/slack/connections/{id}', { params: { path: { id: c.id } } })), {
    refresh: [listKey],
    success: (_r, c) => `${c.channel} was disconnected`,
    onSuccess: () => setDeleting(null),
  });
  const connections = list.data ?? [];
  return (
    <section className="settings-section" aria-labelledby="slack-title">
      <header className="settings-section-header">
        <div>
          <h2 id="slack-title">Slack</h2>
          <p>
            Post deal alerts to your team's channels. In Slack, add an <em>Incoming Webhook</em> to the channel (Slack app settings → Incoming Webhooks), then paste its URL
            here. Messages show the deal, its value, stage, owner, risk reasons and a link to it.
          </p>
        </div>
      </header>
      <form className="stacked-form" aria-label="Connect a Slack channel" onSubmit={(e) => { e.preventDefault(); create.mutate(undefined); }}>
        <div className="inline-form">
          <input aria-label="Channel" placeholder="#sales-alerts" value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })} />
          <input aria-label="Incoming webhook URL" placeholder="https://hooks.slack.com/services/…" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
          <Button kind="primary" type="submit" icon="plus" busy={create.isPending} disabled={!form.channel.trim() || !form.url.trim() || form.kinds.length === 0}>Connect</Button>
        </div>
        <KindPicker legend="What it posts" value={form.kinds} onChange={(kinds) => setForm({ ...form, kinds })} />
        <p className="muted">Notification defaults decide whether Slack gets a kind at all, for every channel.</p>
      </form>
      {list.isPending ? (
        <Skeleton lines={3} height={20} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : connections.length === 0 ? (
        <EmptyState title="No Slack channels" icon="link">Connect one above to get at-risk deals where your team talks.</EmptyState>
      ) : (
        <ul className="endpoint-list">
          {connections.map((c) => (
            <li key={c.id} className="endpoint">
              <div className="endpoint-head">
                <div>
                  <strong>{c.channel}</strong> <HealthBadge item={c} />
                  <div className="endpoint-url"><code>{c.url}</code></div>
                  <div className="muted">{c.kinds.map(kindLabel).join(' · ')}</div>
                  {c.status !== 'active' && (
                    <div className="endpoint-error">
                      {c.lastError ? `Slack answered “${c.lastError}”. ` : ''}
                      {c.status === 'disabled' && c.lastError ? 'Create a new incoming webhook for the channel and connect it again.' : c.disabledReason}
                    </div>
                  )}
                </div>
                <div className="actions">
                  <Button kind="ghost" busy={test.isPending && test.variables?.id === c.id} onClick={() => test.mutate(c)}>Send test message</Button>
                  <Button kind="ghost" onClick={() => toggle.mutate(c)}>{c.enabled ? 'Pause' : 'Enable'}</Button>
                  <Button kind="ghost" onClick={() => setDeleting(c)}>Disconnect</Button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={!!deleting}
        title={`Disconnect ${deleting?.channel ?? ''}?`}
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button kind="danger" busy={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>Disconnect</Button>
          </>
        }
      >
        <p>Nothing more is posted to this channel. You can connect it again with its webhook URL.</p>
      </Dialog>
    </section>
  );
}
