import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { generateBenchData } from './bench-data.ts';
import { type Database, openDatabase, rowsOf } from './client.ts';
import { mulberry32 } from '../core/risk/random.ts';
import { demoCredentials, seedDemoData } from './demo-data.ts';
import { organizations, pipelineStages, pipelines, user } from './schema/index.ts';

const now = new Date('2026-03-15T12:00:00Z');

let database: Database;
let orgId: string;

// Stands in for the auth library: a plain user row; a second seed reuses the same people.
async function createUser(u: { email: string; name: string; password: string }): Promise<string> {
  const existing = await database.db.select({ id: user.id }).from(user).where(eq(user.email, u.email));
  if (existing[0]) return existing[0].id;
  const [row] = await database.db.insert(user).values({ email: u.email, name: u.name }).returning({ id: user.id });
  return row!.id;
}

async function query<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(q));
}

beforeAll(async () => {
  database = await openDatabase({});
  await database.migrate();
  const seeded = await seedDemoData(database.db, { now, createUser });
  orgId = seeded.orgId;
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('seedDemoData', () => {
  it('creates the demo organization with its people and roles', async () => {
    const members = await query<{ email: string; role: string; team: string | null }>(sql`
      select u.email, m.role, t.name as team from memberships m
      join "user" u on u.id = m.user_id left join teams t on t.id = m.team_id
      where m.org_id = ${orgId} order by u.email`);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['admin@demo.test', 'admin'],
      ['manager@demo.test', 'manager'],
      ['readonly@demo.test', 'readonly'],
      ['rep1@demo.test', 'rep'],
      ['rep2@demo.test', 'rep'],
      ['rep3@demo.test', 'rep'],
    ]);
    expect(members.filter((m) => m.team === 'West').map((m) => m.role).sort()).toEqual(['manager', 'rep', 'rep', 'rep']);
    expect(demoCredentials.password).toBe('demo-password');
    const [org] = await database.db.select().from(organizations).where(eq(organizations.id, orgId));
    expect(org?.name).toBe('Northwind Demo');
  });

  it('has what the README’s first example looks for: contacts named Isabella', async () => {
    const [found] = await query<{ n: number }>(sql`select count(*)::int as n from contacts where org_id = ${orgId} and first_name = 'Isabella' and deleted_at is null`);
    expect(found!.n).toBeGreaterThan(0);
  });

  it('never repeats an email, meeting or call subject within a deal, an open deal has no signed order form, and no one has the same open task twice', async () => {
    const repeats = await query<{ deal: string; subject: string; n: number }>(sql`
      select l.deal_id as deal, a.subject, count(*)::int as n from activities a
      join activity_links l on l.activity_id = a.id and l.deal_id is not null
      where a.org_id = ${orgId} and a.type in ('meeting', 'call') or (a.org_id = ${orgId} and a.type = 'email' and a.direction = 'outbound')
      group by l.deal_id, a.subject having count(*) > 1`);
    expect(repeats).toEqual([]);
    const signedOpen = await query<{ n: number }>(sql`
      select count(*)::int as n from activities a
      join activity_links l on l.activity_id = a.id
      join deals d on d.id = l.deal_id and d.outcome is null
      where a.org_id = ${orgId} and a.subject like 'Signed order form%'`);
    expect(signedOpen[0]!.n).toBe(0);
    const twiceOpen = await query<{ subject: string }>(sql`
      select a.subject from activities a join activity_links l on l.activity_id = a.id and l.contact_id is not null
      where a.org_id = ${orgId} and a.type = 'task' and a.completed_at is null
      group by l.contact_id, a.subject having count(*) > 1`);
    expect(twiceOpen).toEqual([]);
  });

  it('writes the audit log its history implies: every deal created and each stage move, by its owner', async () => {
    const [deals] = await query<{ n: number }>(sql`select count(*)::int as n from deals where org_id = ${orgId}`);
    const [moves] = await query<{ n: number }>(sql`select count(*)::int as n from deal_stage_history where org_id = ${orgId} and from_stage_id is not null`);
    const audit = await query<{ action: string; n: number; unowned: number; stage_changes: number }>(sql`
      select a.action, count(*)::int as n, count(*) filter (where a.actor_id is distinct from d.owner_id)::int as unowned,
        count(*) filter (where a.changes ? 'stageId')::int as stage_changes
      from audit_log a join deals d on d.id = a.entity_id where a.org_id = ${orgId} and a.entity_type = 'deal' group by a.action order by a.action`);
    expect(audit).toEqual([
      { action: 'create', n: deals!.n, unowned: 0, stage_changes: deals!.n },
      { action: 'update', n: moves!.n, unowned: 0, stage_changes: moves!.n },
    ]);
    const [lost] = await query<{ reason: string | null }>(sql`select changes -> 'lostReason' ->> 'new' as reason from audit_log where org_id = ${orgId} and changes -> 'outcome' ->> 'new' = 'lost' limit 1`);
    expect(lost?.reason).toBeTruthy();
    const kinds = await query<{ entity_type: string }>(sql`select distinct entity_type from audit_log where org_id = ${orgId} order by entity_type`);
    expect(kinds.map((k) => k.entity_type)).toEqual(['company', 'contact', 'deal', 'pipeline', 'team']);
  });

  it('has deals in every stage of the default pipeline, ~200 in all', async () => {
    const stages = await query<{ name: string; position: number; deals: number }>(sql`
      select s.name, s.position, count(d.id)::int as deals from pipeline_stages s
      join pipelines p on p.id = s.pipeline_id and p.is_default
      left join deals d on d.stage_id = s.id
      where s.org_id = ${orgId} group by s.id order by s.position`);
    expect(stages.map((s) => s.name)).toEqual(['Discovery', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']);
    for (const s of stages) expect(s.deals, s.name).toBeGreaterThan(0);
    const total = stages.reduce((n, s) => n + s.deals, 0);
    expect(total).toBeGreaterThanOrEqual(180);
    expect(total).toBeLessThanOrEqual(240);
  });

  it('gives every deal a stage history that ends in its current stage', async () => {
    const rows = await query<{ deal_id: string; stage_id: string; stage_changed_at: string; from_stage_id: string | null; to_stage_id: string; changed_at: string }>(sql`
      select d.id as deal_id, d.stage_id, d.stage_changed_at::text, h.from_stage_id, h.to_stage_id, h.changed_at::text
      from deals d join deal_stage_history h on h.deal_id = d.id
      where d.org_id = ${orgId} order by d.id, h.changed_at`);
    const byDeal = new Map<string, typeof rows>();
    for (const r of rows) byDeal.set(r.deal_id, [...(byDeal.get(r.deal_id) ?? []), r]);
    const dealCount = await query<{ n: number }>(sql`select count(*)::int as n from deals where org_id = ${orgId}`);
    expect(byDeal.size).toBe(dealCount[0]!.n);
    for (const history of byDeal.values()) {
      expect(history[0]!.from_stage_id).toBeNull();
      for (let i = 1; i < history.length; i++) {
        expect(history[i]!.from_stage_id).toBe(history[i - 1]!.to_stage_id);
        expect(Date.parse(history[i]!.changed_at)).toBeGreaterThan(Date.parse(history[i - 1]!.changed_at));
      }
      const last = history.at(-1)!;
      expect(last.to_stage_id).toBe(last.stage_id);
      expect(Date.parse(last.stage_changed_at)).toBe(Date.parse(last.changed_at));
      expect(Date.parse(last.changed_at)).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('closes deals properly: lost ones have a reason and a close date', async () => {
    const closed = await query<{ outcome: string | null; lost_reason: string | null; actual_close_date: string | null; is_won: boolean; is_lost: boolean; probability: number; default_probability: number }>(sql`
      select d.outcome, d.lost_reason, d.actual_close_date::text, s.is_won, s.is_lost, d.probability, s.default_probability
      from deals d join pipeline_stages s on s.id = d.stage_id where d.org_id = ${orgId}`);
    for (const d of closed) {
      expect(d.probability).toBe(d.default_probability);
      if (d.is_lost) {
        expect(d.outcome).toBe('lost');
        expect(d.lost_reason).toBeTruthy();
        expect(d.actual_close_date).toBeTruthy();
      } else if (d.is_won) {
        expect(d.outcome).toBe('won');
        expect(d.actual_close_date).toBeTruthy();
      } else {
        expect(d.outcome).toBeNull();
        expect(d.actual_close_date).toBeNull();
      }
    }
    expect(closed.filter((d) => d.is_won || d.is_lost).length).toBeGreaterThanOrEqual(150);
  });

  it('links contacts to deals, some deals with several people', async () => {
    const perDeal = await query<{ n: number }>(sql`
      select count(dc.contact_id)::int as n from deals d left join deal_contacts dc on dc.deal_id = d.id
      where d.org_id = ${orgId} group by d.id`);
    expect(perDeal.every((d) => d.n >= 1 && d.n <= 4)).toBe(true);
    expect(perDeal.some((d) => d.n === 1)).toBe(true);
    expect(perDeal.some((d) => d.n >= 3)).toBe(true);
  });

  it('has open tasks, some of them overdue, and completed ones', async () => {
    const [tasks] = await query<{ open: number; overdue: number; upcoming: number; done: number }>(sql`
      select count(*) filter (where completed_at is null)::int as open,
             count(*) filter (where completed_at is null and due_at < ${now.toISOString()}::timestamptz)::int as overdue,
             count(*) filter (where completed_at is null and due_at > ${now.toISOString()}::timestamptz)::int as upcoming,
             count(*) filter (where completed_at is not null)::int as done
      from activities where org_id = ${orgId} and type = 'task'`);
    expect(tasks!.open).toBeGreaterThan(10);
    expect(tasks!.overdue).toBeGreaterThan(0);
    expect(tasks!.upcoming).toBeGreaterThan(0);
    expect(tasks!.done).toBeGreaterThan(0);
  });

  it('links every activity, with the activity\'s own time, and keeps emails threaded', async () => {
    const [counts] = await query<{ activities: number; unlinked: number; mismatched: number; future: number; emails: number; inbound: number }>(sql`
      select (select count(*)::int from activities where org_id = ${orgId}) as activities,
             (select count(*)::int from activities a where a.org_id = ${orgId}
                and not exists (select 1 from activity_links l where l.activity_id = a.id)) as unlinked,
             (select count(*)::int from activity_links l join activities a on a.id = l.activity_id
                where a.org_id = ${orgId} and l.occurred_at <> a.occurred_at) as mismatched,
             (select count(*)::int from activities where org_id = ${orgId} and occurred_at > ${now.toISOString()}::timestamptz) as future,
             (select count(*)::int from activities where org_id = ${orgId} and type = 'email'
                and message_id like '<demo-%@mail.northwind.test>' and thread_id is not null and from_address is not null) as emails,
             (select count(*)::int from activities where org_id = ${orgId} and type = 'email' and direction = 'inbound') as inbound`);
    expect(counts!.activities).toBeGreaterThan(1000);
    expect(counts!.activities).toBeLessThan(6000);
    expect(counts!.unlinked).toBe(0);
    expect(counts!.mismatched).toBe(0);
    expect(counts!.future).toBe(0);
    expect(counts!.emails).toBeGreaterThan(300);
    expect(counts!.inbound).toBeGreaterThan(100);
  });

  it('makes contacts searchable by name', async () => {
    const [contact] = await query<{ id: string; last_name: string }>(sql`
      select id, last_name from contacts where org_id = ${orgId} order by email limit 1`);
    const terms = await query<{ term: string }>(sql`select term from contact_search_terms where contact_id = ${contact!.id}`);
    expect(terms.map((t) => t.term)).toContain(contact!.last_name.toLowerCase());
    const [count] = await query<{ n: number }>(sql`select count(distinct contact_id)::int as n from contact_search_terms where org_id = ${orgId}`);
    expect(count!.n).toBeGreaterThanOrEqual(70);
  });

  it('lets silence precede losses: lost deals go quiet longer before closing than won ones', async () => {
    const rows = await query<{ outcome: 'won' | 'lost'; silence_days: number; inbound: number; contacts: number; last_stage_days: number }>(sql`
      select d.outcome,
             extract(epoch from d.stage_changed_at - max(a.occurred_at)) / 86400 as silence_days,
             count(*) filter (where a.direction = 'inbound')::int as inbound,
             (select count(*)::int from deal_contacts dc where dc.deal_id = d.id) as contacts,
             (select extract(epoch from d.stage_changed_at - h.changed_at) / 86400 from deal_stage_history h
               where h.deal_id = d.id and h.changed_at < d.stage_changed_at order by h.changed_at desc limit 1) as last_stage_days
      from deals d
      join activity_links l on l.deal_id = d.id
      join activities a on a.id = l.activity_id and a.type <> 'task' and a.occurred_at <= d.stage_changed_at
      where d.org_id = ${orgId} and d.outcome is not null
      group by d.id`);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + Number(b), 0) / xs.length;
    const won = rows.filter((r) => r.outcome === 'won');
    const lost = rows.filter((r) => r.outcome === 'lost');
    expect(won.length).toBeGreaterThan(40);
    expect(lost.length).toBeGreaterThan(60);
    expect(mean(lost.map((r) => r.silence_days))).toBeGreaterThan(mean(won.map((r) => r.silence_days)) + 7);
    expect(mean(lost.map((r) => r.last_stage_days))).toBeGreaterThan(mean(won.map((r) => r.last_stage_days)));
    expect(mean(lost.map((r) => r.contacts))).toBeLessThan(mean(won.map((r) => r.contacts)));
    expect(mean(lost.map((r) => r.inbound))).toBeLessThan(mean(won.map((r) => r.inbound)));
    // ...but not perfectly: some won deals were quiet too, so a score cannot be trivially exact.
    const quietWon = won.filter((r) => Number(r.silence_days) > 10).length;
    expect(quietWon).toBeGreaterThan(0);
  });

  it('produces the same content from the same seed and clock', async () => {
    const again = await seedDemoData(database.db, { now, createUser, random: mulberry32(20_240_611) });
    const summary = async (org: string) =>
      query<{ name: string; value_cents: string; stage: string; created_at: string; activities: number }>(sql`
        select d.name, d.value_cents::text, s.name as stage, d.created_at::text,
               (select count(*)::int from activity_links l where l.deal_id = d.id) as activities
        from deals d join pipeline_stages s on s.id = d.stage_id where d.org_id = ${org}
        order by d.created_at, d.name`);
    expect(await summary(again.orgId)).toEqual(await summary(orgId));
  }, 60_000);

  it('gives every deal the same company, people and stage whatever the hour it is seeded at', async () => {
    // The demo inbox builds its threads from the oldest open deals and their people, and its sidebar
    // then shows those people's open deals: the hour `npm start` runs must not change them.
    const structure = async (org: string) =>
      query<{ company: string; stage: string; people: string }>(sql`
        select c.name as company, s.name as stage,
               (select string_agg(p.email, ' ' order by p.email) from deal_contacts dc join contacts p on p.id = dc.contact_id where dc.deal_id = d.id) as people
        from deals d join pipeline_stages s on s.id = d.stage_id join companies c on c.id = d.company_id
        where d.org_id = ${org} order by d.created_at, d.id`);
    const expected = await structure(orgId);
    for (const hours of [5, 11]) {
      const later = await seedDemoData(database.db, { now: new Date(now.getTime() + hours * 3_600_000), createUser });
      expect(await structure(later.orgId)).toEqual(expected);
    }
  }, 120_000);
});

describe('generateBenchData', () => {
  it('fills an organization with the requested volumes', async () => {
    const [org] = await database.db.insert(organizations).values({ name: 'Bench Org' }).returning({ id: organizations.id });
    const benchOrg = org!.id;
    const [pipeline] = await database.db.insert(pipelines).values({ orgId: benchOrg, name: 'Sales', isDefault: true }).returning({ id: pipelines.id });
    const stages = await database.db
      .insert(pipelineStages)
      .values(
        [
          ['Discovery', 10, false, false],
          ['Proposal', 50, false, false],
          ['Won', 100, true, false],
          ['Lost', 0, false, true],
        ].map(([name, p, isWon, isLost], position) => ({
          orgId: benchOrg, pipelineId: pipeline!.id, name: name as string, position,
          defaultProbability: p as number, isWon: isWon as boolean, isLost: isLost as boolean,
        })),
      )
      .returning({ id: pipelineStages.id });
    const owners = await query<{ id: string }>(sql`select id from "user" where email like 'rep%@demo.test' order by email`);

    const messages: string[] = [];
    const result = await generateBenchData(database.db, {
      orgId: benchOrg,
      ownerIds: owners.map((o) => o.id),
      pipelineId: pipeline!.id,
      stageIds: stages.map((s) => s.id),
      contacts: 500,
      companies: 50,
      deals: 100,
      activities: 2000,
      onProgress: (m) => messages.push(m),
    });
    expect(messages.length).toBeGreaterThan(0);

    const [counts] = await query<{ companies: number; contacts: number; deals: number; activities: number; unlinked: number; mismatched: number; terms: number; domains: number; tasks_open: number; history: number; deals_without_contacts: number; max_deal_contacts: number }>(sql`
      select (select count(*)::int from companies where org_id = ${benchOrg}) as companies,
             (select count(distinct lower(domain))::int from companies where org_id = ${benchOrg}) as domains,
             (select count(*)::int from contacts where org_id = ${benchOrg}) as contacts,
             (select count(*)::int from deals where org_id = ${benchOrg}) as deals,
             (select count(*)::int from activities where org_id = ${benchOrg}) as activities,
             (select count(*)::int from activities a where a.org_id = ${benchOrg}
                and not exists (select 1 from activity_links l where l.activity_id = a.id)) as unlinked,
             (select count(*)::int from activity_links l join activities a on a.id = l.activity_id
                where l.org_id = ${benchOrg} and l.occurred_at <> a.occurred_at) as mismatched,
             (select count(distinct contact_id)::int from contact_search_terms where org_id = ${benchOrg}) as terms,
             (select count(*)::int from activities where org_id = ${benchOrg} and type = 'task' and completed_at is null) as tasks_open,
             (select count(distinct deal_id)::int from deal_stage_history where org_id = ${benchOrg}) as history,
             (select count(*)::int from deals d where d.org_id = ${benchOrg}
                and not exists (select 1 from deal_contacts dc where dc.deal_id = d.id)) as deals_without_contacts,
             (select coalesce(max(n), 0)::int from (select count(*) as n from deal_contacts where org_id = ${benchOrg} group by deal_id) x) as max_deal_contacts`);
    expect(counts).toEqual({
      companies: 50, domains: 50, contacts: 500, deals: 100, activities: 2000, unlinked: 0, mismatched: 0,
      terms: 500, tasks_open: counts!.tasks_open, history: 100, deals_without_contacts: 0, max_deal_contacts: counts!.max_deal_contacts,
    });
    expect(counts!.tasks_open).toBeGreaterThan(0);
    expect(counts!.max_deal_contacts).toBeLessThanOrEqual(3);

    expect(result.sampleEmails.length).toBeGreaterThanOrEqual(100);
    const found = await query<{ n: number }>(sql`
      select count(*)::int as n from contacts
      where org_id = ${benchOrg} and lower(email) in (select lower(x) from unnest(${sql.raw(`array[${result.sampleEmails.map((e) => `'${e}'`).join(',')}]`)}::text[]) x)`);
    expect(found[0]!.n).toBe(result.sampleEmails.length);

    expect(result.sampleSearchTerms.length).toBeGreaterThan(50);
    for (const term of result.sampleSearchTerms.slice(0, 20)) {
      expect(term).toMatch(/^[a-z]{3,5}$/);
      const hits = await query<{ n: number }>(sql`
        select count(*)::int as n from contact_search_terms
        where org_id = ${benchOrg} and term >= ${term} and term < ${term + '\uffff'}`);
      expect(hits[0]!.n, term).toBeGreaterThan(0);
    }

    // The demo organization is untouched.
    const [demo] = await query<{ n: number }>(sql`select count(*)::int as n from contacts where org_id = ${orgId} and source = 'bench'`);
    expect(demo!.n).toBe(0);
  }, 60_000);
});
