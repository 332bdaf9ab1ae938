// The explainable deal risk score. Each warning sign contributes weight × severity; late-stage and
// large deals make those warning signs count more (shown as their own reasons); the score is the
// sum of all reason weights, capped at 1, so the reasons a user reads add up to the score.
// A sign's severity is 0 at or below its threshold, jumps to 0.5 just above it and grows linearly
// to 1 at its "full" point, so crossing a threshold is visible and worse is always riskier.
// Sentences are what a rep reads in the sidebar and in alerts: plain words with the numbers that
// matter (days, people, money), never dates in ISO form or the score's internal multipliers. The
// signs that did not fire are said too (strengths), so a low score explains why it is low.
import type { RiskSettings } from './settings.ts';
import { combineSummaries, summarizeActivities, type ActivitySummary, type TouchCounts } from './summary.ts';
import { DAY_MS, isClosedStage, type RiskBand, type RiskInput } from './types.ts';

export type RiskSignalCode = 'no_reply' | 'stalled_in_stage' | 'close_date_passed' | 'engagement_down' | 'single_threaded';
export type RiskReasonCode = RiskSignalCode | 'late_stage' | 'high_value';
export type NextActionCode = 'follow_up' | 'agree_next_step' | 'confirm_timeline' | 're_engage' | 'multi_thread' | 'keep_momentum';

export interface RiskReason {
  code: RiskReasonCode;
  sentence: string;
  /** This reason's share of the score (before the cap at 1), rounded to 3 decimals. */
  weight: number;
  numbers: Record<string, number>;
}

export type RiskStrengthCode = 'recent_reply' | 'on_pace' | 'multi_threaded' | 'close_date_ahead' | 'engagement_steady';

/** A warning sign that did not fire, said as what is going well (why a score is low). */
export interface RiskStrength {
  code: RiskStrengthCode;
  sentence: string;
  numbers: Record<string, number>;
}

export interface NextAction {
  code: NextActionCode;
  sentence: string;
}

export interface RiskScore {
  /** 0..1, rounded to 3 decimals. */
  score: number;
  band: RiskBand;
  /** Heaviest first. Empty when nothing is wrong. */
  reasons: RiskReason[];
  /** What speaks for the deal, in the order of the signs; shown to say why a score is low. */
  strengths: RiskStrength[];
  nextAction: NextAction;
}

// Order among equal weights, and the order the factors are listed in docs.
const reasonOrder: RiskReasonCode[] = ['no_reply', 'stalled_in_stage', 'close_date_passed', 'engagement_down', 'single_threaded', 'late_stage', 'high_value'];

/** A deal whose activities were summarized already (by the database, for bulk scoring); engagement still comes as events. */
export interface SummarizedRiskInput extends Omit<RiskInput, 'activities' | 'stageHistory'> {
  /** Of the deal's activities only, as of the `now` it is scored at, with the settings' window. */
  activitySummary: ActivitySummary;
}

/** What the warning signs read: the deal, its pipeline, the org's history, and its touches summarized. */
type Scoring = Omit<SummarizedRiskInput, 'engagement'>;

/**
 * Scores an open deal as of `now`. Won and lost deals are not scored: returns null, and a stored
 * score should be cleared. Activities and engagement after `now` are ignored.
 */
export function scoreDeal(input: RiskInput | SummarizedRiskInput, settings: RiskSettings, now: Date): RiskScore | null {
  if (isClosedStage(input.deal.stage)) return null;
  const windowDays = settings.engagementDown.windowDays;
  let summary: ActivitySummary;
  if ('activitySummary' in input) {
    if (input.activitySummary.asOf.getTime() !== now.getTime() || input.activitySummary.windowDays !== windowDays) {
      throw new Error('scoreDeal: the activity summary was taken for another moment or window');
    }
    summary = combineSummaries(input.activitySummary, summarizeActivities([], input.engagement, windowDays, now));
  } else {
    summary = summarizeActivities(input.activities, input.engagement, windowDays, now);
  }
  const scoring: Scoring = { deal: input.deal, pipelineStages: input.pipelineStages, stats: input.stats, activitySummary: summary };
  const t = now.getTime();
  const signals = [
    noReply(scoring, settings, t),
    stalledInStage(scoring, settings, t),
    closeDatePassed(scoring, settings, t),
    engagementDown(scoring, settings),
    singleThreaded(scoring, settings),
  ].filter((r): r is RiskReason => r !== null);
  const signalWeight = sum(signals.map((r) => r.weight));
  const amplifiers = [lateStage(scoring, settings, signalWeight), highValue(scoring, settings, signalWeight)].filter(
    (r): r is RiskReason => r !== null,
  );
  const total = signalWeight + sum(amplifiers.map((r) => r.weight));
  const score = round3(Math.min(1, total));
  const reasons = [...signals, ...amplifiers]
    .map((r) => ({ ...r, weight: round3(r.weight) }))
    .sort((a, b) => b.weight - a.weight || reasonOrder.indexOf(a.code) - reasonOrder.indexOf(b.code));
  const fired = new Set(reasons.map((r) => r.code));
  return { score, band: bandOf(score, settings.bands), reasons, strengths: strengthsOf(scoring, settings, t, fired), nextAction: nextActionFor(reasons, scoring) };
}

