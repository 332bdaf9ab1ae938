import { describe, expect, it } from 'vitest';
import { bandOf, scoreDeal, type RiskScore } from './score.ts';
import { RiskSettingsPatch, defaultRiskSettings, resolveRiskSettings, type RiskSettings } from './settings.ts';
import { emptyOrgRiskStats, type OrgRiskStats, type RiskActivity, type RiskDeal, type RiskInput, type RiskStage } from './types.ts';

const now = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

const stage = (id: string, name: string, position: number, extra: Partial<RiskStage> = {}): RiskStage => ({
  id,
  name,
  position,
  isWon: false,
  isLost: false,
  ...extra,
});
const discovery = stage('s-disc', 'Discovery', 0);
const qualification = stage('s-qual', 'Qualification', 1);
const proposal = stage('s-prop', 'Proposal', 2);
const negotiation = stage('s-nego', 'Negotiation', 3);
const won = stage('s-won', 'Closed Won', 4, { isWon: true });
const lost = stage('s-lost', 'Closed Lost', 5, { isLost: true });
const pipelineStages = [discovery, qualification, proposal, negotiation, won, lost];

const reply = (d: number): RiskActivity => ({ type: 'email', direction: 'inbound', occurredAt: daysAgo(d) });
const sent = (d: number): RiskActivity => ({ type: 'email', direction: 'outbound', occurredAt: daysAgo(d) });
const call = (d: number): RiskActivity => ({ type: 'call', direction: null, occurredAt: daysAgo(d) });
const meeting = (d: number): RiskActivity => ({ type: 'meeting', direction: null, occurredAt: daysAgo(d) });
const note = (d: number): RiskActivity => ({ type: 'note', direction: null, occurredAt: daysAgo(d) });

interface Changes {
  deal?: Partial<RiskDeal>;
  activities?: RiskActivity[];
  engagement?: RiskInput['engagement'];
  stats?: Partial<OrgRiskStats>;
}

// A healthy deal: early stage, three contacts, the buyer replied yesterday, no close date set.
function deal(changes: Changes = {}): RiskInput {
  return {
    deal: {
      id: 'd1',
      valueCents: 1_000_000,
      currency: 'USD',
      stage: discovery,
      expectedCloseDate: null,
      createdAt: daysAgo(60),
      stageChangedAt: daysAgo(5),
      contactCount: 3,
      ...changes.deal,
    },
    pipelineStages,
    stageHistory: [],
    activities: changes.activities ?? [reply(1)],
    engagement: changes.engagement ?? [],
    stats: { ...emptyOrgRiskStats, ...changes.stats },
  };
}

const score = (input: RiskInput, settings: RiskSettings = defaultRiskSettings): RiskScore => {
  const result = scoreDeal(input, settings, now);
  if (!result) throw new Error('expected an open deal to be scored');
  return result;
};

describe('scoreDeal: a healthy deal', () => {
  it('scores 0, low, with no reasons and a keep-going next step', () => {
    expect(score(deal())).toEqual({
      score: 0,
      band: 'low',
      reasons: [],
      // A low score says why it is low: every sign that did not fire, in plain words.
      strengths: [
        { code: 'recent_reply', sentence: 'Heard from the buyer 1 day ago', numbers: { days: 1 } },
        { code: 'on_pace', sentence: 'In Discovery for 5 days', numbers: { days: 5 } },
        { code: 'multi_threaded', sentence: '3 people at the buyer are on this deal', numbers: { contacts: 3 } },
        { code: 'engagement_steady', sentence: '1 reply from the buyer in the last 14 days', numbers: { replies: 1, windowDays: 14 } },
      ],
      nextAction: { code: 'keep_momentum', sentence: 'No warning signs: keep to the agreed next step.' },
    });
  });

  it.each([
    {
      name: 'stage time against won deals and a close date ahead',
      input: deal({ deal: { expectedCloseDate: '2026-04-14' }, stats: { wonStageDays: { 's-disc': { medianDays: 12, wonDeals: 5 } } } }),
      strengths: {
        on_pace: 'In Discovery for 5 days, in line with won deals (about 12 days there)',
        close_date_ahead: 'Expected to close in 30 days',
      },
    },
    {
      name: 'a reply today, closing today',
      input: deal({ activities: [{ type: 'email', direction: 'inbound', occurredAt: new Date(now.getTime() - 3_600_000) }], deal: { expectedCloseDate: '2026-03-15' } }),
      strengths: { recent_reply: 'Heard from the buyer today', close_date_ahead: 'Expected to close today' },
    },
  ])('strengths: $name', ({ input, strengths }) => {
    const said = Object.fromEntries(score(input).strengths.map((x) => [x.code, x.sentence]));
    expect(said).toMatchObject(strengths);
  });

  it('a sign that fires is a reason, never also a strength', () => {
    const result = score(deal({ activities: [reply(25)], deal: { contactCount: 1 } }));
    expect(result.reasons.map((r) => r.code).sort()).toEqual(['no_reply', 'single_threaded']);
    expect(result.strengths.map((x) => x.code)).toEqual(['on_pace']);
  });
});

