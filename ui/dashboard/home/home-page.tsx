// Home, per role. A rep: their tasks due today and overdue, their deals at risk, their
// notifications. A manager (and admin, readonly): the team's deals at risk with the reasons, this
// month's forecast, and each rep's activity this week.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { call, useApi } from '../api.ts';
import { count, dateTime, money, relativeDay } from '../format.ts';
import { keys, useMembers } from '../queries.ts';
import { useSession } from '../session.tsx';
import { Icon } from '../shell/icons.tsx';
import { Button, EmptyState, ErrorState, PageHeader, Skeleton } from '../shell/ui.tsx';
import type { components } from '../../api-client/openapi.d.ts';
import type { Deal } from '../types.ts';
import { OnboardingChecklist } from '../onboarding/onboarding-checklist.tsx';

// The report routes answer JSON or CSV (format=csv); without format they answer JSON.
type ForecastReport = components['schemas']['ForecastReport'];
type ActivityCountsReport = components['schemas']['ActivityCountsReport'];

function greeting(now = new Date()) {
  const h = now.getHours();
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening';
}

/** Monday 00:00 of this week, local time. */
export function startOfWeek(now = new Date()): Date {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

export function HomePage() {
  const { me, seesTeam } = useSession();
  return (
    <div className="page">
      <PageHeader title={`${greeting()}, ${me.user.name.split(' ')[0]}`} subtitle={seesTeam ? "Your team's pipeline at a glance." : 'What needs you today.'} actions={<Link href="/board" className="btn btn-primary">Open the pipeline</Link>} />
      <OnboardingChecklist />
      {seesTeam ? (
        <div className="home-grid">
          <div className="home-col">
            <ForecastCard />
            <ActivityCard />
          </div>
          <div className="home-col">
            <AtRiskCard scope="team" />
            <NotificationsCard />
          </div>
        </div>
      ) : (
        <div className="home-grid">
          <div className="home-col">
            <TasksCard />
            <NotificationsCard />
          </div>
          <div className="home-col">
            <AtRiskCard scope="me" />
          </div>
        </div>
      )}
    </div>
  );
}

function Card({ title, children, action }: { title: string; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <section className="card-panel" aria-label={title}>
      <header><h2>{title}</h2>{action}</header>
      {children}
    </section>
  );
}

function TasksCard() {
  const api = useApi();
  const { me } = useSession();
  const endOfToday = new Date();
  endOfToday.setHours(23, 59, 59, 999);
  const tasks = useQuery({
    queryKey: [...keys.tasks, 'home', me.user.id],
    queryFn: async () => (await call(api.GET('/tasks', { params: { query: { status: 'open', ownerId: me.user.id, dueBefore: endOfToday.toISOString(), limit: 50 } } }))).data,
  });
  const now = new Date().toISOString();
  const overdue = tasks.data?.filter((t) => t.dueAt && t.dueAt < now) ?? [];
  return (
    <Card title="Tasks due today and overdue">
      {tasks.isPending ? <Skeleton lines={3} /> : tasks.isError ? <ErrorState error={tasks.error} retry={() => void tasks.refetch()} /> : tasks.data.length === 0 ? (
        <EmptyState icon="task" title="Nothing due today">Tasks you add from the inbox sidebar show here on the day they are due.</EmptyState>
      ) : (
        <>
          {overdue.length > 0 && <p className="overdue">{count(overdue.length, 'task')} overdue</p>}
          <ul className="plain-list">
            {tasks.data.map((t) => (
              <li key={t.id}>
                <Icon name="task" size={15} /> {t.dealIds[0] ? <Link href={`/deals/${t.dealIds[0]}`}>{t.subject ?? 'Task'}</Link> : (t.subject ?? 'Task')}
                {t.dueAt && <span className={t.dueAt < now ? 'overdue' : 'muted'}> · due {relativeDay(t.dueAt)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function AtRiskCard({ scope }: { scope: 'me' | 'team' }) {
  const api = useApi();
  const list = useQuery({ queryKey: [...keys.atRisk, scope], queryFn: async () => (await call(api.GET('/deals/at-risk', { params: { query: { scope, minBand: 'medium', limit: 8 } } }))).data });
  return (
    <Card title={scope === 'team' ? "Team's deals at risk" : 'Your deals at risk'} action={<Link href="/board?risk=high&sort=risk">All high-risk deals</Link>}>
      {list.isPending ? <Skeleton lines={4} /> : list.isError ? <ErrorState error={list.error} retry={() => void list.refetch()} /> : list.data.length === 0 ? (
        <EmptyState icon="check" title="No deal at risk">Every open deal is in the low band. Risk is recomputed as emails come and go.</EmptyState>
      ) : (
        <ul className="risk-list">{list.data.map((d) => <AtRiskRow key={d.id} deal={d} showOwner={scope === 'team'} />)}</ul>
      )}
    </Card>
  );
}

function AtRiskRow({ deal, showOwner }: { deal: Deal; showOwner: boolean }) {
  const risk = deal.risk!;
  return (
    <li>
      <span className={`risk risk-${risk.band}`}><span className="sr-only">Risk </span>{risk.score}<span className="sr-only"> of 100</span></span>
      <div>
        <Link href={`/board?deal=${deal.id}`} className="strong-link">{deal.name}</Link>
        <span className="muted"> · {money(deal.valueCents, deal.currency)} · {deal.stageInfo.name}{showOwner && deal.owner ? ` · ${deal.owner.name}` : ''}</span>
        {risk.reasons[0] && <div className="small">{risk.reasons[0].sentence}</div>}
        <div className="small muted">Next: {risk.nextAction.sentence}</div>
      </div>
    </li>
  );
}

function ForecastCard() {
  const api = useApi();
  const forecast = useQuery({ queryKey: [...keys.reports, 'home-forecast'], queryFn: async () => (await call(api.GET('/reports/forecast', { params: { query: { scope: 'team' } } }))) as ForecastReport });
  const month = new Date().toISOString().slice(0, 7);
  const thisMonth = forecast.data?.months.find((m) => m.month === month);
  const cur = forecast.data?.currency ?? 'USD';
  return (
    <Card title="This month's forecast" action={<Link href="/reports">Reports</Link>}>
      {forecast.isPending ? <Skeleton lines={3} /> : forecast.isError ? <ErrorState error={forecast.error} retry={() => void forecast.refetch()} /> : (
        <div className="stats">
          <div className="stat"><span className="stat-label">Won so far</span><strong>{money(thisMonth?.wonValueCents ?? 0, cur)}</strong></div>
          <div className="stat"><span className="stat-label">Weighted pipeline</span><strong>{money(thisMonth?.weightedValueCents ?? 0, cur)}</strong></div>
          <div className="stat"><span className="stat-label">Risk-adjusted</span><strong>{money(thisMonth?.adjustedValueCents ?? 0, cur)}</strong></div>
          <div className="stat"><span className="stat-label">Closing this month</span><strong>{count(thisMonth?.deals ?? 0, 'deal')}</strong><span className="muted small"> {money(thisMonth?.valueCents ?? 0, cur)}</span></div>
          {forecast.data.overdue.deals > 0 && <p className="small overdue">{count(forecast.data.overdue.deals, 'deal')} past their close date ({money(forecast.data.overdue.valueCents, cur)}).</p>}
        </div>
      )}
    </Card>
  );
}

function ActivityCard() {
  const api = useApi();
  const members = useMembers();
  const from = startOfWeek().toISOString();
  const activity = useQuery({ queryKey: [...keys.reports, 'home-activity', from], queryFn: async () => (await call(api.GET('/reports/activity-counts', { params: { query: { scope: 'team', from } } }))) as ActivityCountsReport });
  const name = (id: string | null) => (id ? members.data?.find((m) => m.userId === id)?.name ?? 'Former member' : 'No owner');
  const rows = [...(activity.data?.rows ?? [])].sort((a, b) => b.total - a.total);
  const max = Math.max(1, ...rows.map((r) => r.total));
  return (
    <Card title="Activity per rep this week">
      {activity.isPending ? <Skeleton lines={4} /> : activity.isError ? <ErrorState error={activity.error} retry={() => void activity.refetch()} /> : rows.length === 0 ? (
        <EmptyState icon="mail" title="No activity yet this week">Emails, calls, meetings and notes logged from the inbox are counted here.</EmptyState>
      ) : (
        <table className="table compact">
          <thead><tr><th scope="col">Rep</th><th scope="col" className="num">Emails</th><th scope="col" className="num">Calls</th><th scope="col" className="num">Meetings</th><th scope="col" className="num">Total</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.ownerId ?? 'none'}>
                <td>{name(r.ownerId)}</td>
                <td className="num">{r.email}</td>
                <td className="num">{r.call}</td>
                <td className="num">{r.meeting}</td>
                <td className="num"><span className="bar" style={{ width: `${(r.total / max) * 60}px` }} aria-hidden="true" /> {r.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function NotificationsCard() {
  const api = useApi();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys.notifications, queryFn: () => call(api.GET('/notifications', { params: { query: { limit: 8 } } })) });
  const read = useMutation({
    mutationFn: (id: string) => call(api.POST('/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });
  const items = list.data?.data ?? [];
  return (
    <Card title="Notifications">
      {list.isPending ? <Skeleton lines={3} /> : list.isError ? <ErrorState error={list.error} retry={() => void list.refetch()} /> : items.length === 0 ? (
        <EmptyState icon="bell" title="You are all caught up">Alerts about deals turning risky and first opens of tracked emails show here.</EmptyState>
      ) : (
        <ul className="notifications">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
              <Icon name={n.kind === 'email_opened' ? 'eye' : 'warning'} size={15} />
              <div>
                {n.dealId ? <Link href={`/board?deal=${n.dealId}`}>{n.title}</Link> : n.title}
                {n.body && <div className="small muted">{n.body}</div>}
                <div className="small muted">{dateTime(n.createdAt)}</div>
              </div>
              {!n.readAt && <Button kind="ghost" onClick={() => read.mutate(n.id)} aria-label={`Mark “${n.title}” as read`}>Mark read</Button>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
