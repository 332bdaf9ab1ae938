// Every morning (07:00 UTC): each member with open tasks due today hears of them, and of the tasks
// that became overdue since yesterday's run (due yesterday, still open), so an overdue task is
// mentioned once, not every day. One notice per member and day; the dispatcher applies their
// preferences (email by default). Days are UTC days: members' own time zones are not known yet.
import { and, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import { activities, activityLinks, deals } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import type { NotificationChannel } from '../notifications/channel.ts';
import { dispatchNotice } from '../notifications/notify.service.ts';

const DAY_MS = 86_400_000;
const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

async function openTasksDue(s: Scope, from: Date, to: Date) {
  const tasks = await s.db
    .select({ id: activities.id, ownerId: activities.ownerId, subject: activities.subject, dueAt: activities.dueAt })
    .from(activities)
    .where(and(eq(activities.type, 'task'), isNull(activities.completedAt), isNull(activities.deletedAt), gte(activities.dueAt, from), lt(activities.dueAt, to)))
    .orderBy(activities.dueAt);
  // The deal a task is about, to say so in the reminder (the first one, if it names several).
  const links = tasks.length
    ? await s.db
        .select({ activityId: activityLinks.activityId, dealName: deals.name })
        .from(activityLinks)
        .innerJoin(deals, eq(deals.id, activityLinks.dealId))
        .where(and(inArray(activityLinks.activityId, tasks.map((t) => t.id)), isNull(deals.deletedAt)))
    : [];
  const dealOf = new Map(links.map((l) => [l.activityId, l.dealName]));
  return tasks.map((t) => ({ ...t, dealName: dealOf.get(t.id) ?? null }));
}

type TaskRow = Awaited<ReturnType<typeof openTasksDue>>[number];

const byOwner = (rows: TaskRow[]) => {
  const out = new Map<string, TaskRow[]>();
  for (const r of rows) if (r.ownerId) out.set(r.ownerId, [...(out.get(r.ownerId) ?? []), r]);
  return out;
};

export const taskRemindersJob = (channels: readonly NotificationChannel[]) =>
  defineJob({
    name: 'task-reminders',
    payload: OrgPayload,
    cron: '0 7 * * *',
    cronPayload: (orgId) => ({ orgId }),
    async run({ now, inOrg }) {
      const today = startOfUtcDay(now);
      const day = today.toISOString().slice(0, 10);
      return inOrg(async (s) => {
        const counts = { due: 0, overdue: 0 };
        for (const [kind, from, to, due] of [
          ['task_due', today, new Date(today.getTime() + DAY_MS), (t: TaskRow) => `today ${hhmm(t.dueAt!)}`],
          ['task_overdue', new Date(today.getTime() - DAY_MS), today, (t: TaskRow) => t.dueAt!.toISOString().slice(0, 10)],
        ] as const) {
          for (const [ownerId, tasks] of byOwner(await openTasksDue(s, from, to))) {
            const list = tasks.map((t) => ({ title: t.subject ?? 'Untitled task', due: due(t), dealName: t.dealName ?? null }));
            await dispatchNotice(
              s,
              {
                kind,
                recipients: [ownerId],
                title: kind === 'task_due' ? `${tasks.length} task(s) due today` : `${tasks.length} task(s) overdue`,
                body: list.map((t) => t.title).join(', '),
                link: '/app/',
                data: { taskIds: tasks.map((t) => t.id) },
                mail: { template: kind, data: { tasks: list } },
                dedupeKey: `${kind}:${ownerId}:${day}`,
              },
              channels,
            );
            counts[kind === 'task_due' ? 'due' : 'overdue'] += tasks.length;
          }
        }
        return counts.due + counts.overdue ? counts : 'nothing-to-do';
      });
    },
  });