describe('scoreDeal: each warning sign on its own', () => {
  // Severity: 0 at or below the threshold, 0.5 just above, linear to 1 at the "full" point.
  it.each([
    {
      name: 'no reply for 25 days, no team history (threshold 10, full at 30)',
      input: deal({ activities: [reply(25)] }),
      // severity 0.5 + 0.5 × (25 − 10) / (30 − 10) = 0.875; 0.35 × 0.875 = 0.30625
      code: 'no_reply',
      weight: 0.306,
      sentence: 'No reply, call or meeting with the buyer in 25 days; more than 10 days is a warning sign',
      numbers: { days: 25, thresholdDays: 10 },
      band: 'low',
    },
    {
      name: 'no reply for 18 days against a team norm of 6 (threshold max(5, 6 × 2) = 12, full at 36)',
      input: deal({ activities: [reply(18)], stats: { replyGapNormDays: 6 } }),
      // 0.5 + 0.5 × (18 − 12) / (36 − 12) = 0.625; 0.35 × 0.625 = 0.21875
      code: 'no_reply',
      weight: 0.219,
      sentence: 'No reply, call or meeting with the buyer in 18 days; on won deals the buyer is heard from about every 6 days',
      numbers: { days: 18, thresholdDays: 12, teamNormDays: 6 },
      band: 'low',
    },
    {
      name: 'never a reply, deal created 40 days ago',
      input: deal({ activities: [], deal: { createdAt: daysAgo(40) } }),
      // 40 ≥ 30 → full weight 0.35
      code: 'no_reply',
      weight: 0.35,
      sentence: 'No reply, call or meeting with the buyer since the deal was opened 40 days ago; more than 10 days is a warning sign',
      numbers: { days: 40, thresholdDays: 10 },
      band: 'low',
    },
    {
      name: 'in Discovery 25 days where won deals took a median 10',
      input: deal({ deal: { stageChangedAt: daysAgo(25) }, stats: { wonStageDays: { 's-disc': { medianDays: 10, wonDeals: 5 } } } }),
      // ratio 2.5; 0.5 + 0.5 × (2.5 − 1.5) / (3 − 1.5) = 0.8333; 0.3 × 0.8333 = 0.25
      code: 'stalled_in_stage',
      weight: 0.25,
      sentence: 'In Discovery for 25 days; won deals spent about 10 days there',
      numbers: { days: 25, medianDays: 10, ratio: 2.5 },
      band: 'low',
    },
    {
      name: 'in Discovery 45 days without won-deal history (fallback 30, full at 60)',
      input: deal({ deal: { stageChangedAt: daysAgo(45) } }),
      // 0.5 + 0.5 × 15 / 30 = 0.75; 0.3 × 0.75 = 0.225
      code: 'stalled_in_stage',
      weight: 0.225,
      sentence: 'In Discovery for 45 days; more than 30 days is a warning sign (no won deals to compare with yet)',
      numbers: { days: 45, thresholdDays: 30 },
      band: 'low',
    },
    {
      name: 'expected close date 10 days ago (full at 30)',
      input: deal({ deal: { expectedCloseDate: '2026-03-05' } }),
      // 0.5 + 0.5 × 10 / 30 = 0.6667; 0.15 × 0.6667 = 0.1
      code: 'close_date_passed',
      weight: 0.1,
      sentence: 'The expected close date passed 10 days ago',
      numbers: { daysOverdue: 10 },
      band: 'low',
    },
    {
      name: 'replies fell from 4 to 1 over two weeks',
      input: deal({ activities: [reply(1), reply(15), reply(16), reply(17), reply(18)] }),
      // points 3 vs 12 → drop 0.75; 0.5 + 0.5 × (0.75 − 0.5) / 0.5 = 0.75; 0.2 × 0.75 = 0.15
      code: 'engagement_down',
      weight: 0.15,
      sentence: 'Less contact in the last 14 days than in the 14 before: 1 reply (was 4)',
      numbers: { dropPercent: 75, recentPoints: 3, previousPoints: 12, recentReplies: 1, previousReplies: 4 },
      band: 'low',
    },
    {
      name: 'one contact',
      input: deal({ deal: { contactCount: 1 } }),
      code: 'single_threaded',
      weight: 0.15,
      sentence: 'Only one person at the buyer is on this deal',
      numbers: { contacts: 1 },
      band: 'low',
    },
    {
      name: 'no contact at all',
      input: deal({ deal: { contactCount: 0 } }),
      code: 'single_threaded',
      weight: 0.15,
      sentence: 'No one at the buyer is linked to this deal',
      numbers: { contacts: 0 },
      band: 'low',
    },
  ])('$name', ({ input, code, weight, sentence, numbers, band }) => {
    const result = score(input);
    expect(result.reasons).toEqual([{ code, weight, sentence, numbers }]);
    expect(result.score).toBe(weight);
    expect(result.band).toBe(band);
  });
});

