// Demo organization "Northwind Demo": users, a sales pipeline, companies, contacts, ~210 deals
// with stage histories and a few thousand activities. Histories are shaped so that silence and
// stalls tend to precede losses (with deliberate noise), which the risk-scoring backtest needs.
// Everything is derived from opts.random and opts.now, so a seed gives the same content
// (row ids are random UUIDs, so seeding twice into one database cannot collide).
import { mulberry32 } from '../core/risk/random.ts';
import { randomUUID } from 'node:crypto';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from './client.ts';
import {
  activities,
  activityLinks,
  auditLog,
  companies,
  contacts,
  dealContacts,
  dealStageHistory,
  deals,
  memberships,
  organizations,
  pipelineStages,
  pipelines,
  teams,
} from './schema/index.ts';

export const demoCredentials = {
  password: 'demo-password',
  admin: 'admin@demo.test',
  rep: 'rep1@demo.test',
  manager: 'manager@demo.test',
};

export type DemoRole = 'admin' | 'manager' | 'rep' | 'readonly';

export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
  password: string;
  userId: string;
}

export interface SeedDemoOptions {
  now: Date;
  createUser: (u: { email: string; name: string; password: string }) => Promise<string>;
  random?: () => number;
}


const DAY = 86_400_000;
const HOUR = 3_600_000;
const BATCH = 1000;

// ---- fixed vocabulary ----

const DEMO_USERS: { email: string; name: string; role: DemoRole }[] = [
  { email: 'admin@demo.test', name: 'Alex Morgan', role: 'admin' },
  { email: 'manager@demo.test', name: 'Jordan Blake', role: 'manager' },
  { email: 'rep1@demo.test', name: 'Riley Park', role: 'rep' },
  { email: 'rep2@demo.test', name: 'Sam Torres', role: 'rep' },
  { email: 'rep3@demo.test', name: 'Casey Nguyen', role: 'rep' },
  { email: 'readonly@demo.test', name: 'Taylor Reed', role: 'readonly' },
];

const STAGES = [
  { name: 'Discovery', probability: 10, isWon: false, isLost: false },
  { name: 'Qualification', probability: 25, isWon: false, isLost: false },
  { name: 'Proposal', probability: 50, isWon: false, isLost: false },
  { name: 'Negotiation', probability: 75, isWon: false, isLost: false },
  { name: 'Closed Won', probability: 100, isWon: true, isLost: false },
  { name: 'Closed Lost', probability: 0, isWon: false, isLost: true },
] as const;
const WON = 4;
const LOST = 5;

const COMPANIES: { name: string; domain: string; industry: string }[] = [
  { name: 'Acme Robotics', domain: 'acme-robotics.com', industry: 'Industrial Automation' },
  { name: 'Bluefin Logistics', domain: 'bluefinlogistics.com', industry: 'Logistics' },
  { name: 'Cedar Health Partners', domain: 'cedarhealth.com', industry: 'Healthcare' },
  { name: 'Brightline Energy', domain: 'brightline-energy.com', industry: 'Energy' },
  { name: 'Summit Analytics', domain: 'summitanalytics.io', industry: 'Software' },
  { name: 'Harborview Shipping', domain: 'harborview-shipping.com', industry: 'Logistics' },
  { name: 'Pinecrest Financial', domain: 'pinecrestfinancial.com', industry: 'Financial Services' },
  { name: 'Quantum Foods', domain: 'quantumfoods.com', industry: 'Food & Beverage' },
  { name: 'Redwood Biotech', domain: 'redwoodbio.com', industry: 'Biotechnology' },
  { name: 'Silverline Media', domain: 'silverlinemedia.co', industry: 'Media' },
  { name: 'Northstar Manufacturing', domain: 'northstar-mfg.com', industry: 'Manufacturing' },
  { name: 'Orbit Telecom', domain: 'orbittelecom.net', industry: 'Telecommunications' },
  { name: 'Granitepeak Builders', domain: 'granitepeak.com', industry: 'Construction' },
  { name: 'Lumina Retail Co', domain: 'luminaretail.com', industry: 'Retail' },
  { name: 'Keystone Mutual Insurance', domain: 'keystonemutual.com', industry: 'Insurance' },
  { name: 'Copperfield Software', domain: 'copperfield.dev', industry: 'Software' },
  { name: 'Meridian Stay Hotels', domain: 'meridianstay.com', industry: 'Hospitality' },
  { name: 'Evergreen Schools Network', domain: 'evergreen-edu.org', industry: 'Education' },
  { name: 'Falcon Aerospace Components', domain: 'falconaero.com', industry: 'Aerospace' },
  { name: 'Tidewater Utilities', domain: 'tidewater-utilities.com', industry: 'Utilities' },
  { name: 'Ironwall Security', domain: 'ironwallsec.com', industry: 'Cybersecurity' },
  { name: 'Sparrow Pharmaceuticals', domain: 'sparrowpharma.com', industry: 'Pharmaceuticals' },
  { name: 'Atlas Freightworks', domain: 'atlasfreightworks.com', industry: 'Logistics' },
  { name: 'Kestrel Labs', domain: 'kestrel-labs.com', industry: 'Software' },
  { name: 'Willow Creek Farms', domain: 'willowcreekfarms.com', industry: 'Agriculture' },
];

