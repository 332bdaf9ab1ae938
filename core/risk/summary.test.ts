import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.ts';
import { scoreDeal } from './score.ts';
import { defaultRiskSettings, resolveRiskSettings } from './settings.ts';
import { combineSummaries, noTouches, summarizeActivities } from './summary.ts';
import type { EngagementEvent, RiskActivity, RiskInput, RiskStage } from './types.ts';

const now = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
const act = (type: RiskActivity['type'], direction: RiskActivity['direction'], daysAgo: number): RiskActivity => ({ type, direction, occurredAt: at(daysAgo) });

describe('summarizeActivities', () => {
  it.each([
    // Windows are (now − 14 d, now] and (now − 28 d, now − 14 d]: each includes its later end.
    { name: 'a reply now', activity: act('email', 'inbound', 0), recent: 1, previous: 0, touch: true },
    { name: 'a reply exactly 14 days ago', activity: act('email', 'inbound', 14), recent: 0, previous: 1, touch: true },
    { name: 'a reply just under 14 days ago', activity: act('email', 'inbound', 14 - 1e-6), recent: 1, previous: 0, touch: true },
    { name: 'a reply exactly 28 days ago', activity: act('email', 'inbound', 28), recent: 0, previous: 0, touch: true },
    { name: 'a reply tomorrow', activity: act('email', 'inbound', -1), recent: 0, previous: 0, touch: false },
    { name: 'an email sent yesterday', activity: act('email', 'outbound', 1), recent: 1, previous: 0, touch: false },
    { name: 'a note yesterday', activity: act('note', null, 1), recent: 0, previous: 0, touch: false },
  ])('$name', ({ activity, recent, previous, touch }) => {
    const s = summarizeActivities([activity], [], 14, now);
    const total = (c: typeof s.recent) => c.inboundEmails + c.outboundEmails + c.calls + c.meetings;
    expect([total(s.recent), total(s.previous)]).toEqual([recent, previous]);
    expect(s.lastTwoWayTouchAt).toEqual(touch ? activity.occurredAt : null);
  });

  it('counts each kind, keeps the latest two-way touch, and counts opens and clicks as engagement only', () => {
    const s = summarizeActivities(
      [act('email', 'inbound', 20), act('call', null, 3), act('meeting', null, 2), act('email', 'outbound', 1), act('email', 'outbound', 16)],
      [{ kind: 'open', at: at(1) }, { kind: 'click', at: at(0.5) }, { kind: 'open', at: at(15) }],
      14,
      now,
    );
    expect(s.lastTwoWayTouchAt).toEqual(at(2));
    expect(s.recent).toEqual({ inboundEmails: 0, outboundEmails: 1, calls: 1, meetings: 1, opens: 1, clicks: 1 });
    expect(s.previous).toEqual({ ...noTouches(), inboundEmails: 1, outboundEmails: 1, opens: 1 });
  });

  it('combines summaries of the same moment, and refuses others', () => {
    const a = summarizeActivities([act('call', null, 3)], [], 14, now);
    const b = summarizeActivities([act('call', null, 1)], [{ kind: 'open', at: at(1) }], 14, now);
    expect(combineSummaries(a, b)).toMatchObject({ lastTwoWayTouchAt: at(1), recent: { calls: 2, opens: 1 } });
    expect(() => combineSummaries(a, summarizeActivities([], [], 7, now))).toThrow();
  });
});

describe('scoreDeal from a summary', () => {
  const stages: RiskStage[] = ['Discovery', 'Qualification', 'Proposal', 'Negotiation'].map((name, position) => ({ id: `s${position}`, name, position, isWon: false, isLost: false }));

  it('gives exactly the score of the activities it summarizes (random deals)', () => {
    const random = mulberry32(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const settings = resolveRiskSettings({ engagementDown: { windowDays: 10, points: { open: 0.7 } } });
    for (let i = 0; i < 500; i++) {
      const activities: RiskActivity[] = Array.from({ length: Math.floor(random() * 12) }, () =>
        act(pick(['email', 'email', 'call', 'meeting', 'note', 'task'] as const), pick(['inbound', 'outbound'] as const), random() * 60 - 2),
      ).map((a) => (a.type === 'email' ? a : { ...a, direction: null }));
      const engagement: EngagementEvent[] = Array.from({ length: Math.floor(random() * 5) }, () => ({ kind: pick(['open', 'click'] as const), at: at(random() * 40) }));
      const input: RiskInput = {
        deal: { id: `d${i}`, valueCents: Math.floor(random() * 5_000_000), currency: 'USD', stage: pick(stages), expectedCloseDate: random() < 0.5 ? null : at(random() * 60 - 30).toISOString().slice(0, 10), createdAt: at(90), stageChangedAt: at(random() * 80), contactCount: Math.floor(random() * 3) },
        pipelineStages: stages,
        stageHistory: [],
        activities,
        engagement,
        stats: { wonStageDays: { s1: { medianDays: 6, wonDeals: 9 } }, replyGapNormDays: random() < 0.5 ? null : 4, medianWonValueCents: { USD: 1_000_000 } },
      };
      for (const s of [defaultRiskSettings, settings]) {
        const { activities: _all, stageHistory: _h, ...rest } = input;
        const summarized = { ...rest, activitySummary: summarizeActivities(activities, [], s.engagementDown.windowDays, now) };
        expect(scoreDeal(summarized, s, now)).toEqual(scoreDeal(input, s, now));
      }
    }
  });

  it('refuses a summary taken at another moment or with another window', () => {
    const base = { deal: { id: 'd', valueCents: 1, currency: 'USD', stage: stages[0]!, expectedCloseDate: null, createdAt: at(9), stageChangedAt: at(9), contactCount: 2 }, pipelineStages: stages, engagement: [], stats: { wonStageDays: {}, replyGapNormDays: null, medianWonValueCents: {} } };
    expect(() => scoreDeal({ ...base, activitySummary: summarizeActivities([], [], 14, at(1)) }, defaultRiskSettings, now)).toThrow(/another moment/);
    expect(() => scoreDeal({ ...base, activitySummary: summarizeActivities([], [], 7, now) }, defaultRiskSettings, now)).toThrow(/another moment/);
  });
});