describe('scoreDeal: thresholds', () => {
  it.each([
    // no_reply, default threshold 10 days: exactly at the threshold is not yet a warning.
    { name: 'reply 10 days ago', input: deal({ activities: [reply(10)] }), flagged: false },
    { name: 'reply 11 days ago', input: deal({ activities: [reply(11)] }), flagged: true },
    // A call or a meeting is a two-way touch; an email the rep sent or a note is not.
    { name: 'reply 25 days ago, call 2 days ago', input: deal({ activities: [reply(25), call(2)] }), flagged: false },
    { name: 'reply 25 days ago, meeting 2 days ago', input: deal({ activities: [reply(25), meeting(2)] }), flagged: false },
    { name: 'reply 25 days ago, email sent 1 day ago', input: deal({ activities: [reply(25), sent(1)] }), flagged: true },
    { name: 'reply 25 days ago, note 1 day ago', input: deal({ activities: [reply(25), note(1)] }), flagged: true },
    // Something dated in the future (a scheduled meeting) does not count yet.
    { name: 'reply 25 days ago, meeting tomorrow', input: deal({ activities: [reply(25), meeting(-1)] }), flagged: true },
  ])('no_reply: $name → flagged: $flagged', ({ input, flagged }) => {
    expect(score(input).reasons.some((r) => r.code === 'no_reply')).toBe(flagged);
  });

  it.each([
    // Stage median 10 days, threshold 1.5× → more than 15 days.
    { days: 15, wonDeals: 5, flagged: false },
    { days: 16, wonDeals: 5, flagged: true },
    // With only 2 won deals the median is not trusted; the 30-day fallback applies.
    { days: 25, wonDeals: 2, flagged: false },
    { days: 31, wonDeals: 2, flagged: true },
  ])('stalled_in_stage: $days days against a median of 10 from $wonDeals won deals → $flagged', ({ days, wonDeals, flagged }) => {
    const input = deal({ deal: { stageChangedAt: daysAgo(days) }, stats: { wonStageDays: { 's-disc': { medianDays: 10, wonDeals } } } });
    expect(score(input).reasons.some((r) => r.code === 'stalled_in_stage')).toBe(flagged);
  });

  it.each([
    { date: '2026-03-16', flagged: false },
    { date: '2026-03-15', flagged: false }, // today
    { date: '2026-03-14', flagged: true },
  ])('close_date_passed: expected $date on 2026-03-15 → $flagged', ({ date, flagged }) => {
    expect(score(deal({ deal: { expectedCloseDate: date } })).reasons.some((r) => r.code === 'close_date_passed')).toBe(flagged);
  });

  const fourRepliesBefore = [reply(15), reply(16), reply(17), reply(18)]; // 12 points
  it.each([
    // recent 3 replies = 9 points vs 12 → down 25%: fine.
    { name: 'three replies', recent: [reply(1), reply(2), reply(3)], engagement: [], flagged: false },
    // the same number of emails, but two of them the rep's: 3 + 1 + 1 = 5 vs 12 → down 58%.
    { name: 'one reply and two emails sent', recent: [reply(1), sent(2), sent(3)], engagement: [], flagged: true },
    // 3 + 1 + 2 = 6 vs 12 → down exactly 50%, not more: fine.
    { name: 'one reply, one email sent, one call', recent: [reply(1), sent(2), call(3)], engagement: [], flagged: false },
    // human opens count: 3 + 6 × 0.5 = 6 vs 12 → 50%: fine.
    {
      name: 'one reply and six opens',
      recent: [reply(1)],
      engagement: Array.from({ length: 6 }, (_, i) => ({ kind: 'open' as const, at: daysAgo(i + 1) })),
      flagged: false,
    },
  ])('engagement_down: four replies two weeks ago, then $name → $flagged', ({ recent, engagement, flagged }) => {
    const input = deal({ activities: [...recent, ...fourRepliesBefore], engagement });
    expect(score(input).reasons.some((r) => r.code === 'engagement_down')).toBe(flagged);
  });

  it('engagement_down needs some earlier engagement: one reply (3 points) before is too little to call a trend', () => {
    const input = deal({ activities: [reply(20), call(2)] });
    expect(score(input).reasons.map((r) => r.code)).not.toContain('engagement_down');
  });

  it.each([
    { contactCount: 0, flagged: true },
    { contactCount: 1, flagged: true },
    { contactCount: 2, flagged: false },
  ])('single_threaded with $contactCount contacts → $flagged', ({ contactCount, flagged }) => {
    expect(score(deal({ deal: { contactCount } })).reasons.some((r) => r.code === 'single_threaded')).toBe(flagged);
  });
});