const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Sophia', 'Mason', 'Isabella', 'Lucas',
  'Mia', 'Logan', 'Amelia', 'James', 'Harper', 'Benjamin', 'Evelyn', 'Elijah', 'Abigail', 'Daniel',
  'Emily', 'Henry', 'Ella', 'Jackson', 'Scarlett', 'Sebastian', 'Grace', 'Aiden', 'Chloe', 'Matthew',
  'Priya', 'Arjun', 'Mei', 'Hiroshi', 'Fatima', 'Omar', 'Sofia', 'Mateo', 'Ingrid', 'Lars',
  'Nadia', 'Tomás', 'Chen', 'Aisha', 'Diego', 'Hannah', 'Marcus', 'Leah', 'Victor', 'Rachel',
];

const LAST_NAMES = [
  'Anderson', 'Bennett', 'Carter', 'Delgado', 'Ellis', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen',
  'Kowalski', 'Larsen', 'Martinez', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Robinson', 'Schmidt', 'Thompson',
  'Underwood', 'Vasquez', 'Walker', 'Xu', 'Young', 'Zimmerman', 'Brooks', 'Chang', 'Dubois', 'Edwards',
  'Foster', 'Gallagher', 'Hoffman', 'Iyer', 'Johansson', 'Kim', 'Lopez', 'Mitchell', 'Novak', 'Olsen',
  'Petrov', 'Ramirez', 'Sullivan', 'Tanaka', 'Wright', 'Hayes', 'Russo', 'Singh', 'Murphy', 'Coleman',
];

const TITLES = [
  'VP of Operations', 'Head of Procurement', 'Chief Financial Officer', 'IT Director', 'Operations Manager',
  'Senior Buyer', 'Chief Technology Officer', 'Director of Engineering', 'Procurement Specialist',
  'Chief Operating Officer', 'Finance Manager', 'Head of Data', 'Product Manager', 'VP of Sales',
  'Supply Chain Manager', 'Security Architect',
];

const TAGS = ['decision-maker', 'champion', 'economic-buyer', 'technical', 'procurement', 'newsletter', 'webinar-2025', 'referral'];
const AREA_CODES = [212, 312, 415, 503, 617, 646, 702, 737, 206, 303, 404, 512];
const PRODUCTS = [
  'Fleet Analytics', 'Platform license', 'Annual renewal', 'Pilot', 'Enterprise expansion', 'Data integration',
  'Team plan upgrade', 'Multi-site rollout', 'Forecasting module', 'Support plan',
];
const COMPETITORS = ['Globex', 'Initech', 'Umbrella Systems', 'Hooli'];
const LOST_REASONS_QUIET = ['No response / went dark', 'No decision made', 'Budget frozen', 'Project deprioritized'];
const LOST_REASONS_BUSY = ['Chose a competitor', 'Price too high', 'Missing SSO/SAML support', 'Timing: revisit next year'];

