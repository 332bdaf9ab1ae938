import { describe, expect, it } from 'vitest';
import { memberKinds, memberPreferences, mergeOverrides, organizationDefaults, patchProblems, slackKinds, wants, type PreferenceOverrides } from './preferences.ts';

describe('notification preferences', () => {
  it.each([
    // [case, org overrides, member overrides, kind, channel, role, expected]
    ['product default: high risk by email', {}, {}, 'deal_high_risk', 'email', 'rep', true],
    ['product default: first opens not by email', {}, {}, 'email_opened', 'email', 'rep', false],
    ['the organization turned high-risk email off', { deal_high_risk: { email: false } }, {}, 'deal_high_risk', 'email', 'rep', false],
    ['the member turned it back on', { deal_high_risk: { email: false } }, { deal_high_risk: { email: true } }, 'deal_high_risk', 'email', 'rep', true],
    ['the member turned first-open email on', {}, { email_opened: { email: true } }, 'email_opened', 'email', 'rep', true],
    ['Slack is the organization’s: a member cannot turn it off', {}, { deal_high_risk: { slack: false } }, 'deal_high_risk', 'slack', 'rep', true],
    ['the admins turned Slack off', { deal_high_risk: { slack: false } }, {}, 'deal_high_risk', 'slack', 'rep', false],
    ['a channel the kind does not offer', {}, {}, 'task_due', 'slack', 'rep', false],
    ['won deals go to Slack by default', {}, {}, 'deal_won', 'slack', undefined, true],
    ['the admins turned Slack off for stage moves', { deal_stage_changed: { slack: false } }, {}, 'deal_stage_changed', 'slack', undefined, false],
    ['the digest is for managers', {}, {}, 'weekly_digest', 'email', 'manager', true],
    ['the digest is not for reps, whatever they chose', {}, { weekly_digest: { email: true } }, 'weekly_digest', 'email', 'rep', false],
  ] as const)('%s', (_case, org, member, kind, channel, role, expected) => {
    expect(wants(memberPreferences(org as PreferenceOverrides, member as PreferenceOverrides), kind, channel, role)).toBe(expected);
  });

  it('lists every kind with only the channels it offers', () => {
    const defaults = organizationDefaults();
    expect(Object.keys(defaults.task_due)).toEqual(['email']);
    expect(defaults.deal_high_risk).toEqual({ in_app: true, browser: true, email: true, slack: true });
  });

  it('offers Slack the kinds it carries, and members only the kinds they have a channel of their own for', () => {
    expect(slackKinds).toEqual(['deal_high_risk', 'deal_created', 'deal_stage_changed', 'deal_won', 'deal_lost']);
    expect(memberKinds).toEqual(['deal_high_risk', 'email_opened', 'deal_assigned', 'task_due', 'task_overdue', 'weekly_digest']);
  });

  it.each([
    ['sets a choice', {}, { task_due: { email: false } }, { task_due: { email: false } }],
    ['null goes back to the default, and drops an empty kind', { task_due: { email: false } }, { task_due: { email: null } }, {}],
    ['keeps the other choices', { task_due: { email: false }, deal_high_risk: { in_app: false } }, { task_due: { email: true } }, { task_due: { email: true }, deal_high_risk: { in_app: false } }],
  ] as const)('merging a patch %s', (_case, stored, patch, expected) => {
    expect(mergeOverrides(stored as PreferenceOverrides, patch)).toEqual(expected);
  });

  it.each([
    ['a channel the kind offers', 'member', { task_due: { email: false } }, []],
    ['a channel the kind does not offer', 'member', { task_due: { in_app: false } }, [['task_due', 'in_app', 'task_due is not sent to in_app']]],
    ['Slack, as a member', 'member', { deal_high_risk: { slack: false } }, [['deal_high_risk', 'slack', 'slack is set for the whole organization by its admins']]],
    ['Slack, as the organization', 'organization', { deal_high_risk: { slack: false } }, []],
  ] as const)('checks a patch: %s', (_case, who, patch, problems) => {
    expect(patchProblems(patch, who)).toEqual(problems);
  });
});
