// Notifications: each member chooses which kinds reach them on which channel (the bell, a browser
// notification, email); admins set the organization's defaults, Slack included (a member cannot
// change the organization's Slack). One table for both, read from /notification-preferences.
import { useQuery } from '@tanstack/react-query';
import { call, useApi } from '../api.ts';
import { ErrorState, Skeleton } from '../shell/ui.tsx';
import { useSettingsMutation } from './settings-data.ts';

const channelLabels = { in_app: 'In the app', browser: 'Browser', email: 'Email', slack: 'Slack' } as const;
type ChannelId = keyof typeof channelLabels;
const channelOrder: ChannelId[] = ['in_app', 'browser', 'email', 'slack'];

const keys = { mine: ['settings', 'notifications'] as const, defaults: ['settings', 'notification-defaults'] as const };

function PreferencesTable({ scope }: { scope: 'member' | 'organization' }) {
  const api = useApi();
  const path = scope === 'member' ? '/notification-preferences' : '/notification-preferences/defaults';
  const key = scope === 'member' ? keys.mine : keys.defaults;
  const prefs = useQuery({ queryKey: key, queryFn: () => call(api.GET(path)) });
  const save = useSettingsMutation(
    (body: { preferences: Record<string, Record<string, boolean>> }) => call(api.PATCH(path, { body: body as never })),
    { refresh: [keys.mine, keys.defaults], success: () => (scope === 'member' ? 'Your notifications are saved' : 'The organization’s defaults are saved') },
  );
  if (prefs.isPending) return <Skeleton lines={6} height={20} />;
  if (prefs.isError) return <ErrorState error={prefs.error} retry={() => void prefs.refetch()} />;
  const shown = channelOrder.filter((ch) => ch !== 'slack' || scope === 'organization' || prefs.data.kinds.some((k) => k.channels.some((c) => c.channel === 'slack')));
  return (
    <table className="settings-table notification-table">
      <thead>
        <tr>
          <th scope="col">Notification</th>
          {shown.map((ch) => (
            <th key={ch} scope="col" className="center">
              {channelLabels[ch]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {prefs.data.kinds
          .filter((k) => k.applies)
          .map((k) => (
            <tr key={k.kind}>
              <th scope="row">{k.label}</th>
              {shown.map((ch) => {
                const c = k.channels.find((x) => x.channel === ch);
                if (!c) return <td key={ch} className="center muted" aria-label={`${channelLabels[ch]}: not offered`}>—</td>;
                // Slack is the admins' choice for the whole organization: members see it, read-only.
                const locked = scope === 'member' && c.organizationLevel;
                const label = `${k.label}: ${channelLabels[ch]}`;
                return (
                  <td key={ch} className="center">
                    <input
                      type="checkbox"
                      aria-label={label}
                      title={locked ? 'Set for the whole organization by its admins' : c.enabled === c.organizationDefault ? 'The organization’s default' : 'Changed from the organization’s default'}
                      checked={c.enabled}
                      disabled={locked || save.isPending}
                      onChange={(e) => save.mutate({ preferences: { [k.kind]: { [ch]: e.target.checked } } })}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
      </tbody>
    </table>
  );
}

export function MyNotificationsSettings() {
  return (
    <section className="settings-section" aria-labelledby="my-notifications-title">
      <header className="settings-section-header">
        <div>
          <h2 id="my-notifications-title">Notifications</h2>
          <p>What reaches you, and where. Browser notifications come from the Chrome extension and need “In the app” on. Every email also has a one-click unsubscribe link.</p>
        </div>
      </header>
      <PreferencesTable scope="member" />
    </section>
  );
}

export function NotificationDefaultsSettings() {
  return (
    <section className="settings-section" aria-labelledby="notification-defaults-title">
      <header className="settings-section-header">
        <div>
          <h2 id="notification-defaults-title">Notification defaults</h2>
          <p>What every member receives unless they chose otherwise, and which notifications go to the organization’s Slack connections.</p>
        </div>
      </header>
      <PreferencesTable scope="organization" />
    </section>
  );
}