const STAGE_EMAILS: readonly (readonly string[])[] = [
  ['Intro: Northwind x {co}', 'Quick question about {co} operations', 'Next steps after our intro call'],
  ['Requirements for {product}', 'Technical questions from the {co} team', 'Security questionnaire'],
  ['Proposal: {product} for {co}', 'Pricing options for {co}', 'Updated proposal'],
  ['Order form and MSA', 'Contract redlines', 'Final pricing for {product}'],
];
const FOLLOW_UPS = ['Checking in', 'Following up on {product}', 'Any update on your side?', 'Closing the loop'];
const OUTBOUND_BODIES = [
  'Hi {first}, sharing the notes from our last conversation and the proposed next steps.',
  'Hi {first}, attached is the material we discussed. Happy to walk your team through it.',
  'Hi {first}, could you confirm who else should join the next session?',
  'Hi {first}, a short summary of where we are and what we need from your side.',
];
const FOLLOW_UP_BODIES = [
  'Hi {first}, just bumping this to the top of your inbox. Any thoughts?',
  'Hi {first}, wanted to check whether this is still a priority this quarter.',
  'Hi {first}, I have not heard back. Should I close this out for now?',
];
const INBOUND_BODIES = [
  'Thanks {rep}, this looks good. Looping in my colleague for the technical part.',
  'Sounds good. Can we meet on Thursday to go through it?',
  'Appreciate it. We reviewed internally and have a few questions, see below.',
  'Attached is our feedback on the draft. Mostly minor points.',
  'Great, I will share this with our CFO today.',
];
const MEETINGS = [
  ['Discovery call with {co}', 'Intro meeting: {co}'],
  ['Technical deep dive', 'Requirements workshop with {co}'],
  ['Product demo for {co}', 'Proposal review'],
  ['Negotiation call', 'Executive alignment with {co}'],
];
const CALLS = ['Call with {first} {last}', 'Check-in call', 'Pricing call with {first}', 'Reference call setup'];
const NOTES = [
  '{first} says budget is approved for next quarter.',
  'Competitor in the mix: {competitor}.',
  'Champion: {first} is pushing this internally.',
  'Needs SSO and an audit log before signing.',
  'Legal review takes about two weeks at {co}.',
];
const TASKS = [
  'Send revised proposal to {first}',
  'Follow up with {first} on pricing',
  'Schedule demo for the {co} team',
  'Prepare security questionnaire answers',
  'Book executive sponsor call',
  'Confirm contract start date with {first}',
];

// ---- plan types ----

type ActivityRow = typeof activities.$inferInsert;
type LinkRow = typeof activityLinks.$inferInsert;

interface Person {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

interface CompanyPlan {
  id: string;
  name: string;
  domain: string;
  industry: string;
  ownerId: string;
  contacts: Person[];
}

interface Rep {
  id: string;
  email: string;
  name: string;
}

type Outcome = 'open' | 'won' | 'lost';

interface DealSpec {
  outcome: Outcome;
  /** Open deals: the current stage; closed deals: the last open stage before closing. */
  lastOpenStage: number;
  healthy: boolean;
  historical: boolean;
}

export async function seedDemoData(
  db: Db,
  opts: SeedDemoOptions,
): Promise<{ orgId: string; users: DemoUser[] }> {
  const main = opts.random ?? mulberry32(20_240_611);
  let stream = main;
  const rnd = () => stream();
  const now = opts.now.getTime();
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  const int = (lo: number, hi: number): number => Math.floor(uniform(lo, hi + 1));
  const chance = (p: number): boolean => rnd() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const shuffled = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };

  // Users first and outside any transaction: createUser goes through the auth library, which
  // may use its own connection (on PGlite a held transaction would deadlock it).
  const users: DemoUser[] = [];
  for (const u of DEMO_USERS) {
    const userId = await opts.createUser({ email: u.email, name: u.name, password: demoCredentials.password });
    users.push({ ...u, password: demoCredentials.password, userId });
  }
  const reps: Rep[] = users.filter((u) => u.role === 'rep').map((u) => ({ id: u.userId, email: u.email, name: u.name }));

  const orgId = randomUUID();
  const teamId = randomUUID();
  const pipelineId = randomUUID();
  const stageIds = STAGES.map(() => randomUUID());

  // ---- companies and contacts ----
  const usedEmails = new Set<string>();
  const companyPlans: CompanyPlan[] = COMPANIES.map((c, i) => {
    const ownerId = reps[i % reps.length]!.id;
    const people: Person[] = [];
    const count = int(2, 5);
    while (people.length < count) {
      const firstName = pick(FIRST_NAMES);
      const lastName = pick(LAST_NAMES);
      const email = `${ascii(firstName)}.${ascii(lastName)}@${c.domain}`;
      if (usedEmails.has(email)) continue;
      usedEmails.add(email);
      people.push({ id: randomUUID(), email, firstName, lastName });
    }
    return { id: randomUUID(), ...c, ownerId, contacts: people };
  });

  // ---- deals ----
  const specs: DealSpec[] = [];
  // The visible pipeline: open deals in every open stage, and recently closed ones.
  // One open deal in five has gone quiet: in a pipeline people work, most deals are moving, and the
  // high-risk band should hold the few worth a look today (README, "Deal risk"), not a third of them.
  [10, 9, 8, 7].forEach((n, stage) => {
    for (let i = 0; i < n; i++) specs.push({ outcome: 'open', lastOpenStage: stage, healthy: (i + stage) % 5 !== 4, historical: false });
  });
  for (let i = 0; i < 13; i++) specs.push({ outcome: 'won', lastOpenStage: 3, healthy: chance(0.82), historical: false });
  for (let i = 0; i < 13; i++) specs.push({ outcome: 'lost', lastOpenStage: lostAtStage(rnd()), healthy: chance(0.18), historical: false });
  // 18 months of closed history so stage-duration statistics and the backtest have data.
  for (let i = 0; i < 150; i++) {
    const won = chance(0.42);
    specs.push({
      outcome: won ? 'won' : 'lost',
      lastOpenStage: won ? 3 : lostAtStage(rnd()),
      // ~18% noise either way: quiet deals that still close, busy deals that are lost.
      healthy: won ? chance(0.82) : chance(0.18),
      historical: true,
    });
  }

