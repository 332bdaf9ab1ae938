// Everything the sidebar shows for a thread, in one call: who these people are, their companies,
// their open deals, the latest activities and the open tasks.
//
// It is the hottest read in the product (every thread a rep opens), so it is one statement that
// builds its JSON answer in Postgres: one round trip and one plan instead of eight. The shapes
// are the same as the record endpoints' (core/schemas), and api_ts() prints times as they do.
// Under row-level security like every tenant query; the explicit org_id terms let each step use
// its tenant-leading index.
import { sql } from 'drizzle-orm';
import { normalizeEmail } from '../../core/email-address.ts';
import { seesAllDealsAndActivities, type Actor } from '../../core/roles.ts';
import type { ThreadContext } from '../../core/schemas/context.ts';
import { rowsOf, type Tx } from '../../db/client.ts';

const TIMELINE = 20;
const TASKS = 20;
const DEALS = 50;

// The owner as { id, name, email }, from the "user" row joined as u_<alias>.
const ownerSql = (alias: string) =>
  `case when u_${alias}.id is null then null else json_build_object('id', u_${alias}.id, 'name', u_${alias}.name, 'email', u_${alias}.email) end`;
const ownerJson = (alias: string) => sql.raw(ownerSql(alias));

const activityJson = sql.raw(`json_build_object(
  'id', a.id, 'type', a.type, 'subject', a.subject, 'body', a.body, 'direction', a.direction,
  'occurredAt', api_ts(a.occurred_at), 'dueAt', api_ts(a.due_at), 'completedAt', api_ts(a.completed_at),
  'ownerId', a.owner_id, 'owner', ${ownerSql('a')},
  'messageId', a.message_id, 'threadId', a.thread_id, 'from', a.from_address, 'to', a.to_addresses, 'cc', a.cc_addresses,
  'contactIds', array(select l.contact_id from activity_links l where l.org_id = a.org_id and l.activity_id = a.id and l.contact_id is not null),
  'companyIds', array(select l.company_id from activity_links l where l.org_id = a.org_id and l.activity_id = a.id and l.company_id is not null),
  'dealIds', array(select l.deal_id from activity_links l where l.org_id = a.org_id and l.activity_id = a.id and l.deal_id is not null),
  'createdAt', api_ts(a.created_at), 'updatedAt', api_ts(a.updated_at), 'deletedAt', api_ts(a.deleted_at))`);