describe('scoreDeal: late stage and large deals make warning signs count more', () => {
  it.each([
    // single-threaded (0.15) in each stage; lateness 0 up to the middle of the pipeline.
    { stage: discovery, score: 0.15, late: null },
    { stage: qualification, score: 0.15, late: null },
    // Proposal is stage 3 of 4: progress 2/3, lateness (2/3 − 0.5) / 0.5 = 1/3, boost 0.1 → 0.015
    { stage: proposal, score: 0.165, late: { weight: 0.015, sentence: 'In Proposal, late in the pipeline (stage 3 of 4), where these signs matter more' } },
    // Negotiation: boost 0.3 → 0.15 × 0.3 = 0.045
    { stage: negotiation, score: 0.195, late: { weight: 0.045, sentence: 'In Negotiation, the last stage before closing, where these signs matter more' } },
  ])('single-threaded in $stage.name scores $score', ({ stage: s, score: expected, late }) => {
    const result = score(deal({ deal: { stage: s, contactCount: 1 } }));
    expect(result.score).toBe(expected);
    const reason = result.reasons.find((r) => r.code === 'late_stage');
    expect(reason ? { weight: reason.weight, sentence: reason.sentence } : null).toEqual(late);
  });

  it('a healthy deal in Negotiation is not at risk just for being late', () => {
    expect(score(deal({ deal: { stage: negotiation } })).reasons).toEqual([]);
  });

  it.each([
    // Median won deal $10,000. Twice that: boost 0.2 × (2 − 1) / (3 − 1) = 0.1 → 0.15 × 0.1 = 0.015
    {
      valueCents: 2_000_000,
      currency: 'USD',
      score: 0.165,
      sentence: 'At $20,000, twice your typical won deal, so these signs matter more',
    },
    // Three times the median or more: the full boost 0.2 → 0.03
    {
      valueCents: 5_000_000,
      currency: 'USD',
      score: 0.18,
      sentence: 'At $50,000, 5 times your typical won deal, so these signs matter more',
    },
    { valueCents: 1_000_000, currency: 'USD', score: 0.15, sentence: null },
    // No won deals in euros to compare with.
    { valueCents: 5_000_000, currency: 'EUR', score: 0.15, sentence: null },
  ])('single-threaded, $valueCents cents in $currency scores $score', ({ valueCents, currency, score: expected, sentence }) => {
    const input = deal({ deal: { valueCents, currency, contactCount: 1 }, stats: { medianWonValueCents: { USD: 1_000_000 } } });
    const result = score(input);
    expect(result.score).toBe(expected);
    expect(result.reasons.find((r) => r.code === 'high_value')?.sentence ?? null).toBe(sentence);
  });

  it('a large deal with no warning signs is not at risk', () => {
    const input = deal({ deal: { valueCents: 9_000_000 }, stats: { medianWonValueCents: { USD: 1_000_000 } } });
    expect(score(input).score).toBe(0);
  });
});