  const dealRows: (typeof deals.$inferInsert)[] = [];
  const dealContactRows: (typeof dealContacts.$inferInsert)[] = [];
  const historyRows: (typeof dealStageHistory.$inferInsert)[] = [];
  const activityRows: ActivityRow[] = [];
  const linkRows: LinkRow[] = [];
  const involvedContacts = new Set<string>();
  const firstTouch = new Map<string, number>(); // company id -> earliest deal creation
  let messageSeq = 0;
  let threadSeq = 0;
  const openTaskSubjects = new Set<string>(); // person id | subject of their open tasks

  const addActivity = (
    row: Omit<ActivityRow, 'id' | 'orgId' | 'createdAt' | 'updatedAt' | 'occurredAt'> & { occurredAt: Date },
    links: { contactIds: string[]; companyId: string | null; dealId: string | null },
  ): void => {
    const id = randomUUID();
    const at = row.occurredAt;
    activityRows.push({ ...row, id, orgId, createdAt: at, updatedAt: row.completedAt ?? at });
    const type = row.type;
    for (const contactId of links.contactIds) linkRows.push({ orgId, activityId: id, contactId, occurredAt: at, type });
    if (links.companyId) linkRows.push({ orgId, activityId: id, companyId: links.companyId, occurredAt: at, type });
    if (links.dealId) linkRows.push({ orgId, activityId: id, dealId: links.dealId, occurredAt: at, type });
  };

