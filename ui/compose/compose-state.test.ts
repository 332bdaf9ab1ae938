import { describe, expect, it } from 'vitest';
import type { TrackingDecision } from '../api-client/api-types.ts';
import {
  containsPixel,
  explanationOf,
  recipientsKey,
  recipientsOf,
  sameVisibleText,
  sendAction,
  untrackedNotice,
  type AccountState,
  type DecisionState,
} from './compose-state.ts';

const no: TrackingDecision = { track: false, reason: 'consent_missing', explanation: 'Bea has not consented to tracking.', storeIdentity: false, storeExactTime: false };
const yes: TrackingDecision = { track: true, reason: 'tracked_aggregate', explanation: 'Opens are counted per day, without names.', storeIdentity: false, storeExactTime: false };
const key = recipientsKey(recipientsOf({ to: ['bea@buyer.test'], cc: [], bcc: [] }));
const other = recipientsKey(recipientsOf({ to: ['carl@buyer.test'], cc: [], bcc: [] }));

describe('sendAction', () => {
  const base = { registering: false, trackingOn: true, carriesRegistration: false, decision: { kind: 'none' } as DecisionState, key };
  it.each([
    ['Send again while registering', { registering: true }, 'hold'],
    ['tracking off', { trackingOn: false }, 'send'],
    ['already carrying our pixel', { carriesRegistration: true }, 'send'],
    ['carrying our pixel with tracking off (it is in the mail all the same)', { carriesRegistration: true, trackingOn: false }, 'send'],
    ['known not tracked for these recipients', { decision: { kind: 'known', key, decision: no } }, 'send-untracked'],
    ['known not tracked, but for other recipients', { decision: { kind: 'known', key: other, decision: no } }, 'register'],
    ['known tracked', { decision: { kind: 'known', key, decision: yes } }, 'register'],
    ['decision still loading', { decision: { kind: 'loading', key } }, 'register'],
    ['decision unavailable: try, within the second', { decision: { kind: 'unavailable', key, message: 'down' } }, 'register'],
  ] as const)('%s → %s', (_name, over, action) => {
    expect(sendAction({ ...base, ...(over as Partial<typeof base>) })).toBe(action);
  });
});

describe('recipients', () => {
  it('are compared without case, order or repeats, field by field', () => {
    expect(recipientsOf({ to: [' Bea@Buyer.test', 'carl@buyer.test', 'bea@buyer.test'], cc: [], bcc: [] })).toEqual({ to: ['bea@buyer.test', 'carl@buyer.test'], cc: [], bcc: [] });
    expect(recipientsKey(recipientsOf({ to: ['b@x.test', 'a@x.test'], cc: [], bcc: [] }))).toBe(recipientsKey(recipientsOf({ to: ['A@x.test', 'b@x.test'], cc: [], bcc: [] })));
    expect(recipientsKey(recipientsOf({ to: ['a@x.test'], cc: [], bcc: [] }))).not.toBe(recipientsKey(recipientsOf({ to: [], cc: ['a@x.test'], bcc: [] })));
  });
});

describe('untrackedNotice', () => {
  it.each([
    [{ code: 'TIMEOUT', message: 'x' }, undefined, 'Sent without tracking: the CRM did not answer within a second.'],
    [{ code: 'OFFLINE', message: 'x' }, undefined, 'Sent without tracking: the CRM could not be reached.'],
    [{ code: 'UNAUTHENTICATED', message: 'x' }, undefined, 'Sent without tracking: your CRM session has ended.'],
    [{ code: 'UNAUTHENTICATED', message: 'x' }, 'sign in to Inbox CRM from Chrome’s toolbar', 'Sent without tracking: sign in to Inbox CRM from Chrome’s toolbar.'],
    [{ code: 'VALIDATION_FAILED', message: 'to.0: Invalid email address.' }, undefined, 'Sent without tracking: the CRM could not register it (to.0: Invalid email address).'],
  ])('%j', (failure, hint, text) => {
    expect(untrackedNotice(failure, hint)).toBe(text);
  });
});

describe('bodies', () => {
  it('finds our pixel as an editor serialises it', () => {
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

describe('explanationOf: the sentence beside the switch', () => {
  const ready: AccountState = { kind: 'ready', defaults: { trackByDefault: true, description: 'Opens and clicks are recorded with their time.' } };
  it.each([
    ['off', { trackingOn: false }, 'off', 'Not tracked: the message goes out as you wrote it, with no pixel and links unchanged.'],
    ['no recipients yet', {}, 'no-recipients', 'Opens and clicks are recorded with their time. Add a recipient to see what will be recorded for them.'],
    ['no recipients, mode unknown', { account: { kind: 'loading' } }, 'no-recipients', 'Add a recipient to see what tracking will record.'],
    ['asking', { decision: { kind: 'loading', key } }, 'checking', 'Checking what tracking will record for these recipients…'],
    ['decided', { decision: { kind: 'known', key, decision: no } }, 'decided', 'Bea has not consented to tracking.'],
    ['CRM away', { decision: { kind: 'unavailable', key, message: 'down' } }, 'unavailable', expect.stringMatching(/^The CRM cannot be reached to say what will be recorded/)],
  ] as const)('%s', (_name, over, kind, text) => {
    expect(explanationOf({ trackingOn: true, decision: { kind: 'none' }, account: ready, ...(over as object) })).toMatchObject({ kind, text });
  });
});