// drizzle turns a JS array parameter into a row, so spell out the array.
const textArray = (values: string[]) => (values.length ? sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]` : sql`array[]::text[]`);

export async function threadContext(tx: Tx, actor: Actor, rawEmails: string[]): Promise<ThreadContext> {
  const emails = [...new Set(rawEmails.map(normalizeEmail).filter((e): e is string => e !== null))];
  const org = actor.orgId;
  const all = seesAllDealsAndActivities(actor);
  const viewer = actor.userId;
  const [row] = rowsOf<Omit<ThreadContext, 'unknownEmails'>>(
    await tx.execute(sql`
      with c as (
        select c.*, ${ownerJson('c')} as owner
        from contacts c left join "user" u_c on u_c.id = c.owner_id
        where c.org_id = ${org} and c.email_normalized = any(${textArray(emails)}) and c.deleted_at is null
      ),
      co as (
        select co.*, ${ownerJson('co')} as owner
        from companies co left join "user" u_co on u_co.id = co.owner_id
        where co.org_id = ${org} and co.id in (select company_id from c) and co.deleted_at is null
      ),
      d as (
        select d.*, s.name as stage_name, s.is_won, s.is_lost, ${ownerJson('d')} as owner,
               array(select dc.contact_id from deal_contacts dc where dc.org_id = d.org_id and dc.deal_id = d.id) as contact_ids
        from deals d join pipeline_stages s on s.id = d.stage_id left join "user" u_d on u_d.id = d.owner_id
        where d.id in (select dc.deal_id from deal_contacts dc where dc.org_id = ${org} and dc.contact_id in (select id from c)
                       union select d2.id from deals d2 where d2.org_id = ${org} and d2.company_id in (select id from co))
          and d.org_id = ${org} and d.deleted_at is null and d.outcome is null and (${all} or d.owner_id = ${viewer})
        order by d.expected_close_date asc, d.created_at asc
        limit ${DEALS}
      ),
      -- Each record's newest links through its (org, record, occurred_at) index, then the newest overall.
      candidates as (
        select x.activity_id, x.occurred_at from c cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = ${org} and l.contact_id = c.id order by l.occurred_at desc limit ${TIMELINE}) x
        union all
        select x.activity_id, x.occurred_at from co cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = ${org} and l.company_id = co.id order by l.occurred_at desc limit ${TIMELINE}) x
        union all
        select x.activity_id, x.occurred_at from d cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = ${org} and l.deal_id = d.id order by l.occurred_at desc limit ${TIMELINE}) x
      ),
      newest as (select activity_id from candidates group by activity_id order by max(occurred_at) desc limit ${TIMELINE * 2}),
      timeline as (
        select a.*, ${activityJson} as json
        from activities a left join "user" u_a on u_a.id = a.owner_id
        where a.id in (select activity_id from newest) and a.org_id = ${org} and a.deleted_at is null
          and not (a.type = 'task' and a.completed_at is null) and (${all} or a.owner_id = ${viewer})
        order by a.occurred_at desc
        limit ${TIMELINE}
      ),
      task_ids as (
        select l.activity_id from c join activity_links l on l.org_id = ${org} and l.contact_id = c.id and l.type = 'task'
        union select l.activity_id from co join activity_links l on l.org_id = ${org} and l.company_id = co.id and l.type = 'task'
        union select l.activity_id from d join activity_links l on l.org_id = ${org} and l.deal_id = d.id and l.type = 'task'
      ),
      tasks as (
        select a.*, ${activityJson} as json
        from activities a left join "user" u_a on u_a.id = a.owner_id
        where a.id in (select activity_id from task_ids) and a.org_id = ${org} and a.type = 'task' and a.completed_at is null
          and a.deleted_at is null and (${all} or a.owner_id = ${viewer})
        order by a.due_at asc nulls last, a.created_at asc
        limit ${TASKS}
      )
      select
        (select coalesce(json_agg(json_build_object(
           'id', c.id, 'email', c.email, 'firstName', c.first_name, 'lastName', c.last_name, 'title', c.title, 'phone', c.phone,
           'companyId', c.company_id, 'ownerId', c.owner_id, 'owner', c.owner, 'tags', c.tags, 'customFields', c.custom_fields,
           'createdAt', api_ts(c.created_at), 'updatedAt', api_ts(c.updated_at), 'deletedAt', api_ts(c.deleted_at)) order by c.created_at), '[]') from c) as contacts,
        (select coalesce(json_agg(json_build_object(
           'id', co.id, 'name', co.name, 'domain', co.domain, 'industry', co.industry, 'ownerId', co.owner_id, 'owner', co.owner,
           'customFields', co.custom_fields, 'createdAt', api_ts(co.created_at), 'updatedAt', api_ts(co.updated_at), 'deletedAt', api_ts(co.deleted_at))
           order by co.name), '[]') from co) as companies,
        (select coalesce(json_agg(json_build_object(
           'id', d.id, 'name', d.name, 'valueCents', d.value_cents, 'currency', d.currency, 'pipelineId', d.pipeline_id,
           'stage', d.stage_id, 'stageInfo', json_build_object('id', d.stage_id, 'name', d.stage_name, 'isWon', d.is_won, 'isLost', d.is_lost),
           'probability', d.probability, 'ownerId', d.owner_id, 'owner', d.owner, 'companyId', d.company_id, 'contactIds', d.contact_ids,
           'expectedCloseDate', d.expected_close_date, 'actualCloseDate', d.actual_close_date, 'outcome', d.outcome, 'lostReason', d.lost_reason,
           'stageChangedAt', api_ts(d.stage_changed_at), 'customFields', d.custom_fields, 'source', d.source, 'externalId', d.external_id,
           'createdAt', api_ts(d.created_at), 'updatedAt', api_ts(d.updated_at), 'deletedAt', api_ts(d.deleted_at))
           order by d.expected_close_date asc, d.created_at asc), '[]') from d) as deals,
        (select coalesce(json_agg(t.json order by t.occurred_at desc), '[]') from timeline t) as activities,
        (select coalesce(json_agg(t.json order by t.due_at asc nulls last, t.created_at asc), '[]') from tasks t) as tasks
    `),
  );
  const known = new Set(row!.contacts.map((c) => c.email.toLowerCase()));
  return { ...row!, unknownEmails: emails.filter((e) => !known.has(e)) };
}