  for (const spec of specs) {
    // Each deal draws from its own stream, seeded from the main one. How many draws a deal's timeline
    // takes depends on the clock (touches snap to business hours of calendar days), and that must not
    // change which company and people the next deals get: the demo inbox's threads are picked from them.
    stream = mulberry32(Math.floor(main() * 2 ** 32));
    const company = pick(companyPlans);
    const owner = reps.find((r) => r.id === company.ownerId)!;
    const product = pick(PRODUCTS);
    // A deal's timeline reads true when no email, meeting or call subject comes twice: templates are
    // drawn without repeats per deal; once a list is used up, that kind of touch is skipped.
    const used = new Set<string>();
    const fresh = (items: readonly string[]): string | null => {
      const unused = items.filter((x) => !used.has(x));
      if (!unused.length) return null;
      const choice = pick(unused);
      used.add(choice);
      return choice;
    };
    const dealId = randomUUID();

    // Healthy deals involve several people; quiet ones usually hang on a single contact.
    const wanted = spec.healthy ? (chance(0.8) ? int(2, 4) : 1) : chance(0.8) ? 1 : 2;
    const people = shuffled(company.contacts).slice(0, Math.min(wanted, company.contacts.length));
    for (const p of people) {
      dealContactRows.push({ orgId, dealId, contactId: p.id });
      involvedContacts.add(p.id);
    }

    // Stage timeline. enter[s] = when the deal entered open stage s (0..lastOpenStage).
    const last = spec.lastOpenStage;
    const durations: number[] = [];
    for (let s = 0; s <= last; s++) {
      const steady = uniform(6, 16) * DAY * (spec.healthy ? 1 : 1.3);
      durations.push(s === last && !spec.healthy ? uniform(25, 70) * DAY : steady);
    }
    let endAt: number; // closing time, or now for open deals
    let lastMoveAt: number; // when the deal entered its current stage
    const enter: number[] = new Array<number>(last + 1).fill(0);
    if (spec.outcome === 'open') {
      endAt = now;
      lastMoveAt = now - (spec.healthy ? uniform(1, 14) : uniform(30, 75)) * DAY;
      enter[last] = lastMoveAt;
    } else {
      endAt = spec.historical ? now - uniform(20, 540) * DAY : now - uniform(2, 115) * DAY;
      lastMoveAt = endAt;
      enter[last] = endAt - durations[last]!;
    }
    for (let s = last - 1; s >= 0; s--) enter[s] = enter[s + 1]! - durations[s]!;
    const createdAt = enter[0]!;
    firstTouch.set(company.id, Math.min(firstTouch.get(company.id) ?? Infinity, createdAt));

    let from: string | null = null;
    for (let s = 0; s <= last; s++) {
      historyRows.push({ orgId, dealId, fromStageId: from, toStageId: stageIds[s]!, changedAt: new Date(enter[s]!), changedBy: owner.id });
      from = stageIds[s]!;
    }
    const finalStage = spec.outcome === 'won' ? WON : spec.outcome === 'lost' ? LOST : last;
    if (spec.outcome !== 'open') {
      historyRows.push({ orgId, dealId, fromStageId: from, toStageId: stageIds[finalStage]!, changedAt: new Date(endAt), changedBy: owner.id });
    }

    const stageAt = (t: number): number => {
      let s = 0;
      for (let i = 0; i <= last; i++) if (enter[i]! <= t) s = i;
      return s;
    };
    const fill = (template: string, person: Person): string =>
      template
        .replaceAll('{co}', company.name)
        .replaceAll('{product}', product)
        .replaceAll('{first}', person.firstName)
        .replaceAll('{last}', person.lastName)
        .replaceAll('{rep}', owner.name.split(' ')[0]!)
        .replaceAll('{competitor}', pick(COMPETITORS));
    const links = (contactIds: string[]) => ({ contactIds, companyId: company.id, dealId });
    const limit = Math.min(endAt, now);

    const emailThread = (t: number, subjectTemplate: string, bodyTemplate: string, replyChance: number): number => {
      const to = people[0]!;
      const cc = people.length > 1 && chance(0.5) ? people.slice(1).map((p) => p.email) : null;
      const threadId = `demo-thread-${++threadSeq}`;
      const subject = fill(subjectTemplate, to);
      addActivity(
        {
          type: 'email', subject, body: fill(bodyTemplate, to), direction: 'outbound', occurredAt: new Date(t),
          ownerId: owner.id, messageId: `<demo-${++messageSeq}@mail.northwind.test>`, threadId,
          fromAddress: owner.email, toAddresses: [to.email], ccAddresses: cc,
        },
        links(people.map((p) => p.id)),
      );
      let latest = t;
      if (chance(replyChance)) {
        const replyAt = t + uniform(2, 30) * HOUR;
        if (replyAt < limit) {
          const replier = chance(0.7) ? to : pick(people);
          addActivity(
            {
              type: 'email', subject: `Re: ${subject}`, body: fill(pick(INBOUND_BODIES), replier), direction: 'inbound',
              occurredAt: new Date(replyAt), ownerId: owner.id, messageId: `<demo-${++messageSeq}@mail.northwind.test>`,
              threadId, fromAddress: replier.email, toAddresses: [owner.email], ccAddresses: null,
            },
            links([replier.id]),
          );
          latest = replyAt;
        }
      }
      return latest;
    };
    const touch = (t: number, replyChance: number): void => {
      const stage = stageAt(t);
      const person = pick(people);
      const r = rnd();
      if (r < 0.5) {
        const subject = fresh(STAGE_EMAILS[stage]!);
        if (subject) emailThread(t, subject, pick(OUTBOUND_BODIES), replyChance);
      } else if (r < 0.68) {
        const subject = fresh(MEETINGS[stage]!);
        if (subject) {
          addActivity({ type: 'meeting', subject: fill(subject, person), body: null, occurredAt: new Date(t), ownerId: owner.id }, links(people.map((p) => p.id)));
        }
      } else if (r < 0.86) {
        const subject = fresh(CALLS);
        if (subject) {
          addActivity(
            { type: 'call', subject: fill(subject, person), body: `Spoke with ${person.firstName} for ${int(10, 45)} minutes.`, occurredAt: new Date(t), ownerId: owner.id },
            links([person.id]),
          );
        }
      } else {
        addActivity({ type: 'note', subject: 'Note', body: fill(pick(NOTES), person), occurredAt: new Date(t), ownerId: owner.id }, links([person.id]));
      }
      if (chance(0.1)) {
        const due = t + uniform(1, 5) * DAY;
        if (due < limit) {
          addActivity(
            { type: 'task', subject: fill(pick(TASKS), person), body: null, occurredAt: new Date(t), dueAt: new Date(due), completedAt: new Date(Math.min(due, t + uniform(4, 60) * HOUR)), ownerId: owner.id },
            links([person.id]),
          );
        }
      }
    };

    const gapScale = spec.historical ? 1.4 : 1;
    if (spec.healthy) {
      // Steady two-way contact right up to the close.
      const stopAt = limit - uniform(0, 3) * DAY;
      for (let t = createdAt + uniform(2, 20) * HOUR; t < stopAt; t += uniform(3, 8) * gapScale * DAY) touch(workHours(t, stopAt, rnd), 0.85);
    } else {
      // Engaged at first, then one-sided follow-ups without replies, then silence.
      const stallLength = spec.outcome === 'open' ? now - enter[last]! : durations[last]!;
      const engagedUntil = enter[last]! + uniform(0, 0.4) * stallLength;
      const silentFrom = Math.max(engagedUntil, limit - uniform(12, 40) * DAY);
      let t = createdAt + uniform(2, 20) * HOUR;
      for (; t < Math.min(engagedUntil, silentFrom); t += uniform(5, 11) * gapScale * DAY) touch(workHours(t, silentFrom, rnd), 0.55);
      for (t = Math.max(t, engagedUntil); t < silentFrom; t += uniform(7, 16) * DAY) {
        const person = people[0]!;
        const subject = fresh(FOLLOW_UPS);
        if (!subject) break; // every follow-up was tried: the rep stops chasing
        emailThread(workHours(t, silentFrom, rnd), subject, pick(FOLLOW_UP_BODIES), 0);
        const voicemail = `Left voicemail for ${person.firstName}`;
        if (chance(0.15) && !used.has(voicemail)) {
          used.add(voicemail);
          addActivity({ type: 'call', subject: voicemail, body: null, occurredAt: new Date(t + HOUR), ownerId: owner.id }, links([person.id]));
        }
      }
    }

    // How busy deals end: a signature, or an explicit "no".
    if (spec.outcome === 'won' && spec.healthy) {
      const signer = people[0]!;
      const at = endAt - uniform(1, 20) * HOUR;
      addActivity(
        {
          type: 'email', subject: `Signed order form: ${product}`, body: `Hi ${owner.name.split(' ')[0]}, please find the countersigned order form attached.`,
          direction: 'inbound', occurredAt: new Date(at), ownerId: owner.id, messageId: `<demo-${++messageSeq}@mail.northwind.test>`,
          threadId: `demo-thread-${++threadSeq}`, fromAddress: signer.email, toAddresses: [owner.email],
        },
        links([signer.id]),
      );
    } else if (spec.outcome === 'lost' && spec.healthy) {
      const sender = people[0]!;
      addActivity(
        {
          type: 'email', subject: `Decision on ${product}`, body: 'Thanks for all the work. We have decided to go another direction for now.',
          direction: 'inbound', occurredAt: new Date(endAt - uniform(2, 40) * HOUR), ownerId: owner.id,
          messageId: `<demo-${++messageSeq}@mail.northwind.test>`, threadId: `demo-thread-${++threadSeq}`,
          fromAddress: sender.email, toAddresses: [owner.email],
        },
        links([sender.id]),
      );
    }

    // Open work: every open deal has a next step; quiet deals' next steps are mostly overdue.
    if (spec.outcome === 'open') {
      const taskCount = chance(0.3) ? 2 : 1;
      for (let i = 0; i < taskCount; i++) {
        const person = pick(people);
        const overdue = chance(spec.healthy ? 0.25 : 0.6);
        const dueAt = overdue ? now - uniform(1, 20) * DAY : now + uniform(1, 21) * DAY;
        const createdTask = Math.max(createdAt + HOUR, Math.min(now - uniform(0.2, 10) * DAY, dueAt - uniform(1, 5) * DAY));
        // One person's open tasks never read the same twice, across their deals too.
        const unused = TASKS.map((t) => fill(t, person)).filter((t) => !openTaskSubjects.has(`${person.id}|${t}`));
        if (!unused.length) continue;
        const subject = pick(unused);
        openTaskSubjects.add(`${person.id}|${subject}`);
        addActivity(
          { type: 'task', subject, body: null, occurredAt: new Date(createdTask), dueAt: new Date(dueAt), completedAt: null, ownerId: owner.id },
          links([person.id]),
        );
      }
    }

    const closed = spec.outcome !== 'open';
    const expectedClose = closed
      ? endAt + uniform(-20, 10) * DAY
      : !spec.healthy && chance(0.4)
        ? now - uniform(3, 30) * DAY // slipped past its expected date
        : now + uniform(spec.healthy ? 7 : 5, spec.healthy ? 75 : 60) * DAY;
    const createdQuarter = new Date(createdAt);
    dealRows.push({
      id: dealId,
      orgId,
      name: spec.historical
        ? `${company.name} — ${product} (Q${Math.floor(createdQuarter.getUTCMonth() / 3) + 1} ${createdQuarter.getUTCFullYear()})`
        : `${company.name} — ${product}`,
      valueCents: Math.round(Math.exp(uniform(Math.log(500_000), Math.log(15_000_000))) / 50_000) * 50_000,
      currency: 'USD',
      pipelineId,
      stageId: stageIds[finalStage]!,
      probability: STAGES[finalStage]!.probability,
      ownerId: owner.id,
      companyId: company.id,
      expectedCloseDate: isoDate(expectedClose),
      actualCloseDate: closed ? isoDate(endAt) : null,
      outcome: closed ? (spec.outcome as 'won' | 'lost') : null,
      lostReason: spec.outcome === 'lost' ? pick(spec.healthy ? LOST_REASONS_BUSY : LOST_REASONS_QUIET) : null,
      stageChangedAt: new Date(lastMoveAt),
      createdAt: new Date(createdAt),
      updatedAt: new Date(lastMoveAt),
    });
  }
  stream = main;

