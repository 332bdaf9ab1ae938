// Bulk data for load tests: set-based SQL over generate_series, so 100k contacts and 500k
// activities take seconds to minutes instead of hours of row-by-row inserts. Names come from
// word lists picked by index arithmetic; row ids are md5(run salt, kind, index) so a later
// statement can refer to "contact #k" without a lookup table (temp tables would not survive
// postgres.js's connection pool between statements). Runs as the owner: RLS does not apply.
// Plain SQL only, so it runs on Postgres and PGlite alike.
import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, rowsOf } from './client.ts';

export interface BenchOptions {
  orgId: string;
  ownerIds: string[];
  pipelineId: string;
  /** The pipeline's stage ids in position order; the first is where new deals start. */
  stageIds: string[];
  contacts: number;
  companies: number;
  deals: number;
  activities: number;
  onProgress?: (msg: string) => void;
}

export interface BenchResult {
  /** ~1000 emails of generated contacts, for lookup benchmarks. */
  sampleEmails: string[];
  /** ~200 lowercase 3–5 character prefixes of generated first names, last names and company words. */
  sampleSearchTerms: string[];
}

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie',
  'Priya', 'Arjun', 'Mei', 'Hiroshi', 'Fatima', 'Omar', 'Sofia', 'Mateo', 'Ingrid', 'Lars',
  'Nadia', 'Chen', 'Aisha', 'Diego',
];

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Patel', 'Kowalski', 'Nakamura', 'Okafor', 'Schmidt', 'Jensen', 'Larsen', 'Fischer', 'Dubois', 'Novak',
  'Petrov', 'Tanaka', 'Iyer', 'Johansson', 'Sullivan', 'Murphy', 'Coleman', 'Hayes', 'Russo', 'Singh',
  'Zimmerman', 'Vasquez', 'Delgado', 'Bennett', 'Foster', 'Gallagher', 'Hoffman', 'Olsen', 'Underwood', 'Quinn',
];

// Company name = A + B + C; every triple is distinct, so the derived domains are unique.
const COMPANY_A = [
  'Blue', 'Red', 'Silver', 'Golden', 'Granite', 'Cedar', 'Pine', 'Oak', 'Maple', 'Summit',
  'Harbor', 'River', 'Lake', 'North', 'South', 'East', 'West', 'Bright', 'Swift', 'Iron',
  'Copper', 'Crystal', 'Evergreen', 'Atlas', 'Apex', 'Vertex', 'Pioneer', 'Frontier', 'Liberty', 'Union',
  'Coastal', 'Prairie', 'Canyon', 'Falcon', 'Eagle', 'Hawk', 'Cobalt', 'Sterling', 'Beacon', 'Keystone',
];
const COMPANY_B = [
  'Ridge', 'Point', 'Bay', 'Valley', 'Peak', 'Stone', 'Bridge', 'Field', 'Gate', 'Line',
  'Path', 'Works', 'Forge', 'Wave', 'Leaf', 'Rock', 'Mill', 'Crest', 'Park', 'Grove',
  'Shore', 'Spring', 'Star', 'Wind', 'Light', 'Haven', 'Brook', 'Hollow', 'Mesa', 'Harvest',
];
// Suffix and the industry it suggests, index-aligned.
const COMPANY_C = [
  'Labs', 'Systems', 'Logistics', 'Analytics', 'Health', 'Foods', 'Energy',
  'Partners', 'Software', 'Robotics', 'Media', 'Financial', 'Manufacturing', 'Group',
];
const INDUSTRIES = [
  'Biotechnology', 'Software', 'Logistics', 'Software', 'Healthcare', 'Food & Beverage', 'Energy',
  'Professional Services', 'Software', 'Industrial Automation', 'Media', 'Financial Services', 'Manufacturing', 'Conglomerate',
];
const TITLES = [
  'VP of Operations', 'Head of Procurement', 'Chief Financial Officer', 'IT Director', 'Operations Manager',
  'Senior Buyer', 'Chief Technology Officer', 'Director of Engineering', 'Procurement Specialist', 'Office Manager',
  'Finance Manager', 'Head of Data', 'Product Manager', 'VP of Sales', 'Supply Chain Manager', 'Security Architect',
];
const TAGS = ['decision-maker', 'champion', 'technical', 'procurement', 'newsletter', 'webinar'];
const PRODUCTS = ['Platform license', 'Annual renewal', 'Pilot', 'Expansion', 'Data integration', 'Support plan', 'Multi-site rollout'];
const EMAIL_SUBJECTS = ['Intro call follow-up', 'Proposal', 'Pricing question', 'Contract redlines', 'Checking in', 'Meeting notes', 'Security questionnaire', 'Order form'];
const OTHER_SUBJECTS = ['Discovery call', 'Product demo', 'Pricing call', 'Check-in', 'Quarterly review', 'Onboarding session'];
const LOST_REASONS = ['No response / went dark', 'Chose a competitor', 'Price too high', 'No decision made'];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTACT_CHUNK = 25_000;
const ACTIVITY_CHUNK = 100_000;