/** Bands include their lower bound: a score equal to `high` is high. */
export function bandOf(score: number, bands: { medium: number; high: number }): RiskBand {
  if (score >= bands.high) return 'high';
  if (score >= bands.medium) return 'medium';
  return 'low';
}

// ---- warning signs ----

function noReply(input: Scoring, s: RiskSettings, now: number): RiskReason | null {
  const last = input.activitySummary.lastTwoWayTouchAt?.getTime() ?? null;
  const days = wholeDays(now - (last ?? input.deal.createdAt.getTime()));
  const norm = input.stats.replyGapNormDays;
  const threshold = norm === null ? s.noReply.defaultDays : Math.max(s.noReply.minDays, norm * s.noReply.normMultiplier);
  const severity = severityAbove(days, threshold, threshold * s.noReply.fullAtMultiple);
  if (severity === 0) return null;
  const context = norm === null ? `more than ${daysText(threshold)} is a warning sign` : `on won deals the buyer is heard from about every ${daysText(norm)}`;
  const sentence =
    last === null
      ? `No reply, call or meeting with the buyer since the deal was opened ${daysText(days)} ago; ${context}`
      : `No reply, call or meeting with the buyer in ${daysText(days)}; ${context}`;
  const numbers: Record<string, number> = { days, thresholdDays: round1(threshold) };
  if (norm !== null) numbers.teamNormDays = norm;
  return { code: 'no_reply', sentence, weight: s.noReply.weight * severity, numbers };
}

function stalledInStage(input: Scoring, s: RiskSettings, now: number): RiskReason | null {
  const { stage } = input.deal;
  const days = wholeDays(now - input.deal.stageChangedAt.getTime());
  const norm = input.stats.wonStageDays[stage.id];
  if (norm && norm.wonDeals >= s.stalled.minWonDeals) {
    // A sub-day median would make a one-day stay look like a huge stall.
    const median = Math.max(1, norm.medianDays);
    const ratio = round1(days / median);
    const severity = severityAbove(ratio, s.stalled.thresholdRatio, s.stalled.fullAtRatio);
    if (severity === 0) return null;
    return {
      code: 'stalled_in_stage',
      sentence: `In ${stage.name} for ${daysText(days)}; won deals spent about ${daysText(norm.medianDays)} there`,
      weight: s.stalled.weight * severity,
      numbers: { days, medianDays: norm.medianDays, ratio },
    };
  }
  const severity = severityAbove(days, s.stalled.fallbackDays, s.stalled.fallbackDays * 2);
  if (severity === 0) return null;
  return {
    code: 'stalled_in_stage',
    sentence: `In ${stage.name} for ${daysText(days)}; more than ${daysText(s.stalled.fallbackDays)} is a warning sign (no won deals to compare with yet)`,
    weight: s.stalled.weight * severity,
    numbers: { days, thresholdDays: s.stalled.fallbackDays },
  };
}

function closeDatePassed(input: Scoring, s: RiskSettings, now: number): RiskReason | null {
  const date = input.deal.expectedCloseDate;
  if (!date) return null;
  const close = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(close)) return null;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const overdue = Math.round((today - close) / DAY_MS);
  const severity = severityAbove(overdue, 0, s.closeDatePassed.fullAtDays);
  if (severity === 0) return null;
  return {
    code: 'close_date_passed',
    sentence: overdue === 1 ? 'The expected close date passed yesterday' : `The expected close date passed ${daysText(overdue)} ago`,
    weight: s.closeDatePassed.weight * severity,
    numbers: { daysOverdue: overdue },
  };
}

interface EngagementTally {
  points: number;
  replies: number;
  callsAndMeetings: number;
  emailsSent: number;
  opensAndClicks: number;
}

