import { describe, expect, it } from 'vitest';
import {
  consentModes,
  decideMessageTracking,
  decideRecipientTracking,
  describeMode,
  type RecipientTrackingFacts,
  suggestedCountryOverrides,
  TrackingPolicy,
  truncateToDay,
} from './consent.ts';

// An organisation tracking fully, with the French and Italian overrides, and Germany switched off.
const policy: TrackingPolicy = { mode: 'full', countryOverrides: { ...suggestedCountryOverrides, DE: 'off', ES: 'aggregate' } };

const recipient = (country: string | null, consentRecorded = false, optedOut = false): RecipientTrackingFacts => ({ country, consentRecorded, optedOut });

describe('decideRecipientTracking', () => {
  it.each([
    ['a US recipient under the organisation’s full mode', recipient('US'), { track: true, storeIdentity: true, storeExactTime: true, reason: 'full', modeSource: 'organisation' }],
    ['an unknown country under the organisation’s mode', recipient(null), { track: true, storeIdentity: true, storeExactTime: true, reason: 'full', modeSource: 'organisation' }],
    ['a French recipient who consented', recipient('FR', true), { track: true, storeIdentity: true, storeExactTime: true, reason: 'consent_recorded', modeSource: 'country' }],
    ['a French recipient without consent', recipient('FR'), { track: false, storeIdentity: false, storeExactTime: false, reason: 'consent_missing', modeSource: 'country' }],
    ['an Italian recipient without consent (lower-case code)', recipient('it'), { track: false, storeIdentity: false, storeExactTime: false, reason: 'consent_missing', modeSource: 'country' }],
    ['a German recipient, even with consent', recipient('DE', true), { track: false, storeIdentity: false, storeExactTime: false, reason: 'tracking_off', modeSource: 'country' }],
    ['a Spanish recipient: counts only', recipient('ES'), { track: true, storeIdentity: false, storeExactTime: false, reason: 'aggregate_only', modeSource: 'country' }],
    ['a US recipient who opted out', recipient('US', true, true), { track: false, storeIdentity: false, storeExactTime: false, reason: 'opted_out', modeSource: 'organisation' }],
  ])('%s', (_name, facts, expected) => {
    expect(decideRecipientTracking(policy, facts)).toMatchObject(expected);
  });

  it.each(consentModes)('never tracks an opted-out recipient in mode %s, consent or not', (mode) => {
    for (const consentRecorded of [true, false]) {
      const decision = decideRecipientTracking({ mode }, recipient('US', consentRecorded, true));
      expect(decision).toMatchObject({ track: false, storeIdentity: false, storeExactTime: false, reason: 'opted_out' });
    }
  });

  it('applies the unknown-country mode only when the country is unknown', () => {
    const cautious: TrackingPolicy = { mode: 'full', unknownCountryMode: 'consented' };
    expect(decideRecipientTracking(cautious, recipient(null))).toMatchObject({ track: false, reason: 'consent_missing', modeSource: 'unknown_country' });
    expect(decideRecipientTracking(cautious, recipient('??'))).toMatchObject({ track: false, modeSource: 'unknown_country' });
    expect(decideRecipientTracking(cautious, recipient('US'))).toMatchObject({ track: true, modeSource: 'organisation' });
  });

  it('explains a French decision in the country’s terms', () => {
    expect(decideRecipientTracking(policy, recipient('FR')).explanation).toBe(
      'In France, pixels need the recipient’s consent: this message will not be tracked, because this recipient has not consented.',
    );
    expect(decideRecipientTracking(policy, recipient('FR', true)).explanation).toBe('In France, pixels need the recipient’s consent: this recipient consented, so this message will be tracked.');
    expect(decideRecipientTracking({ mode: 'off' }, recipient('US')).explanation).toBe('Tracking is off for your organisation: this message will not be tracked.');
  });
});

describe('decideMessageTracking', () => {
  it.each([
    ['one consenting French recipient: tracked and named', [recipient('FR', true)], { track: true, storeIdentity: true, storeExactTime: true, reason: 'tracked' }],
    ['one Spanish recipient: counted only', [recipient('ES')], { track: true, storeIdentity: false, storeExactTime: false, reason: 'tracked_aggregate' }],
    ['two US recipients: tracked, but never named', [recipient('US'), recipient('US')], { track: true, storeIdentity: false, storeExactTime: true, reason: 'tracked' }],
    ['US and Spain: the stricter level wins', [recipient('US'), recipient('ES')], { track: true, storeIdentity: false, storeExactTime: false, reason: 'tracked_aggregate' }],
    ['a consenting and a non-consenting French recipient: one pixel, not tracked', [recipient('FR', true), recipient('FR')], { track: false, reason: 'consent_missing' }],
    ['one opted-out among several: not tracked', [recipient('US'), recipient('US', false, true)], { track: false, reason: 'opted_out' }],
    ['one German recipient among several: not tracked', [recipient('US'), recipient('DE')], { track: false, reason: 'tracking_off' }],
    ['nobody', [], { track: false, reason: 'no_recipients' }],
  ])('%s', (_name, recipients, expected) => {
    const decision = decideMessageTracking(policy, recipients);
    expect(decision).toMatchObject(expected);
    expect(decision.recipients).toHaveLength(recipients.length);
    if (!decision.track) expect(decision).toMatchObject({ storeIdentity: false, storeExactTime: false });
  });

  it('says why a shared pixel cannot honour one recipient’s refusal', () => {
    expect(decideMessageTracking(policy, [recipient('FR', true), recipient('FR')]).explanation).toBe(
      'In France, pixels need the recipient’s consent: this message will not be tracked, because it goes to several recipients and not all of them consented.',
    );
    expect(decideMessageTracking(policy, [recipient('US'), recipient('US')]).explanation).toContain('“a recipient”');
  });
});

describe('describeMode', () => {
  it.each([
    ['FR', 'In France, pixels need the recipient’s consent: this message will be tracked only for recipients who consented.'],
    ['DE', 'In Germany, tracking is off: messages will not be tracked.'],
    ['ES', 'In Spain, tracking records counts only: opens and clicks will be counted per message without saying who or at what time, beyond the day.'],
    ['US', 'Tracking is on for your organisation: opens and clicks will be recorded with their time, and with the recipient when there is only one.'],
    [null, 'Tracking is on for your organisation: opens and clicks will be recorded with their time, and with the recipient when there is only one.'],
  ])('for %s: %s', (country, sentence) => {
    expect(describeMode(policy, country)).toBe(sentence);
  });
});

describe('TrackingPolicy', () => {
  it.each([
    [{ mode: 'full' }, true],
    [{ mode: 'consented', countryOverrides: { FR: 'consented' }, unknownCountryMode: 'off' }, true],
    [{ mode: 'sometimes' }, false],
    [{ mode: 'full', countryOverrides: { fr: 'off' } }, false],
    [{ mode: 'full', countryOverrides: { FRA: 'off' } }, false],
  ])('parses %j: %s', (input, ok) => {
    expect(TrackingPolicy.safeParse(input).success).toBe(ok);
  });
});

describe('truncateToDay', () => {
  it('keeps only the UTC day', () => {
    expect(new Date(truncateToDay(Date.parse('2026-05-04T23:59:59.999Z'))).toISOString()).toBe('2026-05-04T00:00:00.000Z');
    expect(new Date(truncateToDay(Date.parse('2026-05-05T00:00:00.000Z'))).toISOString()).toBe('2026-05-05T00:00:00.000Z');
  });
});
