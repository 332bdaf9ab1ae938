// The trash (admins): records deleted in the last 30 days, with who deleted them and until when
// they can be restored; restoring puts the record back where it was.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { trashTypes } from '../../../core/schemas/admin.ts';
import { call, useApi } from '../api.ts';
import { count, dateTime } from '../format.ts';
import { keys } from '../queries.ts';
import { Badge, Button, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import type { TrashItem } from '../types.ts';
import { settingsKeys, useSettingsMutation } from './settings-data.ts';

type TrashType = (typeof trashTypes)[number];
const typeLabels: Record<TrashType, string> = { deal: 'Deal', contact: 'Contact', company: 'Company', activity: 'Activity', task: 'Task' };

const daysLeft = (until: string, now = Date.now()) => {
  const days = Math.ceil((Date.parse(until) - now) / 86_400_000);
  return days <= 1 ? 'until tomorrow' : `for ${count(days, 'more day')}`;
};

export function TrashSettings() {
  const api = useApi();
  const [type, setType] = useState<TrashType | ''>('');
  const trash = useQuery({
    queryKey: settingsKeys.trash(type),
    queryFn: async () => (await call(api.GET('/trash', { params: { query: type ? { type } : {} } }))).data,
  });
  const restore = useSettingsMutation(
    (item: TrashItem): Promise<unknown> => {
      const path = { params: { path: { id: item.id } } };
      switch (item.type) {
        case 'deal':
          return call(api.POST('/deals/{id}/restore', path));
        case 'contact':
          return call(api.POST('/contacts/{id}/restore', path));
        case 'company':
          return call(api.POST('/companies/{id}/restore', path));
        case 'task':
          return call(api.POST('/tasks/{id}/restore', path));
        case 'activity':
          return call(api.POST('/activities/{id}/restore', path));
      }
    },
    {
      refresh: [settingsKeys.trashAll, keys.boardAll, keys.contacts, keys.companies, keys.tasks, keys.activities],
      success: (_r, item) => `${item.name} is back`,
    },
  );
  return (
    <section className="settings-section" aria-labelledby="trash-title">
      <header className="settings-section-header">
        <div>
          <h2 id="trash-title">Trash</h2>
          <p>Deleted deals, contacts, companies and activities stay here for 30 days, then they are gone for good.</p>
        </div>
        <label className="settings-filter">
          <span>Show</span>
          <select value={type} onChange={(e) => setType(e.target.value as TrashType | '')}>
            <option value="">Everything</option>
            {trashTypes.map((t) => <option key={t} value={t}>{typeLabels[t]}s</option>)}
          </select>
        </label>
      </header>
      {trash.isPending ? (
        <Skeleton lines={6} height={18} />
      ) : trash.isError ? (
        <ErrorState error={trash.error} retry={() => void trash.refetch()} />
      ) : trash.data.length === 0 ? (
        <EmptyState title="The trash is empty" icon="trash">Nothing was deleted in the last 30 days{type ? ` of this kind` : ''}.</EmptyState>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Kind</th>
              <th scope="col">Deleted</th>
              <th scope="col">Can be restored</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {trash.data.map((item) => (
              <tr key={`${item.type}-${item.id}`}>
                <th scope="row">{item.name}</th>
                <td><Badge>{typeLabels[item.type]}</Badge></td>
                <td>{dateTime(item.deletedAt)}{item.deletedBy ? ` by ${item.deletedBy.name}` : ''}</td>
                <td>{daysLeft(item.restorableUntil)}</td>
                <td className="actions">
                  <Button icon="restore" busy={restore.isPending && restore.variables?.id === item.id} onClick={() => restore.mutate(item)}>Restore</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
