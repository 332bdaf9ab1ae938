// The data both stand-ins are seeded with, in neutral terms; each provider maps it onto its own
// objects. Deterministic for a seed; timestamps lie in the year before `now`.
import { seededRandom } from './random.ts';
import type { VolumeCounts } from './options.ts';

const firstNames = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Ethan', 'Harper', 'Mason', 'Evelyn', 'Logan', 'Abigail', 'Aiden', 'Emily', 'Jackson', 'Ella', 'Sebastian', 'Camila', 'Henry', 'Luna', 'Owen', 'Sofia', 'Daniel', 'Avery', 'Samuel', 'Scarlett', 'David', 'Layla', 'Joseph', 'Chloe', 'Carter', 'Aria', 'Wyatt', 'Nora', 'John', 'Zoe', 'Leo', 'Riley', 'Julian', 'Hazel', 'Isaac', 'Ellie', 'Gabriel', 'Priya', 'Wei', 'Fatima', 'Kenji', 'Ingrid', 'Tomás', 'Aisha', 'Mikhail', 'Chiara', 'Kwame'];
const lastNames = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Müller', 'Rossi', 'Okafor', 'Larsen', 'Novak', 'Silva', 'Tanaka', 'Dubois'];
const companyStems = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Aperture', 'Wonka', 'Gringotts', 'Oscorp', 'Massive', 'Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Adventure', 'Blue Yonder', 'Coho', 'Proseware', 'Lucerne', 'Alpine', 'Fourth Coffee', 'Wingtip', 'Margie', 'Bluebird', 'Silverline', 'Redwood', 'Summit', 'Harbor', 'Pinnacle', 'Evergreen', 'Quantum', 'Vertex', 'Nimbus'];
const companySuffixes = ['Labs', 'Systems', 'Group', 'Industries', 'Analytics', 'Logistics', 'Health', 'Software', 'Partners', 'Foods', 'Energy', 'Robotics', 'Media', 'Capital', 'Networks'];
export const industries = ['Software', 'Manufacturing', 'Healthcare', 'Retail', 'Financial Services', 'Logistics', 'Education', 'Energy'] as const;
const cities: Array<[string, string]> = [['San Francisco', 'United States'], ['New York', 'United States'], ['Austin', 'United States'], ['Chicago', 'United States'], ['Toronto', 'Canada'], ['London', 'United Kingdom'], ['Berlin', 'Germany'], ['Paris', 'France'], ['Amsterdam', 'Netherlands'], ['Sydney', 'Australia'], ['Singapore', 'Singapore'], ['Tokyo', 'Japan']];
const titles = ['CEO', 'CTO', 'VP Sales', 'Head of Operations', 'Procurement Manager', 'Director of Engineering', 'Marketing Manager', 'CFO', 'Office Manager', 'IT Director', 'Product Manager', 'Account Executive'];
const dealKinds = ['Platform licence', 'Renewal', 'Expansion', 'Pilot', 'Enterprise plan', 'Support upgrade', 'Onboarding package', 'Team seats'];
const subjects = ['Intro call', 'Pricing question', 'Follow-up on proposal', 'Contract redlines', 'Security review', 'Kickoff planning', 'Quarterly check-in', 'Demo recap', 'Budget approval', 'Next steps'];

/** Open stages in order, then the two closed ones. Providers map these to their own stage names. */
export const stageLadder = ['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type NeutralStage = (typeof stageLadder)[number];
export type ActivityKind = 'email' | 'note' | 'call' | 'meeting' | 'task';

export interface SeedUser { firstName: string; lastName: string; email: string }
export interface SeedCompany { name: string; domain: string; industry: string; city: string; country: string; employees: number; createdAt: number; ownerIndex: number }
export interface SeedPerson { firstName: string; lastName: string; email: string; title: string; phone: string; companyIndex: number; createdAt: number; ownerIndex: number }
export interface SeedDeal {
  name: string; amount: number; closeDate: number; stage: NeutralStage; companyIndex: number;
  contactIndexes: number[]; ownerIndex: number; createdAt: number; history: Array<{ stage: NeutralStage; at: number }>;
}
export interface SeedActivity {
  kind: ActivityKind; subject: string; body: string; at: number; contactIndex: number;
  dealIndex: number | null; ownerIndex: number; inbound: boolean; completed: boolean;
}
export interface SeedData {
  users: SeedUser[]; companies: SeedCompany[]; contacts: SeedPerson[]; leads: SeedPerson[];
  deals: SeedDeal[]; activities: SeedActivity[];
}

const day = 86_400_000;
const slug = (text: string) => text.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '');