  // Records exist before anything that refers to them.
  const companyCreated = (c: CompanyPlan): number => (firstTouch.get(c.id) ?? now - uniform(30, 200) * DAY) - uniform(5, 30) * DAY;
  const companyRows: (typeof companies.$inferInsert)[] = [];
  const contactRows: (typeof contacts.$inferInsert)[] = [];
  const contactCreated = new Map<string, number>();
  for (const c of companyPlans) {
    const created = companyCreated(c);
    companyRows.push({ id: c.id, orgId, name: c.name, domain: c.domain, industry: c.industry, ownerId: c.ownerId, createdAt: new Date(created), updatedAt: new Date(created) });
    for (const p of c.contacts) {
      const at = new Date(created + uniform(0, 4) * DAY);
      contactCreated.set(p.id, at.getTime());
      contactRows.push({
        id: p.id,
        orgId,
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        title: pick(TITLES),
        phone: `+1 ${pick(AREA_CODES)}-555-01${String(int(0, 99)).padStart(2, '0')}`,
        companyId: c.id,
        ownerId: chance(0.85) ? c.ownerId : pick(reps).id,
        tags: shuffled(TAGS).slice(0, int(0, 2)),
        createdAt: at,
        updatedAt: at,
      });
    }
  }

  // Some people are only in touch by email and notes, outside any deal.
  for (const company of companyPlans) {
    for (const person of company.contacts) {
      if (involvedContacts.has(person.id) || !chance(0.6)) continue;
      const owner = reps.find((r) => r.id === company.ownerId)!;
      const at = uniform(Math.max(contactCreated.get(person.id)! + DAY, now - 110 * DAY), now - 3 * DAY);
      const inbound = chance(0.5);
      addActivity(
        {
          type: 'email', subject: inbound ? 'Question about your product' : `Resources for ${company.name}`,
          body: inbound ? 'Hi, could you send over some case studies?' : `Hi ${person.firstName}, here are the resources we mentioned.`,
          direction: inbound ? 'inbound' : 'outbound', occurredAt: new Date(at), ownerId: owner.id,
          messageId: `<demo-${++messageSeq}@mail.northwind.test>`, threadId: `demo-thread-${++threadSeq}`,
          fromAddress: inbound ? person.email : owner.email, toAddresses: [inbound ? owner.email : person.email],
        },
        { contactIds: [person.id], companyId: company.id, dealId: null },
      );
      if (chance(0.4)) {
        const due = now + uniform(-7, 14) * DAY;
        addActivity(
          { type: 'task', subject: `Follow up with ${person.firstName} ${person.lastName}`, occurredAt: new Date(Math.min(at + DAY, now - HOUR)), dueAt: new Date(due), completedAt: null, ownerId: owner.id },
          { contactIds: [person.id], companyId: company.id, dealId: null },
        );
      }
    }
  }

