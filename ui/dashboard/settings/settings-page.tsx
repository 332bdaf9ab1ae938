// Settings, one section per sub-route under /settings (nested in app.tsx). Admins run the
// organization here; everyone else gets only what is theirs to change (their API keys and their
// tracking default): what a role may not do is not offered, and the API refuses it anyway.
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useSession } from '../session.tsx';
import { Icon, type IconName } from '../shell/icons.tsx';
import { PageHeader } from '../shell/ui.tsx';
import { BillingSection } from '../billing/billing-page.tsx';
import { ApiKeysSettings } from './api-keys-settings.tsx';
import { AuditLogSettings } from './audit-log-settings.tsx';
import { InvitationsSettings } from './invitations-settings.tsx';
import { MembersSettings } from './members-settings.tsx';
import { MyNotificationsSettings, NotificationDefaultsSettings } from './notification-preferences.tsx';
import { PipelinesSettings } from './pipelines-settings.tsx';
import { RiskSettingsSection } from './risk-settings.tsx';
import './settings.css';
import { TeamsSettings } from './teams-settings.tsx';
import { TrackingSettingsSection } from './tracking-settings.tsx';
import { TrashSettings } from './trash-settings.tsx';
import { SlackSettings } from './slack-settings.tsx';
import { WebhooksSettings } from './webhooks-settings.tsx';
import { WorkflowsSettings } from '../automation/workflows-settings.tsx';

interface Section {
  path: string;
  label: string;
  icon: IconName;
  adminOnly: boolean;
  render: () => React.ReactNode;
}

const sections: Section[] = [
  { path: '/members', label: 'Members', icon: 'contacts', adminOnly: true, render: () => <MembersSettings /> },
  { path: '/invitations', label: 'Invitations', icon: 'mail', adminOnly: true, render: () => <InvitationsSettings /> },
  { path: '/teams', label: 'Teams', icon: 'companies', adminOnly: true, render: () => <TeamsSettings /> },
  { path: '/pipelines', label: 'Pipelines', icon: 'columns', adminOnly: true, render: () => <PipelinesSettings /> },
  { path: '/risk', label: 'Deal risk', icon: 'warning', adminOnly: true, render: () => <RiskSettingsSection /> },
  { path: '/notifications', label: 'Notifications', icon: 'mail', adminOnly: false, render: () => <MyNotificationsSettings /> },
  { path: '/notification-defaults', label: 'Notification defaults', icon: 'mail', adminOnly: true, render: () => <NotificationDefaultsSettings /> },
  { path: '/tracking', label: 'Email tracking', icon: 'eye', adminOnly: false, render: () => <TrackingSettingsSection /> },
  { path: '/api-keys', label: 'API keys', icon: 'link', adminOnly: false, render: () => <ApiKeysSettings /> },
  { path: '/workflows', label: 'Workflows', icon: 'board', adminOnly: true, render: () => <WorkflowsSettings /> },
  { path: '/webhooks', label: 'Webhooks', icon: 'link', adminOnly: true, render: () => <WebhooksSettings /> },
  { path: '/slack', label: 'Slack', icon: 'mail', adminOnly: true, render: () => <SlackSettings /> },
  { path: '/audit-log', label: 'Audit log', icon: 'clock', adminOnly: true, render: () => <AuditLogSettings /> },
  { path: '/trash', label: 'Trash', icon: 'trash', adminOnly: true, render: () => <TrashSettings /> },
  { path: '/billing', label: 'Billing', icon: 'reports', adminOnly: true, render: () => <BillingSection /> },
];

export function SettingsPage() {
  const { isAdmin } = useSession();
  const [location] = useLocation();
  const mine = sections.filter((s) => isAdmin || !s.adminOnly);
  return (
    <div className="page settings-page">
      <PageHeader title={isAdmin ? 'Settings' : 'Your settings'} subtitle={isAdmin ? 'Run your organization: people, pipelines, risk, tracking and what changed.' : 'Your API keys and how your email is tracked. An admin runs the rest.'} />
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          {mine.map((s) => (
            <Link key={s.path} href={s.path} className={`settings-nav-link${location === s.path ? ' active' : ''}`} aria-current={location === s.path ? 'page' : undefined}>
              <Icon name={s.icon} size={16} />
              {s.label}
            </Link>
          ))}
        </nav>
        <div className="settings-content">
          <Switch>
            {mine.map((s) => (
              <Route key={s.path} path={s.path}>
                {s.render()}
              </Route>
            ))}
            <Route>
              <Redirect to={mine[0]!.path} replace />
            </Route>
          </Switch>
        </div>
      </div>
    </div>
  );
}