export async function generateBenchData(db: Db, opts: BenchOptions): Promise<BenchResult> {
  for (const id of [opts.orgId, opts.pipelineId, ...opts.ownerIds, ...opts.stageIds]) {
    if (!UUID_RE.test(id)) throw new Error(`generateBenchData: not a uuid: ${id}`);
  }
  if (opts.ownerIds.length === 0 || opts.stageIds.length === 0) throw new Error('generateBenchData: ownerIds and stageIds must not be empty');
  if (opts.companies < 1 || opts.contacts < 1) throw new Error('generateBenchData: needs at least one company and one contact');

  const progress = opts.onProgress ?? (() => {});
  const started = Date.now();
  const step = async (label: string, work: () => Promise<unknown>): Promise<void> => {
    const t = Date.now();
    await work();
    progress(`${label} (${((Date.now() - t) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };

  // Inlined as literals: all are validated uuids, our own constants, or integers.
  const org = sql.raw(`'${opts.orgId}'::uuid`);
  const pipeline = sql.raw(`'${opts.pipelineId}'::uuid`);
  const owners = uuidArray(opts.ownerIds);
  const stages = uuidArray(opts.stageIds);
  const firstStage = sql.raw(`'${opts.stageIds[0]}'::uuid`);
  const salt = randomBytes(6).toString('hex'); // distinct ids per run
  // A version-4 UUID from the md5 (the API refuses ids that are not well-formed UUIDs): the version
  // nibble set to 4 and the variant bits to 10.
  const idOf = (kind: string, index: SQL): SQL => {
    const h = sql`md5(${sql.raw(`'${salt}:${kind}:'`)} || ${index})`;
    return sql`(substr(${h}, 1, 12) || '4' || substr(${h}, 14, 3) || substr('89ab', get_byte(decode(substr(${h}, 17, 2), 'hex'), 0) % 4 + 1, 1) || substr(${h}, 18, 15))::uuid`;
  };
  const base = sql.raw(`'${new Date().toISOString()}'::timestamptz`); // one clock for every statement
  const nCo = int(opts.companies);
  const nCt = int(opts.contacts);
  const nDl = int(opts.deals);
  const nA = COMPANY_A.length;
  const nB = COMPANY_B.length;
  const nC = COMPANY_C.length;
  const combos = nA * nB * nC; // 16,800 distinct company names

  await step(`companies: ${opts.companies}`, () =>
    db.execute(sql`
      insert into companies (id, org_id, name, domain, industry, owner_id, source, external_id, created_at, updated_at)
      select ${idOf('co', sql`g.i`)}, ${org},
             w.a || ' ' || w.b || ' ' || w.c,
             lower(w.a || '-' || w.b || '-' || w.c) || case when g.i > ${sql.raw(String(combos))} then '-' || g.i else '' end || '.com',
             ${textArray(INDUSTRIES)}[1 + (p.j / ${sql.raw(String(nA * nB))})::int % ${len(INDUSTRIES)}],
             ${owners}[1 + (g.i % ${len(opts.ownerIds)})::int],
             'bench', 'co-' || g.i, t.at, t.at
      from generate_series(1::bigint, ${nCo}::bigint) g(i)
      -- (i-1)*7919 mod combos is a permutation of 0..combos-1 (7919 is prime, coprime to combos)
      cross join lateral (select ((g.i - 1) * 7919) % ${sql.raw(String(combos))} as j) p
      cross join lateral (select ${textArray(COMPANY_A)}[1 + (p.j % ${len(COMPANY_A)})::int] as a,
                                 ${textArray(COMPANY_B)}[1 + ((p.j / ${len(COMPANY_A)}) % ${len(COMPANY_B)})::int] as b,
                                 ${textArray(COMPANY_C)}[1 + ((p.j / ${sql.raw(String(nA * nB))}) % ${len(COMPANY_C)})::int] as c) w
      cross join lateral (select ${base} - interval '900 days' + ((g.i * 7907) % 86400) * interval '1 minute' as at) t
    `),
  );

  // Contacts: the AFTER INSERT trigger fills contact_search_terms row by row, so this is the
  // slowest part; chunks keep progress visible. Company choice is skewed (x² of a hash), so a
  // few accounts have hundreds of contacts, as big customers do.
  for (let from = 1; from <= opts.contacts; from += CONTACT_CHUNK) {
    const to = Math.min(opts.contacts, from + CONTACT_CHUNK - 1);
    await step(`contacts ${from}..${to}`, () =>
      db.execute(sql`
        insert into contacts (id, org_id, email, first_name, last_name, title, phone, company_id, owner_id, tags, source, external_id, created_at, updated_at)
        select ${idOf('ct', sql`n.i`)}, ${org},
               lower(n.fn || '.' || n.ln || '.' || n.i || '@' || co.domain),
               n.fn, n.ln,
               ${textArray(TITLES)}[1 + (n.i % ${len(TITLES)})::int],
               '+1 ' || (201 + n.i % 780) || '-555-' || lpad((n.i % 10000)::text, 4, '0'),
               co.id, co.owner_id,
               case when n.i % 4 = 0 then array[${textArray(TAGS)}[1 + (n.i % ${len(TAGS)})::int]] else '{}'::text[] end,
               'bench', 'ct-' || n.i, t.at, t.at
        from (
          select g.i,
                 ${textArray(FIRST_NAMES)}[1 + ((g.i * 7919) % ${len(FIRST_NAMES)})::int] as fn,
                 ${textArray(LAST_NAMES)}[1 + ((g.i * 104729) % ${len(LAST_NAMES)})::int] as ln,
                 1 + floor(${nCo} * power(((g.i * 2654435761) % 4294967296)::float8 / 4294967296, 2))::bigint as ci
          from generate_series(${int(from)}::bigint, ${int(to)}::bigint) g(i)
        ) n
        join companies co on co.id = ${idOf('co', sql`n.ci`)}
        cross join lateral (select ${base} - interval '720 days' + ((n.i * 7907) % 1036800) * interval '1 minute' as at) t
      `),
    );
  }

  // Deal #i belongs to contact #k's company, k = 1 + (i·104723 mod contacts). Activities reuse
  // the same formula to reach a deal's primary contact.
  const primaryContact = (dealIndex: SQL): SQL => sql`(1 + ((${dealIndex}) * 104723) % ${nCt})`;
  await step(`deals: ${opts.deals}`, () =>
    db.execute(sql`
      insert into deals (id, org_id, name, value_cents, currency, pipeline_id, stage_id, probability, owner_id, company_id,
                         expected_close_date, actual_close_date, outcome, lost_reason, stage_changed_at, source, external_id, created_at, updated_at)
      select ${idOf('dl', sql`g.i`)}, ${org},
             co.name || ' — ' || ${textArray(PRODUCTS)}[1 + (g.i % ${len(PRODUCTS)})::int],
             (500000 + ((g.i * 7919) % 291) * 50000),
             'USD', ${pipeline}, st.id, st.default_probability, coalesce(ct.owner_id, ${owners}[1]), ct.company_id,
             (t.moved + ((g.i % 90) - 20) * interval '1 day')::date,
             case when st.is_won or st.is_lost then t.moved::date end,
             case when st.is_won then 'won' when st.is_lost then 'lost' end,
             case when st.is_lost then ${textArray(LOST_REASONS)}[1 + (g.i % ${len(LOST_REASONS)})::int] end,
             t.moved, 'bench', 'dl-' || g.i, t.created, t.moved
      from generate_series(1::bigint, ${nDl}::bigint) g(i)
      join contacts ct on ct.id = ${idOf('ct', primaryContact(sql`g.i`))}
      join companies co on co.id = ct.company_id
      join pipeline_stages st on st.id = ${stages}[1 + ((g.i * 31) % ${len(opts.stageIds)})::int]
      cross join lateral (select ${base} - ((g.i * 7907) % 17520) * interval '1 hour' as created) c
      -- the last move happens somewhere between creation and now
      cross join lateral (select c.created as created,
                                 c.created + (${base} - c.created) * (((g.i * 48271) % 1000) / 1000.0) as moved) t
    `),
  );

  await step('deal contacts and stage history', async () => {
    // The primary contact plus up to two colleagues from the same company.
    await db.execute(sql`
      insert into deal_contacts (org_id, deal_id, contact_id)
      select ${org}, ${idOf('dl', sql`g.i`)}, x.id
      from generate_series(1::bigint, ${nDl}::bigint) g(i)
      join contacts p on p.id = ${idOf('ct', primaryContact(sql`g.i`))}
      cross join lateral (
        select p.id
        union all
        (select c.id from contacts c
         where c.org_id = ${org} and c.company_id = p.company_id and c.id <> p.id
         order by c.id limit (g.i % 3))
      ) x
      on conflict do nothing
    `);
    await db.execute(sql`
      insert into deal_stage_history (org_id, deal_id, from_stage_id, to_stage_id, changed_at, changed_by)
      select d.org_id, d.id, null, ${firstStage}, d.created_at, d.owner_id
      from deals d where d.org_id = ${org} and d.source = 'bench'
      union all
      select d.org_id, d.id, ${firstStage}, d.stage_id, d.stage_changed_at, d.owner_id
      from deals d where d.org_id = ${org} and d.source = 'bench' and d.stage_id <> ${firstStage}
    `);
  });

  // One definition of activity #i's facts, used by both inserts so each link's occurred_at
  // equals its activity's. Every third activity concerns a deal (through its primary contact).
  const hasDeals = opts.deals > 0;
  // kind: 0–4 task (a third of them open, created in the last two weeks so their due dates
  // straddle today), 5–59 email, 60–74 call, 75–89 meeting, 90–99 note.
  const activityFacts = (from: number, to: number): SQL => sql`
    select h.i, h.deal_index, h.contact_index, h.kind, h.open_task,
           case when h.open_task then ${base} - interval '4 days' - (h.i % 20160) * interval '1 minute'
                else ${base} - ((h.i * 48271) % 1051200) * interval '1 minute' end as at
    from (
      select g.i,
             ${hasDeals ? sql`case when g.i % 3 = 0 then 1 + (g.i * 7919) % ${nDl} end` : sql`null::bigint`} as deal_index,
             ${hasDeals ? sql`case when g.i % 3 = 0 then ${primaryContact(sql`1 + (g.i * 7919) % ${nDl}`)} else 1 + (g.i * 15485863) % ${nCt} end` : sql`1 + (g.i * 15485863) % ${nCt}`} as contact_index,
             (g.i * 2654435761) % 100 as kind,
             (g.i * 2654435761) % 100 < 5 and g.i % 3 = 0 as open_task
      from generate_series(${int(from)}::bigint, ${int(to)}::bigint) g(i)
    ) h
  `;

  for (let from = 1; from <= opts.activities; from += ACTIVITY_CHUNK) {
    const to = Math.min(opts.activities, from + ACTIVITY_CHUNK - 1);
    await step(`activities ${from}..${to}`, async () => {
      await db.execute(sql`
        insert into activities (id, org_id, type, subject, body, direction, occurred_at, due_at, completed_at, owner_id,
                                message_id, thread_id, from_address, to_addresses, source, external_id, created_at, updated_at)
        select ${idOf('ac', sql`f.i`)}, ${org}, k.type,
               case when k.type = 'email' then ${textArray(EMAIL_SUBJECTS)}[1 + (f.i % ${len(EMAIL_SUBJECTS)})::int]
                    when k.type = 'task' then 'Follow up with ' || ct.first_name
                    else ${textArray(OTHER_SUBJECTS)}[1 + (f.i % ${len(OTHER_SUBJECTS)})::int] end,
               case when k.type in ('note', 'call') then 'Spoke with ' || ct.first_name || ' ' || ct.last_name || ' about next steps.' end,
               k.direction, k.at,
               case when k.type = 'task' then k.at + (1 + f.i % 10) * interval '1 day' end,
               case when k.type = 'task' and not k.open_task then k.at + interval '1 day' end,
               ct.owner_id,
               case when k.type = 'email' then '<bench-' || ${sql.raw(`'${salt}'`)} || '-' || f.i || '@mail.bench.test>' end,
               case when k.type = 'email' then 'bench-thread-' || ${sql.raw(`'${salt}'`)} || '-' || (f.i / 4) end,
               case when k.direction = 'inbound' then ct.email when k.direction = 'outbound' then u.email end,
               case when k.direction = 'inbound' then array[u.email] when k.direction = 'outbound' then array[ct.email] end,
               'bench', 'ac-' || f.i, k.at, k.at
        from (${activityFacts(from, to)}) f
        join contacts ct on ct.id = ${idOf('ct', sql`f.contact_index`)}
        left join "user" u on u.id = ct.owner_id
        cross join lateral (
          select case when f.kind < 5 then 'task' when f.kind < 60 then 'email' when f.kind < 75 then 'call'
                      when f.kind < 90 then 'meeting' else 'note' end as type,
                 case when f.kind between 5 and 59 then case when f.i % 2 = 0 then 'inbound' else 'outbound' end end as direction,
                 f.open_task, f.at
        ) k
      `);
      await db.execute(sql`
        insert into activity_links (org_id, activity_id, contact_id, company_id, deal_id, occurred_at, type)
        select ${org}, ${idOf('ac', sql`f.i`)}, v.contact_id, v.company_id, v.deal_id, f.at,
               case when f.kind < 5 then 'task' when f.kind < 60 then 'email' when f.kind < 75 then 'call'
                    when f.kind < 90 then 'meeting' else 'note' end
        from (${activityFacts(from, to)}) f
        join contacts ct on ct.id = ${idOf('ct', sql`f.contact_index`)}
        cross join lateral (values
          (ct.id, null::uuid, null::uuid),
          (null::uuid, ct.company_id, null::uuid),
          (null::uuid, null::uuid, case when f.deal_index is not null then ${idOf('dl', sql`f.deal_index`)} end)
        ) v(contact_id, company_id, deal_id)
        where v.contact_id is not null or v.company_id is not null or v.deal_id is not null
      `);
    });
  }

  await step('analyze', () =>
    db.execute(sql`vacuum analyze companies, contacts, contact_search_terms, deals, deal_contacts, deal_stage_history, activities, activity_links`),
  );

  // Samples for benchmarks: md5 ids make "order by id" a pseudo-random pick.
  const emails = rowsOf<{ email: string }>(
    await db.execute(sql`select email from contacts where org_id = ${org} and source = 'bench' order by id limit 1000`),
  ).map((r) => r.email);
  const people = rowsOf<{ first_name: string | null; last_name: string | null; company: string | null }>(
    await db.execute(sql`
      select c.first_name, c.last_name, co.name as company
      from contacts c left join companies co on co.id = c.company_id
      where c.org_id = ${org} and c.source = 'bench' order by c.id desc limit 2000`),
  );
  // Rotate through first name, last name and company words, and through prefix lengths 3..5.
  const terms = new Set<string>();
  for (const [i, p] of people.entries()) {
    if (terms.size >= 200) break;
    const words = [p.first_name, p.last_name, ...(p.company ?? '').split(' ')].filter((w): w is string => !!w && w.length >= 3);
    const word = words[i % words.length];
    if (word) terms.add(word.toLowerCase().slice(0, 3 + (Math.floor(i / 3) % 3)));
  }

  progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { sampleEmails: emails, sampleSearchTerms: [...terms] };
}

function textArray(values: readonly string[]): SQL {
  return sql.raw(`(array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')}]::text[])`);
}

function uuidArray(ids: readonly string[]): SQL {
  return sql.raw(`(array[${ids.map((id) => `'${id}'`).join(',')}]::uuid[])`);
}

function len(values: readonly unknown[]): SQL {
  return sql.raw(String(values.length));
}

function int(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`generateBenchData: not a count: ${n}`);
  return sql.raw(String(n));
}