  const admin = users.find((u) => u.role === 'admin')!;
  const orgCreatedAt = new Date(now - 730 * DAY);
  const auditRows = demoAuditRows({ orgId, adminId: admin.userId, orgCreatedAt, teamId, pipelineId, stageIds, companyRows, contactRows, dealRows, historyRows });

  await db.transaction(async (tx) => {
    await tx.insert(organizations).values({ id: orgId, name: 'Northwind Demo', createdAt: orgCreatedAt });
    await tx.insert(teams).values({ id: teamId, orgId, name: 'West' });
    await tx.insert(memberships).values(
      users.map((u) => ({ orgId, userId: u.userId, role: u.role, teamId: u.role === 'manager' || u.role === 'rep' ? teamId : null })),
    );
    await tx.insert(pipelines).values({ id: pipelineId, orgId, name: 'Sales', isDefault: true });
    await tx.insert(pipelineStages).values(
      STAGES.map((s, position) => ({
        id: stageIds[position]!, orgId, pipelineId, name: s.name, position, defaultProbability: s.probability, isWon: s.isWon, isLost: s.isLost,
      })),
    );
    await insertInBatches(tx, companies, companyRows);
    await insertInBatches(tx, contacts, contactRows);
    await insertInBatches(tx, deals, dealRows);
    await insertInBatches(tx, dealContacts, dealContactRows);
    await insertInBatches(tx, dealStageHistory, historyRows);
    await insertInBatches(tx, activities, activityRows);
    await insertInBatches(tx, activityLinks, linkRows);
    await insertInBatches(tx, auditLog, auditRows);
  });