describe('scoreDeal: bands', () => {
  it.each([
    { score: 0, band: 'low' },
    { score: 0.399, band: 'low' },
    { score: 0.4, band: 'medium' },
    { score: 0.749, band: 'medium' },
    { score: 0.75, band: 'high' },
    { score: 1, band: 'high' },
  ])('default bands: $score is $band', ({ score: s, band }) => {
    expect(bandOf(s, defaultRiskSettings.bands)).toBe(band);
  });

  // A single-threaded deal scores exactly the single_threaded weight, so the weight sets the score.
  it.each([
    { weight: 0.399, band: 'low' },
    { weight: 0.4, band: 'medium' },
    { weight: 0.749, band: 'medium' },
    { weight: 0.75, band: 'high' },
  ])('a deal scoring exactly $weight is $band', ({ weight, band }) => {
    const settings = resolveRiskSettings({ singleThreaded: { weight } });
    const result = score(deal({ deal: { contactCount: 1 } }), settings);
    expect(result).toMatchObject({ score: weight, band });
  });
});

describe('scoreDeal: the whole picture', () => {
  // Negotiation (late, +30%), silent 40 days (full 0.35), stalled 3× the median (full 0.3),
  // past close by 30 days (full 0.15), single-threaded (0.15), engagement gone (full 0.2),
  // $30,000 against a $10,000 median (full +20%).
  const worst = deal({
    deal: { stage: negotiation, stageChangedAt: daysAgo(60), expectedCloseDate: '2026-02-13', contactCount: 1, valueCents: 3_000_000 },
    activities: [reply(40), sent(20), sent(22), sent(24), sent(26)],
    stats: { wonStageDays: { 's-nego': { medianDays: 20, wonDeals: 10 } }, medianWonValueCents: { USD: 1_000_000 } },
  });

  it('caps the score at 1 and lists the reasons heaviest first', () => {
    const result = score(worst);
    expect(result.score).toBe(1);
    expect(result.band).toBe('high');
    // signals 0.35 + 0.3 + 0.2 + 0.15 + 0.15 = 1.15; late 1.15 × 0.3 = 0.345; value 1.15 × 0.2 = 0.23
    expect(result.reasons.map((r) => [r.code, r.weight])).toEqual([
      ['no_reply', 0.35],
      ['late_stage', 0.345],
      ['stalled_in_stage', 0.3],
      ['high_value', 0.23],
      ['engagement_down', 0.2],
      ['close_date_passed', 0.15],
      ['single_threaded', 0.15],
    ]);
    expect(result.nextAction.code).toBe('follow_up');
  });

  it('the reasons a user reads add up to the score when under the cap', () => {
    // no_reply 0.306 (25 days) + single_threaded 0.15 = 0.456
    const result = score(deal({ activities: [reply(25)], deal: { contactCount: 1 } }));
    expect(result.score).toBe(0.456);
    expect(result.reasons.reduce((s, r) => s + r.weight, 0)).toBeCloseTo(result.score, 3);
  });

  it('is deterministic and leaves its input alone', () => {
    const snapshot = structuredClone(worst);
    expect(score(worst)).toEqual(score(worst));
    expect(worst).toEqual(snapshot);
  });
});