function engagementDown(input: Scoring, s: RiskSettings): RiskReason | null {
  const recent = tally(input.activitySummary.recent, s);
  const previous = tally(input.activitySummary.previous, s);
  if (previous.points < s.engagementDown.minPreviousPoints) return null;
  const drop = round3(1 - recent.points / previous.points);
  const severity = severityAbove(drop, s.engagementDown.dropThreshold, 1);
  if (severity === 0) return null;
  const percent = Math.round(drop * 100);
  const parts = (
    [
      ['reply', 'replies', recent.replies, previous.replies],
      ['call or meeting', 'calls and meetings', recent.callsAndMeetings, previous.callsAndMeetings],
      ['email sent', 'emails sent', recent.emailsSent, previous.emailsSent],
      ['open or click', 'opens and clicks', recent.opensAndClicks, previous.opensAndClicks],
    ] as const
  )
    .filter(([, , a, b]) => a > 0 || b > 0)
    .map(([one, many, a, b]) => `${a} ${a === 1 ? one : many} (was ${b})`);
  const windowDays = s.engagementDown.windowDays;
  return {
    code: 'engagement_down',
    sentence: `Less contact in the last ${daysText(windowDays)} than in the ${windowDays} before: ${parts.join(', ')}`,
    weight: s.engagementDown.weight * severity,
    numbers: {
      dropPercent: percent,
      recentPoints: recent.points,
      previousPoints: previous.points,
      recentReplies: recent.replies,
      previousReplies: previous.replies,
    },
  };
}

/** One window's touches in engagement points. */
function tally(c: TouchCounts, s: RiskSettings): EngagementTally {
  const p = s.engagementDown.points;
  return {
    points: c.inboundEmails * p.inboundEmail + c.outboundEmails * p.outboundEmail + c.calls * p.call + c.meetings * p.meeting + c.opens * p.open + c.clicks * p.click,
    replies: c.inboundEmails,
    callsAndMeetings: c.calls + c.meetings,
    emailsSent: c.outboundEmails,
    opensAndClicks: c.opens + c.clicks,
  };
}

function singleThreaded(input: Scoring, s: RiskSettings): RiskReason | null {
  const contacts = input.deal.contactCount;
  if (contacts > 1) return null;
  return {
    code: 'single_threaded',
    sentence: contacts === 0 ? 'No one at the buyer is linked to this deal' : 'Only one person at the buyer is on this deal',
    weight: s.singleThreaded.weight,
    numbers: { contacts },
  };
}

// ---- what makes warning signs count more ----

function lateStage(input: Scoring, s: RiskSettings, signalWeight: number): RiskReason | null {
  const open = input.pipelineStages.filter((st) => !isClosedStage(st)).sort((a, b) => a.position - b.position);
  const index = open.findIndex((st) => st.id === input.deal.stage.id);
  if (signalWeight === 0 || index < 0 || open.length < 2) return null;
  // 0 up to the middle of the pipeline, 1 in the last open stage.
  const lateness = clamp01((index / (open.length - 1) - 0.5) / 0.5);
  const boost = s.lateStage.boost * lateness;
  if (boost === 0) return null;
  const percent = Math.round(boost * 100);
  return {
    code: 'late_stage',
    sentence:
      index === open.length - 1
        ? `In ${input.deal.stage.name}, the last stage before closing, where these signs matter more`
        : `In ${input.deal.stage.name}, late in the pipeline (stage ${index + 1} of ${open.length}), where these signs matter more`,
    weight: signalWeight * boost,
    numbers: { stage: index + 1, openStages: open.length, boostPercent: percent },
  };
}

function highValue(input: Scoring, s: RiskSettings, signalWeight: number): RiskReason | null {
  const { valueCents, currency } = input.deal;
  const median = input.stats.medianWonValueCents[currency];
  if (signalWeight === 0 || median === undefined || median <= 0) return null;
  const ratio = round1(valueCents / median);
  const boost = s.highValue.boost * clamp01((ratio - 1) / (s.highValue.fullAtRatio - 1));
  if (boost === 0) return null;
  const percent = Math.round(boost * 100);
  return {
    code: 'high_value',
    sentence: `At ${money(valueCents, currency)}, ${timesText(ratio)} your typical won deal, so these signs matter more`,
    weight: signalWeight * boost,
    numbers: { valueCents, medianWonValueCents: median, ratio, boostPercent: percent },
  };
}

// ---- what speaks for the deal: each sign that did not fire, said plainly ----

