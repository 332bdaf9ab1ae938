import { describe, expect, it } from 'vitest';
import type { TrackingDecision } from '../../ui/api-client/api-types.ts';
import type { ComposeState } from '../../ui/compose/compose-state.ts';
import { buttonLook } from './compose-button.ts';

const no: TrackingDecision = { track: false, reason: 'consent_missing', explanation: 'Bea has not consented to tracking.', storeIdentity: false, storeExactTime: false };
const yes: TrackingDecision = { track: true, reason: 'tracked_aggregate', explanation: 'Opens are counted per day, without names.', storeIdentity: false, storeExactTime: false };
const key = '[["bea@buyer.test"],[],[]]';

describe('buttonLook', () => {
  const base: ComposeState = {
    trackingOn: true,
    optOutLink: false,
    registering: false,
    decision: { kind: 'none' },
    account: { kind: 'ready', defaults: { trackByDefault: true, description: 'Opens and clicks are recorded.' } },
  };
  it.each([
    ['off', { trackingOn: false }, { title: 'Tracking off', icon: 'off', tooltip: expect.stringContaining('Opens and clicks are recorded.') }],
    ['on, tracked', { decision: { kind: 'known', key, decision: yes } }, { title: 'Tracking on', icon: 'on', tooltip: 'Opens are counted per day, without names. Click to turn tracking off.' }],
    ['on, not tracked', { decision: { kind: 'known', key, decision: no } }, { icon: 'warn', tooltip: expect.stringContaining('not consented') }],
    ['on, CRM away', { decision: { kind: 'unavailable', key, message: 'The CRM cannot be reached' } }, { icon: 'warn', title: 'Tracking on, Inbox CRM unavailable' }],
    ['on, asking', { decision: { kind: 'loading', key } }, { icon: 'on', tooltip: expect.stringMatching(/^Checking/) }],
    ['signed out', { account: { kind: 'signed-out' }, trackingOn: false }, { title: 'Tracking: sign in to Inbox CRM', icon: 'off' }],
    ['signed out with tracking on', { account: { kind: 'signed-out' } }, { title: 'Tracking: sign in to Inbox CRM', icon: 'warn' }],
    ['while registering', { registering: true }, { enabled: false }],
  ] as const)('%s', (_name, over, look) => {
    expect(buttonLook({ ...base, ...(over as Partial<ComposeState>) })).toMatchObject(look);
  });
});
