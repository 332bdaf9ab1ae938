// Sample data for a new organization that wants to look around before bringing its own: a few
// companies, their people, a pipeline's worth of deals (some moving, some stalled, a few closed)
// and the emails and calls behind them. Every row is marked as a sample where a person sees it
// (company and deal names end in "(Sample)", contacts carry the tag "sample", activity subjects
// start with "[Sample]", deals' source is "sample") and on domains reserved for examples
// (RFC 2606), so nothing can reach a real inbox. Pure: dates count back from `now`.
export const SAMPLE_TAG = 'sample';
export const SAMPLE_SOURCE = 'sample';
const DAY = 86_400_000;

export interface SampleStages {
  /** The default pipeline's open stages, in order. */
  open: { id: string; probability: number }[];
  won: { id: string };
  lost: { id: string };
}

export interface SampleCompany { key: string; name: string; domain: string; industry: string }
export interface SampleContact { key: string; email: string; firstName: string; lastName: string; title: string; companyKey: string; tags: string[] }
export interface SampleDeal {
  key: string;
  name: string;
  companyKey: string;
  contactKeys: string[];
  valueCents: number;
  stageId: string;
  probability: number;
  outcome: 'won' | 'lost' | null;
  lostReason: string | null;
  createdAt: Date;
  stageChangedAt: Date;
  /** Every stage the deal went through, oldest first (its stage history). */
  history: { fromStageId: string | null; toStageId: string; changedAt: Date }[];
  expectedCloseDate: string;
  actualCloseDate: string | null;
  source: string;
}
export interface SampleActivity { type: 'email' | 'call' | 'meeting' | 'note'; subject: string; body: string; direction: 'inbound' | 'outbound' | null; occurredAt: Date; contactKeys: string[]; dealKey: string }
export interface SamplePlan { companies: SampleCompany[]; contacts: SampleContact[]; deals: SampleDeal[]; activities: SampleActivity[] }

const COMPANIES: Omit<SampleCompany, 'key'>[] = [
  { name: 'Brightwater Logistics (Sample)', domain: 'brightwater.example', industry: 'Logistics' },
  { name: 'Cobalt Health (Sample)', domain: 'cobalthealth.example', industry: 'Healthcare' },
  { name: 'Fernhill Foods (Sample)', domain: 'fernhill.example', industry: 'Food & beverage' },
  { name: 'Larkspur Software (Sample)', domain: 'larkspur.example', industry: 'Software' },
  { name: 'Meridian Freight (Sample)', domain: 'meridianfreight.example', industry: 'Logistics' },
];

const PEOPLE: [first: string, last: string, title: string][] = [
  ['Ana', 'Ortiz', 'Head of Operations'], ['Ben', 'Carter', 'CFO'],
  ['Chloe', 'Nakamura', 'VP Clinical Systems'], ['Dev', 'Patel', 'IT Director'],
  ['Elena', 'Rossi', 'Purchasing Manager'], ['Finn', 'Murphy', 'COO'],
  ['Grace', 'Kim', 'CTO'], ['Hugo', 'Laurent', 'Engineering Manager'],
  ['Iris', 'Novak', 'Fleet Manager'], ['Jonah', 'Reed', 'Procurement Lead'],
];