function strengthsOf(input: Scoring, s: RiskSettings, now: number, fired: ReadonlySet<RiskReasonCode>): RiskStrength[] {
  const strengths: RiskStrength[] = [];
  const last = input.activitySummary.lastTwoWayTouchAt?.getTime() ?? null;
  if (!fired.has('no_reply') && last !== null) {
    const days = wholeDays(now - last);
    strengths.push({ code: 'recent_reply', sentence: days === 0 ? 'Heard from the buyer today' : `Heard from the buyer ${daysText(days)} ago`, numbers: { days } });
  }
  if (!fired.has('stalled_in_stage')) {
    const { stage } = input.deal;
    const days = wholeDays(now - input.deal.stageChangedAt.getTime());
    const norm = input.stats.wonStageDays[stage.id];
    const trusted = norm && norm.wonDeals >= s.stalled.minWonDeals;
    strengths.push({
      code: 'on_pace',
      sentence: trusted ? `In ${stage.name} for ${daysText(days)}, in line with won deals (about ${daysText(norm.medianDays)} there)` : `In ${stage.name} for ${daysText(days)}`,
      numbers: trusted ? { days, medianDays: norm.medianDays } : { days },
    });
  }
  if (!fired.has('single_threaded')) {
    const people = input.deal.contactCount;
    strengths.push({ code: 'multi_threaded', sentence: `${people} people at the buyer are on this deal`, numbers: { contacts: people } });
  }
  const close = input.deal.expectedCloseDate ? Date.parse(`${input.deal.expectedCloseDate}T00:00:00Z`) : Number.NaN;
  if (!Number.isNaN(close) && !fired.has('close_date_passed')) {
    const daysLeft = Math.round((close - Math.floor(now / DAY_MS) * DAY_MS) / DAY_MS);
    strengths.push({ code: 'close_date_ahead', sentence: daysLeft === 0 ? 'Expected to close today' : `Expected to close in ${daysText(daysLeft)}`, numbers: { daysLeft } });
  }
  const recentReplies = input.activitySummary.recent.inboundEmails;
  if (!fired.has('engagement_down') && recentReplies > 0) {
    const windowDays = s.engagementDown.windowDays;
    strengths.push({
      code: 'engagement_steady',
      sentence: `${recentReplies} ${recentReplies === 1 ? 'reply' : 'replies'} from the buyer in the last ${daysText(windowDays)}`,
      numbers: { replies: recentReplies, windowDays },
    });
  }
  return strengths;
}

// ---- next action: answers the heaviest warning sign ----

function nextActionFor(reasons: RiskReason[], input: Scoring): NextAction {
  const top = reasons.find((r) => r.code !== 'late_stage' && r.code !== 'high_value');
  switch (top?.code) {
    case 'no_reply':
      return { code: 'follow_up', sentence: 'Call the buyer or send a short question they can answer in one line.' };
    case 'stalled_in_stage':
      return { code: 'agree_next_step', sentence: `Agree a dated next step that moves the deal out of ${input.deal.stage.name}.` };
    case 'close_date_passed':
      return { code: 'confirm_timeline', sentence: 'Confirm the timeline with the buyer and update the expected close date.' };
    case 'engagement_down':
      return { code: 're_engage', sentence: 'Re-engage the buyer: propose a meeting or share something new and useful.' };
    case 'single_threaded':
      return { code: 'multi_thread', sentence: 'Bring a second contact into the deal, ideally someone who signs or uses it.' };
    default:
      return { code: 'keep_momentum', sentence: 'No warning signs: keep to the agreed next step.' };
  }
}

// ---- small helpers ----

/** 0 at or below the threshold, 0.5 just above it, 1 from `full` on. */
function severityAbove(value: number, threshold: number, full: number): number {
  if (!(value > threshold)) return 0;
  if (full <= threshold) return 1;
  return 0.5 + 0.5 * clamp01((value - threshold) / (full - threshold));
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const wholeDays = (ms: number) => Math.max(0, Math.floor(ms / DAY_MS));
/** 2 → "twice", 4.6 → "4.6 times". */
const timesText = (ratio: number) => (ratio === 2 ? 'twice' : `${ratio} times`);
const daysText = (d: number) => {
  const n = round1(d);
  return `${n} ${n === 1 ? 'day' : 'days'}`;
};
// Building a formatter costs far more than formatting; bulk scoring formats thousands of amounts.
const formatters = new Map<string, Intl.NumberFormat>();
const money = (cents: number, currency: string) => {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
    formatters.set(currency, format);
  }
  return format.format(cents / 100);
};