describe('scoreDeal: next action answers the heaviest warning sign', () => {
  it.each([
    { name: 'silence', input: deal({ activities: [reply(25)] }), code: 'follow_up' },
    {
      name: 'a stall',
      input: deal({ deal: { stage: proposal, stageChangedAt: daysAgo(60) } }),
      code: 'agree_next_step',
      sentence: 'Agree a dated next step that moves the deal out of Proposal.',
    },
    { name: 'a passed close date', input: deal({ deal: { expectedCloseDate: '2026-01-01' } }), code: 'confirm_timeline' },
    { name: 'fading engagement', input: deal({ activities: [reply(1), reply(15), reply(16), reply(17), reply(18)] }), code: 're_engage' },
    { name: 'one contact', input: deal({ deal: { contactCount: 1 } }), code: 'multi_thread' },
    // Equal weights (0.15 each): the passed close date comes first in the fixed order.
    { name: 'a tie', input: deal({ deal: { contactCount: 1, expectedCloseDate: '2026-01-01' } }), code: 'confirm_timeline' },
  ])('$name → $code', ({ input, code, sentence }) => {
    const action = score(input).nextAction;
    expect(action.code).toBe(code);
    if (sentence) expect(action.sentence).toBe(sentence);
  });
});

describe('scoreDeal: closed deals', () => {
  it.each([won, lost])('a deal in $name is not scored', (closed) => {
    expect(scoreDeal(deal({ deal: { stage: closed, contactCount: 1 } }), defaultRiskSettings, now)).toBeNull();
  });
});

describe('risk settings', () => {
  it('an empty patch gives the defaults', () => {
    expect(resolveRiskSettings(RiskSettingsPatch.parse({}))).toEqual(defaultRiskSettings);
  });

  it('a patch changes only what it names', () => {
    const settings = resolveRiskSettings(RiskSettingsPatch.parse({ noReply: { defaultDays: 30 }, engagementDown: { points: { open: 0 } } }));
    expect(settings.noReply).toEqual({ ...defaultRiskSettings.noReply, defaultDays: 30 });
    expect(settings.engagementDown.points).toEqual({ ...defaultRiskSettings.engagementDown.points, open: 0 });
    expect(settings.stalled).toEqual(defaultRiskSettings.stalled);
    // A 25-day silence is no longer a warning with a 30-day threshold.
    expect(score(deal({ activities: [reply(25)] }), settings).reasons).toEqual([]);
  });

  it.each([
    { name: 'a weight above 1', patch: { noReply: { weight: 1.5 } }, path: ['noReply', 'weight'] },
    { name: 'a negative threshold', patch: { stalled: { fallbackDays: -3 } }, path: ['stalled', 'fallbackDays'] },
    { name: 'an unknown setting', patch: { mood: { weight: 0.1 } }, path: [] },
    { name: 'an unknown field', patch: { noReply: { wieght: 0.1 } }, path: ['noReply'] },
    { name: 'a medium band above the default high band', patch: { bands: { medium: 0.8 } }, path: ['bands'] },
    { name: 'stalled full point below its threshold', patch: { stalled: { thresholdRatio: 4 } }, path: ['stalled'] },
  ])('rejects $name', ({ patch, path }) => {
    const parsed = RiskSettingsPatch.safeParse(patch);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
