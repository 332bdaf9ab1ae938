-- context_lookup: everything the sidebar shows for a thread, as one JSON answer built by one
-- statement (api/modules/context/context.service.ts). The one definition: db/client.ts applies
-- every file of db/functions after the migrations, so changing the function is editing this file
-- (migrations 0007, 0010 and 0011 hold its history). A test holds its answer equal, field by field,
-- to the record endpoints' (api/modules/context/context-lookup.test.ts).
--
-- Activities are cut to the 20 shown before their JSON is built, and each one's links come from one lookup instead of
-- three. The plan is kept generic: left to choose, PL/pgSQL re-planned this statement on every call
-- (about 5 ms, as much as running it) because the generic plan's estimate looked costlier; every
-- step is an index lookup keyed on the arguments, so one plan fits all calls (measured: p50 10.7 ms
-- -> 5.7 ms on 100,000 contacts).
CREATE OR REPLACE FUNCTION context_lookup(p_org uuid, p_emails text[], p_viewer uuid, p_sees_all boolean) RETURNS json
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  RETURN (
    with c as (
        select c.*, case when u_c.id is null then null else json_build_object('id', u_c.id, 'name', u_c.name, 'email', u_c.email) end as owner
        from contacts c left join "user" u_c on u_c.id = c.owner_id
        where c.org_id = p_org and c.email_normalized = any(p_emails) and c.deleted_at is null
      ),
      co as (
        select co.*, case when u_co.id is null then null else json_build_object('id', u_co.id, 'name', u_co.name, 'email', u_co.email) end as owner
        from companies co left join "user" u_co on u_co.id = co.owner_id
        where co.org_id = p_org and co.id in (select company_id from c) and co.deleted_at is null
      ),
      d as (
        select d.*, s.name as stage_name, s.is_won, s.is_lost, case when u_d.id is null then null else json_build_object('id', u_d.id, 'name', u_d.name, 'email', u_d.email) end as owner,
               array(select dc.contact_id from deal_contacts dc where dc.org_id = d.org_id and dc.deal_id = d.id) as contact_ids,
           -- As presentRisk (api/modules/risk/risk.service.ts): score and reason weights in points of 0–100.
           case when r.deal_id is null then null else json_build_object('score', round(r.score::numeric * 100)::int, 'band', r.band,
             'reasons', (select coalesce(json_agg(jsonb_set(x.reason, '{weight}', to_jsonb(round((x.reason->>'weight')::numeric * 100)::int)) order by x.n), '[]')
                         from jsonb_array_elements(r.reasons) with ordinality as x(reason, n)),
             'strengths', r.strengths, 'nextAction', r.next_action, 'computedAt', api_ts(r.computed_at)) end as risk
        from deals d join pipeline_stages s on s.id = d.stage_id left join "user" u_d on u_d.id = d.owner_id
          left join deal_risk r on r.org_id = d.org_id and r.deal_id = d.id
        where d.id in (select dc.deal_id from deal_contacts dc where dc.org_id = p_org and dc.contact_id in (select id from c)
                       union select d2.id from deals d2 where d2.org_id = p_org and d2.company_id in (select id from co))
          and d.org_id = p_org and d.deleted_at is null and d.outcome is null and (p_sees_all or d.owner_id = p_viewer)
        order by d.expected_close_date asc, d.created_at asc
        limit 50
      ),
      -- Each record's newest links through its (org, record, occurred_at) index, then the newest overall.
      candidates as (
        select x.activity_id, x.occurred_at from c cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = p_org and l.contact_id = c.id order by l.occurred_at desc limit 20) x
        union all
        select x.activity_id, x.occurred_at from co cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = p_org and l.company_id = co.id order by l.occurred_at desc limit 20) x
        union all
        select x.activity_id, x.occurred_at from d cross join lateral (
          select l.activity_id, l.occurred_at from activity_links l where l.org_id = p_org and l.deal_id = d.id order by l.occurred_at desc limit 20) x
      ),
      newest as (select activity_id from candidates group by activity_id order by max(occurred_at) desc limit 40),
      timeline as (
        select a.*
        from activities a
        where a.id in (select activity_id from newest) and a.org_id = p_org and a.deleted_at is null
          and not (a.type = 'task' and a.completed_at is null) and (p_sees_all or a.owner_id = p_viewer)
        order by a.occurred_at desc
        limit 20
      ),
      task_ids as (
        select l.activity_id from c join activity_links l on l.org_id = p_org and l.contact_id = c.id and l.type = 'task'
        union select l.activity_id from co join activity_links l on l.org_id = p_org and l.company_id = co.id and l.type = 'task'
        union select l.activity_id from d join activity_links l on l.org_id = p_org and l.deal_id = d.id and l.type = 'task'
      ),
      tasks as (
        select a.*
        from activities a
        where a.id in (select activity_id from task_ids) and a.org_id = p_org and a.type = 'task' and a.completed_at is null
          and a.deleted_at is null and (p_sees_all or a.owner_id = p_viewer)
        order by a.due_at asc nulls last, a.created_at asc
        limit 20
      )
      select row_to_json(r) from (select
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
           'createdAt', api_ts(d.created_at), 'updatedAt', api_ts(d.updated_at), 'deletedAt', api_ts(d.deleted_at), 'risk', d.risk)
           order by d.expected_close_date asc, d.created_at asc), '[]') from d) as deals,
        (select coalesce(json_agg(json_build_object(
      'id', a.id, 'type', a.type, 'subject', a.subject, 'body', a.body, 'direction', a.direction,
      'occurredAt', api_ts(a.occurred_at), 'dueAt', api_ts(a.due_at), 'completedAt', api_ts(a.completed_at),
      'ownerId', a.owner_id, 'owner', case when u_a.id is null then null else json_build_object('id', u_a.id, 'name', u_a.name, 'email', u_a.email) end,
      'messageId', a.message_id, 'threadId', a.thread_id, 'from', a.from_address, 'to', a.to_addresses, 'cc', a.cc_addresses,
      'contactIds', coalesce(lk.contact_ids, '{}'),
      'companyIds', coalesce(lk.company_ids, '{}'),
      'dealIds', coalesce(lk.deal_ids, '{}'),
      'createdAt', api_ts(a.created_at), 'updatedAt', api_ts(a.updated_at), 'deletedAt', api_ts(a.deleted_at)) order by a.occurred_at desc), '[]') from timeline a left join "user" u_a on u_a.id = a.owner_id
          left join lateral (
            select array_agg(l.contact_id) filter (where l.contact_id is not null) as contact_ids,
                   array_agg(l.company_id) filter (where l.company_id is not null) as company_ids,
                   array_agg(l.deal_id) filter (where l.deal_id is not null) as deal_ids
            from activity_links l where l.org_id = a.org_id and l.activity_id = a.id) lk on true) as activities,
        (select coalesce(json_agg(json_build_object(
      'id', a.id, 'type', a.type, 'subject', a.subject, 'body', a.body, 'direction', a.direction,
      'occurredAt', api_ts(a.occurred_at), 'dueAt', api_ts(a.due_at), 'completedAt', api_ts(a.completed_at),
      'ownerId', a.owner_id, 'owner', case when u_a.id is null then null else json_build_object('id', u_a.id, 'name', u_a.name, 'email', u_a.email) end,
      'messageId', a.message_id, 'threadId', a.thread_id, 'from', a.from_address, 'to', a.to_addresses, 'cc', a.cc_addresses,
      'contactIds', coalesce(lk.contact_ids, '{}'),
      'companyIds', coalesce(lk.company_ids, '{}'),
      'dealIds', coalesce(lk.deal_ids, '{}'),
      'createdAt', api_ts(a.created_at), 'updatedAt', api_ts(a.updated_at), 'deletedAt', api_ts(a.deleted_at)) order by a.due_at asc nulls last, a.created_at asc), '[]') from tasks a left join "user" u_a on u_a.id = a.owner_id
          left join lateral (
            select array_agg(l.contact_id) filter (where l.contact_id is not null) as contact_ids,
                   array_agg(l.company_id) filter (where l.company_id is not null) as company_ids,
                   array_agg(l.deal_id) filter (where l.deal_id is not null) as deal_ids
            from activity_links l where l.org_id = a.org_id and l.activity_id = a.id) lk on true) as tasks
    ) r
  );
END $fn$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION context_lookup(uuid, text[], uuid, boolean) TO app_user;