// [company, deal, value (whole currency), stage: index of open stage | 'won' | 'lost', days in stage, days since last touch, days to expected close]
const DEALS: [number, string, number, number | 'won' | 'lost', number, number, number][] = [
  [0, 'Warehouse tracking rollout', 48_000, 2, 6, 2, 21],
  [0, 'Driver app pilot', 12_500, 0, 3, 1, 45],
  [1, 'Patient intake platform', 96_000, 3, 41, 27, 9],
  [1, 'Clinic scheduling add-on', 18_000, 1, 34, 30, 30],
  [2, 'Supplier portal', 27_500, 2, 12, 5, 28],
  [3, 'Engineering seats expansion', 64_000, 1, 9, 3, 40],
  [3, 'Security review package', 22_000, 3, 52, 38, -5],
  [4, 'Route optimisation', 54_000, 0, 28, 26, 60],
  [2, 'Seasonal forecasting', 31_000, 'won', 14, 14, -14],
  [4, 'Customs paperwork automation', 19_500, 'won', 40, 40, -40],
  [0, 'Cold-chain sensors', 42_000, 'lost', 25, 25, -25],
];

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function samplePlan(now: Date, stages: SampleStages): SamplePlan {
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3_600_000);
  const companies = COMPANIES.map((c, i) => ({ key: `c${i}`, ...c }));
  const contacts = PEOPLE.map(([firstName, lastName, title], i) => {
    const company = companies[i % companies.length]!;
    return { key: `p${i}`, email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${company.domain}`, firstName, lastName, title, companyKey: company.key, tags: [SAMPLE_TAG] };
  });
  const lastOpen = stages.open.length - 1;
  const deals: SampleDeal[] = [];
  const activities: SampleActivity[] = [];
  DEALS.forEach(([companyIndex, name, value, stage, daysInStage, daysSinceTouch, closeInDays], i) => {
    const company = companies[companyIndex]!;
    const people = contacts.filter((c) => c.companyKey === company.key).map((c) => c.key);
    const reached = stage === 'won' || stage === 'lost' ? lastOpen : Math.min(stage, lastOpen);
    const createdDaysAgo = daysInStage + 10 * (reached + 1);
    // Through each open stage up to the one reached, ten days apart, then into the current one.
    const path = stages.open.slice(0, reached + 1).map((s) => s.id);
    const final = stage === 'won' ? stages.won.id : stage === 'lost' ? stages.lost.id : path[path.length - 1]!;
    if (stage === 'won' || stage === 'lost') path.push(final);
    const history = path.map((toStageId, k) => ({
      fromStageId: k === 0 ? null : path[k - 1]!,
      toStageId,
      changedAt: k === path.length - 1 ? ago(daysInStage) : ago(createdDaysAgo - 10 * k),
    }));
    const closed = stage === 'won' || stage === 'lost';
    const probability = stage === 'won' ? 100 : stage === 'lost' ? 0 : stages.open[reached]!.probability;
    deals.push({
      key: `d${i}`,
      name: `${name} (Sample)`,
      companyKey: company.key,
      contactKeys: people,
      valueCents: value * 100,
      stageId: final,
      probability,
      outcome: closed ? stage : null,
      lostReason: stage === 'lost' ? 'Went with a cheaper competitor' : null,
      createdAt: ago(createdDaysAgo),
      stageChangedAt: ago(daysInStage),
      history,
      expectedCloseDate: iso(new Date(now.getTime() + closeInDays * DAY)),
      actualCloseDate: closed ? iso(ago(daysInStage)) : null,
      source: SAMPLE_SOURCE,
    });
    // The conversation so far: an opening email, a call, and the latest touch `daysSinceTouch` ago.
    const contact = people.slice(0, 1);
    activities.push(
      { type: 'email', subject: `[Sample] ${name}: introduction`, body: `Thanks for the time today. As promised, a short overview of how we would approach ${name.toLowerCase()}.`, direction: 'outbound', occurredAt: ago(createdDaysAgo, -2), contactKeys: contact, dealKey: `d${i}` },
      { type: 'call', subject: `[Sample] Discovery call about ${name.toLowerCase()}`, body: 'Walked through their current process, the budget owner and the timeline.', direction: 'outbound', occurredAt: ago(Math.max(daysSinceTouch + 4, createdDaysAgo - 5)), contactKeys: contact, dealKey: `d${i}` },
      { type: 'email', subject: `[Sample] Re: ${name}`, body: 'Looks good. Could you send the proposal with the updated figures?', direction: 'inbound', occurredAt: ago(daysSinceTouch, 3), contactKeys: contact, dealKey: `d${i}` },
    );
  });
  return { companies, contacts, deals, activities };
}