export function generateSeedData(seed: number, counts: VolumeCounts, now: number): SeedData {
  const random = seededRandom(seed);
  const pastTime = (maxDaysAgo: number, minDaysAgo = 0) => now - random.int(minDaysAgo * day, maxDaysAgo * day);
  const users: SeedUser[] = ['Jordan Blake', 'Riley Park', 'Sam Torres', 'Casey Nguyen', 'Alex Morgan'].map((full) => {
    const [firstName, lastName] = full.split(' ') as [string, string];
    return { firstName, lastName, email: `${slug(firstName)}.${slug(lastName)}@sandbox-sales.test` };
  });
  const owner = () => random.int(0, users.length - 1);

  const domains = new Set<string>();
  const companies: SeedCompany[] = Array.from({ length: counts.companies }, () => {
    const base = `${random.pick(companyStems)} ${random.pick(companySuffixes)}`;
    let domain = `${slug(base)}.example`;
    for (let n = 2; domains.has(domain); n++) domain = `${slug(base)}${n}.example`;
    domains.add(domain);
    const [city, country] = random.pick(cities);
    const name = domain.match(/\d+\.example$/) ? `${base} ${domain.match(/(\d+)\.example$/)![1]}` : base;
    return { name, domain, industry: random.pick(industries), city, country, employees: random.int(5, 5000), createdAt: pastTime(400, 200), ownerIndex: owner() };
  });

  const emails = new Set<string>();
  const person = (companyIndex: number, domainOf: (i: number) => string): SeedPerson => {
    const firstName = random.pick(firstNames);
    const lastName = random.pick(lastNames);
    const local = `${slug(firstName)}.${slug(lastName)}`;
    let email = `${local}@${domainOf(companyIndex)}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domainOf(companyIndex)}`;
    emails.add(email);
    return {
      firstName, lastName, email, title: random.pick(titles), phone: `+1 555 ${String(random.int(100, 999))} ${String(random.int(1000, 9999))}`,
      companyIndex, createdAt: pastTime(300, 100), ownerIndex: owner(),
    };
  };
  const companyDomain = (i: number) => companies[i]?.domain ?? 'independent.example';
  const contacts = Array.from({ length: counts.contacts }, (_, i) => person(counts.companies ? i % counts.companies : -1, companyDomain));
  const leads = Array.from({ length: Math.ceil(counts.companies / 2) }, () => person(-1, () => `${slug(random.pick(companyStems))}-prospect.example`));

  const contactsByCompany = new Map<number, number[]>();
  contacts.forEach((c, n) => contactsByCompany.set(c.companyIndex, [...(contactsByCompany.get(c.companyIndex) ?? []), n]));
  const deals: SeedDeal[] = Array.from({ length: counts.deals }, (_, i) => {
    const companyIndex = counts.companies ? random.int(0, counts.companies - 1) : -1;
    const roll = random.next();
    const stage: NeutralStage = roll < 0.2 ? 'won' : roll < 0.35 ? 'lost' : stageLadder[random.int(0, 3)]!;
    const createdAt = pastTime(300, 30);
    const reached = stage === 'won' ? 3 : stage === 'lost' ? random.int(0, 3) : stageLadder.indexOf(stage);
    const path: NeutralStage[] = [...stageLadder.slice(0, reached + 1), ...(stage === 'won' || stage === 'lost' ? [stage] : [])];
    const step = Math.max(1, Math.floor((now - createdAt) / (path.length + 1)));
    const history = path.map((s, n) => ({ stage: s, at: createdAt + n * random.int(Math.floor(step / 2), step) }));
    const contactPool = contactsByCompany.get(companyIndex) ?? [];
    const contactIndexes = contactPool.length ? [random.pick(contactPool)] : counts.contacts ? [random.int(0, counts.contacts - 1)] : [];
    const closed = stage === 'won' || stage === 'lost';
    const closeDate = closed ? history[history.length - 1]!.at : now + random.int(5, 120) * day;
    const name = `${companies[companyIndex]?.name ?? 'Independent'} ${random.pick(dealKinds)} ${i + 1}`;
    return { name, amount: random.int(20, 2000) * 100, closeDate, stage, companyIndex, contactIndexes, ownerIndex: owner(), createdAt, history };
  });
  const activityKinds: ActivityKind[] = ['email', 'email', 'note', 'call', 'meeting', 'task'];
  const activities: SeedActivity[] = Array.from({ length: counts.activities }, () => {
    const contactIndex = counts.contacts ? random.int(0, counts.contacts - 1) : -1;
    const dealIndex = counts.deals && random.chance(0.5) ? random.int(0, counts.deals - 1) : null;
    const kind = random.pick(activityKinds);
    const subject = random.pick(subjects);
    return {
      kind, subject, body: `${subject}: notes from the ${kind}.`, at: pastTime(180), contactIndex, dealIndex,
      ownerIndex: owner(), inbound: random.chance(0.4), completed: kind !== 'task' || random.chance(0.6),
    };
  });
  return { users, companies, contacts, leads, deals, activities };
}
