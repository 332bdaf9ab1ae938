// Webhooks (admins): the endpoints customers' systems receive signed events at, each with its
// health, the events it takes, a test event, secret rotation and the delivery log (every attempt's
// status code, time taken and error) with redelivery.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { webhookEventTypes } from '../../../core/webhooks/events.ts';
import type { components } from '../../api-client/openapi.d.ts';
import { call, useApi } from '../api.ts';
import { dateTime, relativeDay } from '../format.ts';
import { Badge, Button, Dialog, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import { CopyLink } from './invitations-settings.tsx';
import { useSettingsMutation } from './settings-data.ts';
import './webhooks-settings.css';

type Endpoint = components['schemas']['WebhookEndpoint'];
type Delivery = components['schemas']['WebhookDelivery'];
type EventType = Endpoint['eventTypes'][number];

const keys = { endpoints: ['webhooks'] as const, deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const };

/** Health as the admin reads it: working, failing since when (and why), or disabled and why. */
export function HealthBadge({ item }: { item: Pick<Endpoint, 'status' | 'failingSince' | 'lastError' | 'disabledReason'> }) {
  if (item.status === 'active') return <Badge tone="success">Working</Badge>;
  if (item.status === 'failing') return <Badge tone="warning" title={item.lastError ?? undefined}>Failing since {relativeDay(item.failingSince!)}</Badge>;
  return <Badge tone="danger" title={item.disabledReason ?? undefined}>Disabled</Badge>;
}

/** Checkboxes of the events something receives. */
export function EventPicker({ value, onChange, legend }: { value: EventType[]; onChange: (v: EventType[]) => void; legend: string }) {
  return (
    <fieldset className="event-picker">
      <legend>{legend}</legend>
      {webhookEventTypes.map((type) => (
        <label key={type} className="checkbox">
          <input type="checkbox" checked={value.includes(type)} onChange={(e) => onChange(e.target.checked ? [...value, type] : value.filter((v) => v !== type))} />
          <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

export function WebhooksSettings() {
  const api = useApi();
  const list = useQuery({ queryKey: keys.endpoints, queryFn: async () => (await call(api.GET('/webhooks'))).data, refetchInterval: 10_000 });
  const [form, setForm] = useState({ name: '', url: '', eventTypes: ['deal.created', 'deal.stage_changed', 'deal.closed_won'] as EventType[] });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const create = useSettingsMutation(() => call(api.POST('/webhooks', { body: form })), {
    refresh: [keys.endpoints],
    onSuccess: (e) => {
      setSecret({ name: e.name, secret: e.secret });
      setForm({ ...form, name: '', url: '' });
    },
  });
  const test = useSettingsMutation((e: Endpoint) => call(api.POST('/webhooks/{id}/test', { params: { path: { id: e.id } } })), {
    refresh: [keys.endpoints, ['webhooks']],
    success: (r, e) => (r.delivered ? `${e.name} answered ${r.attempt.statusCode} in ${r.attempt.durationMs} ms` : `${e.name} did not accept the test event: ${r.attempt.error ?? r.attempt.statusCode}`),
  });
  const rotate = useSettingsMutation((e: Endpoint) => call(api.POST('/webhooks/{id}/rotate-secret', { params: { path: { id: e.id } }, body: { overlapHours: 24 } })), {
    refresh: [keys.endpoints],
    onSuccess: (r, e) => setSecret({ name: e.name, secret: r.secret }),
  });
  const toggle = useSettingsMutation((e: Endpoint) => call(api.PATCH('/webhooks/{id}', { params: { path: { id: e.id } }, body: { enabled: !e.enabled } })), {
    refresh: [keys.endpoints],
    success: (r) => (r.enabled ? `${r.name} is enabled: held deliveries go out now` : `${r.name} is paused`),
  });
  const remove = useSettingsMutation((e: Endpoint) => call(api.DELETE('/webhooks/{id}', { params: { path: { id: e.id } } })), {
    refresh: [keys.endpoints],
    success: (_r, e) => `${e.name} was deleted`,
    onSuccess: () => setDeleting(null),
  });
  const endpoints = list.data ?? [];
  return (
    <section className="settings-section" aria-labelledby="webhooks-title">
      <header className="settings-section-header">
        <div>
          <h2 id="webhooks-title">Webhooks</h2>
          <p>
            Your own systems receive deal, contact, email, task and member events as signed JSON (<a href="/api/v1/docs">Standard Webhooks</a>: verify the{' '}
            <code>webhook-signature</code> header with the endpoint's secret). Failed deliveries are retried for about three days, in order for each record.
          </p>
        </div>
      </header>
      <form className="stacked-form" aria-label="Add a webhook endpoint" onSubmit={(e) => { e.preventDefault(); create.mutate(undefined); }}>
        <div className="inline-form">
          <input aria-label="Endpoint name" placeholder="Name, e.g. Billing system" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <input aria-label="Endpoint URL" placeholder="https://example.com/hooks/crm" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
          <Button kind="primary" type="submit" icon="plus" busy={create.isPending} disabled={!form.name.trim() || !form.url.trim() || form.eventTypes.length === 0}>Add endpoint</Button>
        </div>
        <EventPicker legend="Events it receives" value={form.eventTypes} onChange={(eventTypes) => setForm({ ...form, eventTypes })} />
      </form>
      {secret && (
        <div className="callout callout-success" role="status">
          <strong>Signing secret of “{secret.name}”</strong>
          <p>Give it to the receiving system to verify our signatures. After a rotation the old secret keeps signing for 24 hours too.</p>
          <CopyLink url={secret.secret} label={`Signing secret of ${secret.name}`} />
          <Button kind="ghost" onClick={() => setSecret(null)}>Done</Button>
        </div>
      )}
      {list.isPending ? (
        <Skeleton lines={3} height={20} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints" icon="link">Add one above to send events to another system.</EmptyState>
      ) : (
        <ul className="endpoint-list">
          {endpoints.map((e) => (
            <li key={e.id} className="endpoint">
              <div className="endpoint-head">
                <div>
                  <strong>{e.name}</strong> <HealthBadge item={e} />
                  <div className="endpoint-url"><code>{e.url}</code></div>
                  <div className="muted">{e.eventTypes.join(', ')}</div>
                  {e.status !== 'active' && <div className="endpoint-error">{e.disabledReason ?? e.lastError}</div>}
                </div>
                <div className="actions">
                  <Button kind="ghost" busy={test.isPending && test.variables?.id === e.id} onClick={() => test.mutate(e)}>Send test event</Button>
                  <Button kind="ghost" onClick={() => rotate.mutate(e)}>Rotate secret</Button>
                  <Button kind="ghost" onClick={() => toggle.mutate(e)}>{e.enabled ? 'Pause' : 'Enable'}</Button>
                  <Button kind="ghost" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>Delivery log</Button>
                  <Button kind="ghost" onClick={() => setDeleting(e)}>Delete</Button>
                </div>
              </div>
              {open === e.id && <DeliveryLog endpointId={e.id} />}
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={!!deleting}
        title={`Delete ${deleting?.name ?? ''}?`}
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button kind="danger" busy={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>Delete endpoint</Button>
          </>
        }
      >
        <p>Nothing more is sent to it, and its delivery log is deleted. To stop for a while, pause it instead.</p>
      </Dialog>
    </section>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const log = useQuery({
    queryKey: keys.deliveries(endpointId),
    queryFn: async () => (await call(api.GET('/webhooks/{id}/deliveries', { params: { path: { id: endpointId }, query: { limit: 25 } } }))).data,
    refetchInterval: 5000,
  });
  const redeliver = useSettingsMutation((d: Delivery) => call(api.POST('/webhooks/deliveries/{id}/redeliver', { params: { path: { id: d.id } } })), {
    refresh: [keys.deliveries(endpointId)],
    success: (_r, d) => `${d.type} is queued to be sent again`,
  });
  if (log.isPending) return <Skeleton lines={3} height={18} />;
  if (log.isError) return <ErrorState error={log.error} retry={() => void log.refetch()} />;
  if (log.data.length === 0) return <p className="muted">Nothing sent yet. Send a test event, or wait for a change.</p>;
  return (
    <table className="settings-table delivery-log" aria-label="Delivery log">
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts (newest first)</th>
          <th scope="col">Created</th>
          <th scope="col"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {log.data.map((d) => (
          <tr key={d.id}>
            <th scope="row"><code>{d.type}</code></th>
            <td>
              {d.status === 'delivered' ? <Badge tone="success">Delivered</Badge> : d.status === 'failed' ? <Badge tone="danger">Given up</Badge> : <Badge tone="info">{d.attempts ? `Retrying ${d.nextAttemptAt ? relativeDay(d.nextAttemptAt) : ''}` : 'Queued'}</Badge>}
            </td>
            <td>
              <ul className="attempts">
                {d.attemptLog.map((a, i) => (
                  <li key={i} title={a.responseBody ?? undefined}>
                    <span className={a.statusCode && a.statusCode < 300 ? 'ok' : 'failed'}>{a.statusCode ?? 'no answer'}</span> · {a.durationMs} ms · {dateTime(a.attemptedAt)}
                    {a.error ? ` · ${a.error}` : ''}
                  </li>
                ))}
              </ul>
            </td>
            <td>{dateTime(d.createdAt)}</td>
            <td className="actions">{d.status !== 'pending' && <Button kind="ghost" onClick={() => redeliver.mutate(d)}>Redeliver</Button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