  return { orgId, users };
}

/**
 * The audit log the seeded history would have written (the admin setting up the team and pipeline,
 * each owner creating their companies, contacts and deals, every stage move), in the shape the API
 * records it, so the admin's audit log reads like an organization in use.
 */
function demoAuditRows(d: {
  orgId: string;
  adminId: string;
  orgCreatedAt: Date;
  teamId: string;
  pipelineId: string;
  stageIds: string[];
  companyRows: (typeof companies.$inferInsert)[];
  contactRows: (typeof contacts.$inferInsert)[];
  dealRows: (typeof deals.$inferInsert)[];
  historyRows: (typeof dealStageHistory.$inferInsert)[];
}): (typeof auditLog.$inferInsert)[] {
  const rows: (typeof auditLog.$inferInsert)[] = [];
  const add = (actorId: string | null | undefined, action: 'create' | 'update', entityType: string, entityId: string, at: Date, changes: Record<string, unknown>) =>
    rows.push({ orgId: d.orgId, actorId: actorId ?? null, action, entityType, entityId, at, changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, action === 'create' ? { old: null, new: v } : v])) as Record<string, { old: unknown; new: unknown }> });
  add(d.adminId, 'create', 'team', d.teamId, d.orgCreatedAt, { name: 'West' });
  add(d.adminId, 'create', 'pipeline', d.pipelineId, d.orgCreatedAt, { name: 'Sales' });
  for (const c of d.companyRows) add(c.ownerId, 'create', 'company', c.id!, c.createdAt!, { name: c.name, domain: c.domain, industry: c.industry, ownerId: c.ownerId });
  for (const c of d.contactRows) add(c.ownerId, 'create', 'contact', c.id!, c.createdAt!, { email: c.email, firstName: c.firstName, lastName: c.lastName, title: c.title, companyId: c.companyId });
  const stageOf = new Map(d.stageIds.map((id, i) => [id, STAGES[i]!]));
  const dealOf = new Map(d.dealRows.map((deal) => [deal.id!, deal]));
  for (const h of d.historyRows) {
    const deal = dealOf.get(h.dealId)!;
    const to = stageOf.get(h.toStageId)!;
    if (h.fromStageId === null) {
      add(h.changedBy, 'create', 'deal', deal.id!, h.changedAt!, {
        name: deal.name, valueCents: deal.valueCents, currency: deal.currency, pipelineId: deal.pipelineId, stageId: h.toStageId,
        probability: to.probability, ownerId: deal.ownerId, companyId: deal.companyId, expectedCloseDate: deal.expectedCloseDate,
      });
      continue;
    }
    const from = stageOf.get(h.fromStageId!)!;
    const closing = to.isWon || to.isLost;
    add(h.changedBy, 'update', 'deal', deal.id!, h.changedAt!, {
      stageId: { old: h.fromStageId, new: h.toStageId },
      probability: { old: from.probability, new: to.probability },
      ...(closing ? { outcome: { old: null, new: deal.outcome }, actualCloseDate: { old: null, new: deal.actualCloseDate } } : {}),
      ...(to.isLost ? { lostReason: { old: null, new: deal.lostReason } } : {}),
    });
  }
  return rows.sort((a, b) => a.at!.getTime() - b.at!.getTime());
}

async function insertInBatches<T extends PgTable>(db: DbOrTx, table: T, rows: T['$inferInsert'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await db.insert(table).values(rows.slice(i, i + BATCH));
}

/** Lost deals die at every stage, most often in the middle of the funnel. */
function lostAtStage(r: number): number {
  return r < 0.2 ? 0 : r < 0.5 ? 1 : r < 0.8 ? 2 : 3;
}

/** Moves a time to business hours (13:00–22:00 UTC, US working day) when that stays before `limit`. */
function workHours(t: number, limit: number, rnd: () => number): number {
  const day = Math.floor(t / DAY) * DAY;
  const snapped = day + (13 + rnd() * 9) * HOUR;
  return snapped > t && snapped < limit ? snapped : t;
}

function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Email-safe local part: "Tomás" → "tomas". */
function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}
