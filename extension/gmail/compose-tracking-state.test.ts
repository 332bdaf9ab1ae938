import { describe, expect, it } from 'vitest';
import type { TrackingDecision } from '../../core/schemas/tracking.ts';
import {
  buttonLook,
  containsPixel,
  presendingAction,
  recipientsKey,
  recipientsOf,
  sameVisibleText,
  untrackedNotice,
  type DecisionState,
  type Phase,
} from './compose-tracking-state.ts';

const no: TrackingDecision = { track: false, reason: 'consent_missing', explanation: 'Bea has not consented to tracking.', storeIdentity: false, storeExactTime: false };
const yes: TrackingDecision = { track: true, reason: 'tracked_aggregate', explanation: 'Opens are counted per day, without names.', storeIdentity: false, storeExactTime: false };
const key = recipientsKey(recipientsOf(['bea@buyer.test'], [], []));
const other = recipientsKey(recipientsOf(['carl@buyer.test'], [], []));

describe('presendingAction', () => {
  const base = { phase: 'idle' as Phase, trackingOn: true, decorated: false, decision: { kind: 'none' } as DecisionState, key };
  it.each([
    ['our own send() after registering', { phase: 'resending' }, 'pass-own'],
    ['Send again while registering', { phase: 'registering' }, 'hold'],
    ['tracking off', { trackingOn: false }, 'pass'],
    ['already carrying our pixel', { decorated: true }, 'pass'],
    ['known not tracked for these recipients', { decision: { kind: 'known', key, decision: no } }, 'pass'],
    ['known not tracked, but for other recipients', { decision: { kind: 'known', key: other, decision: no } }, 'register'],
    ['known tracked', { decision: { kind: 'known', key, decision: yes } }, 'register'],
    ['decision still loading', { decision: { kind: 'loading', key } }, 'register'],
    ['decision unavailable: try, within the second', { decision: { kind: 'unavailable', key, message: 'down' } }, 'register'],
    ['sending again after Gmail refused', { phase: 'idle' }, 'register'],
  ] as const)('%s → %s', (_name, over, action) => {
    expect(presendingAction({ ...base, ...(over as Partial<typeof base>) })).toBe(action);
  });
});

describe('recipients', () => {
  it('are compared without case, order or repeats', () => {
    expect(recipientsOf([' Bea@Buyer.test', 'carl@buyer.test', 'bea@buyer.test'], [], [])).toEqual({ to: ['bea@buyer.test', 'carl@buyer.test'], cc: [], bcc: [] });
    expect(recipientsKey(recipientsOf(['b@x.test', 'a@x.test'], [], []))).toBe(recipientsKey(recipientsOf(['A@x.test', 'b@x.test'], [], [])));
    expect(recipientsKey(recipientsOf(['a@x.test'], [], []))).not.toBe(recipientsKey(recipientsOf([], ['a@x.test'], [])));
  });
});

describe('buttonLook', () => {
  const ready = { kind: 'ready', defaults: { trackByDefault: true, description: 'Opens and clicks are recorded.' } } as const;
  it.each([
    ['off', { trackingOn: false }, { title: 'Tracking off', icon: 'off' }],
    ['on, tracked', { decision: { kind: 'known', key, decision: yes } }, { title: 'Tracking on', icon: 'on', tooltip: 'Opens are counted per day, without names. Click to turn tracking off.' }],
    ['on, not tracked', { decision: { kind: 'known', key, decision: no } }, { icon: 'warn', tooltip: expect.stringContaining('not consented') }],
    ['on, CRM away', { decision: { kind: 'unavailable', key, message: 'The CRM cannot be reached' } }, { icon: 'warn', title: 'Tracking on, Inbox CRM unavailable' }],
    ['signed out', { account: { kind: 'signed-out' }, trackingOn: false }, { title: 'Tracking: sign in to Inbox CRM', icon: 'off' }],
    ['while registering', { phase: 'registering' }, { enabled: false }],
  ] as const)('%s', (_name, over, look) => {
    expect(buttonLook({ trackingOn: true, phase: 'idle', decision: { kind: 'none' }, account: ready, ...(over as object) })).toMatchObject(look);
  });
});

describe('untrackedNotice', () => {
  it.each([
    [{ code: 'TIMEOUT', message: 'x' }, 'Sent without tracking: the CRM did not answer within a second.'],
    [{ code: 'OFFLINE', message: 'x' }, 'Sent without tracking: the CRM could not be reached.'],
    [{ code: 'UNAUTHENTICATED', message: 'x' }, 'Sent without tracking: sign in to Inbox CRM from Chrome’s toolbar.'],
    [{ code: 'VALIDATION_FAILED', message: 'to.0: Invalid email address.' }, 'Sent without tracking: to.0: Invalid email address.'],
  ])('%j', (failure, text) => {
    expect(untrackedNotice(failure)).toBe(text);
  });
});

describe('bodies', () => {
  it('finds our pixel as Gmail’s editor serialises it', () => {
    const pixel = 'https://t.test/o/abc.gif?a=1&b=2';
    expect(containsPixel('<img src="https://t.test/o/abc.gif?a=1&amp;b=2">', pixel)).toBe(true);
    expect(containsPixel('<img src="https://t.test/o/abd.gif">', pixel)).toBe(false);
  });

  it('compares what the recipient reads, not the markup', () => {
    const text = (html: string) => html.replace(/<[^>]*>/g, '');
    expect(sameVisibleText('<p>Hi <a href="https://a.test">a</a></p>', '<p>Hi <a href="https://t.test/c/1">a</a></p><img src="x">', text)).toBe(true);
    expect(sameVisibleText('<p>Hi</p>', '<p>Hi</p><p>Unsubscribe</p>', text)).toBe(false);
  });
});
