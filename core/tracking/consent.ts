// Consent modes: whether a message may be tracked, what may be stored, and the one sentence the
// compose toggle shows.
//
// Modes, per organisation with a per-country override (country of the recipient):
//   off        nothing is tracked;
//   aggregate  opens and clicks are counted per message, without who and with times cut to the day;
//   consented  a recipient is tracked only if their consent is recorded;
//   full       tracked, with the time and (for a one-recipient message) the recipient.
// Opted-out recipients are never tracked. A message to several recipients carries one pixel and one
// set of links, so it is tracked only if every recipient may be tracked, and then at the most
// restrictive level among them.
import { z } from 'zod';

export const consentModes = ['off', 'aggregate', 'consented', 'full'] as const;
export const ConsentMode = z.enum(consentModes);
export type ConsentMode = z.infer<typeof ConsentMode>;

const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case');

export const TrackingPolicy = z
  .object({
    mode: ConsentMode,
    /** Country (ISO 3166-1 alpha-2) → mode, for recipients in that country. */
    countryOverrides: z.record(CountryCode, ConsentMode).default({}),
    /** Mode for recipients whose country is unknown; the organisation's mode when absent. */
    unknownCountryMode: ConsentMode.optional(),
  })
  .meta({ id: 'TrackingPolicy' });
export type TrackingPolicy = z.input<typeof TrackingPolicy>;

/**
 * Overrides suggested to a new organisation: the French and Italian regulators ruled in 2026 that
 * tracking pixels in email need the recipient's prior consent.
 */
export const suggestedCountryOverrides: Readonly<Record<string, ConsentMode>> = Object.freeze({ FR: 'consented', IT: 'consented' });

export interface RecipientTrackingFacts {
  /** ISO 3166-1 alpha-2 of the recipient (from the contact or company), or null when unknown. */
  country: string | null;
  consentRecorded: boolean;
  optedOut: boolean;
}

export type RecipientTrackingReason = 'opted_out' | 'tracking_off' | 'aggregate_only' | 'consent_recorded' | 'consent_missing' | 'full';

export interface RecipientTrackingDecision {
  track: boolean;
  /** The mode that applied to this recipient. */
  mode: ConsentMode;
  /** Where the mode came from. */
  modeSource: 'organisation' | 'country' | 'unknown_country';
  /** The recipient may be named in tokens and summaries. */
  storeIdentity: boolean;
  /** Hit times may be stored to the second; otherwise cut to the day (truncateToDay). */
  storeExactTime: boolean;
  reason: RecipientTrackingReason;
  explanation: string;
}

export type MessageTrackingReason = 'no_recipients' | 'opted_out' | 'tracking_off' | 'consent_missing' | 'tracked' | 'tracked_aggregate';

export interface MessageTrackingDecision {
  track: boolean;
  /** Name the recipient in the tokens: only for a one-recipient message whose recipient allows it. */
  storeIdentity: boolean;
  storeExactTime: boolean;
  reason: MessageTrackingReason;
  /** The sentence the compose toggle shows. */
  explanation: string;
  recipients: RecipientTrackingDecision[];
}

/** The mode that applies to a recipient in `country`, and where it came from. */
export function modeFor(policy: TrackingPolicy, country: string | null): { mode: ConsentMode; modeSource: RecipientTrackingDecision['modeSource'] } {
  const code = normalizeCountry(country);
  const overrides = policy.countryOverrides ?? {};
  if (code !== null && Object.hasOwn(overrides, code)) return { mode: overrides[code]!, modeSource: 'country' };
  if (code === null && policy.unknownCountryMode) return { mode: policy.unknownCountryMode, modeSource: 'unknown_country' };
  return { mode: policy.mode, modeSource: 'organisation' };
}

export function decideRecipientTracking(policy: TrackingPolicy, facts: RecipientTrackingFacts): RecipientTrackingDecision {
  const { mode, modeSource } = modeFor(policy, facts.country);
  const where = modeSource === 'country' ? countryName(facts.country) : null;
  const decision = (track: boolean, storeIdentity: boolean, storeExactTime: boolean, reason: RecipientTrackingReason, explanation: string) => ({
    track,
    mode,
    modeSource,
    storeIdentity: track && storeIdentity,
    storeExactTime: track && storeExactTime,
    reason,
    explanation,
  });

  if (facts.optedOut) return decision(false, false, false, 'opted_out', 'This recipient opted out of tracking: this message will not be tracked.');
  switch (mode) {
    case 'off':
      return decision(false, false, false, 'tracking_off', `${lead(where, 'tracking is off')}this message will not be tracked.`);
    case 'aggregate':
      return decision(true, false, false, 'aggregate_only', `${lead(where, 'tracking records counts only')}opens and clicks will be counted without saying who or at what time, beyond the day.`);
    case 'consented':
      return facts.consentRecorded
        ? decision(true, true, true, 'consent_recorded', `${consentLead(where)}this recipient consented, so this message will be tracked.`)
        : decision(false, false, false, 'consent_missing', `${consentLead(where)}this message will not be tracked, because this recipient has not consented.`);
    case 'full':
      return decision(true, true, true, 'full', `${lead(where, 'tracking is on')}opens and clicks will be recorded with their time.`);
  }
}

export function decideMessageTracking(policy: TrackingPolicy, recipients: readonly RecipientTrackingFacts[]): MessageTrackingDecision {
  const decisions = recipients.map((facts) => decideRecipientTracking(policy, facts));
  const only = decisions.length === 1 ? decisions[0] : undefined;
  if (decisions.length === 0) {
    return { track: false, storeIdentity: false, storeExactTime: false, reason: 'no_recipients', explanation: 'This message has no recipients to track.', recipients: decisions };
  }
  if (only) {
    const reason: MessageTrackingReason = only.track ? (only.storeExactTime ? 'tracked' : 'tracked_aggregate') : messageReasonOf(only.reason);
    return { track: only.track, storeIdentity: only.storeIdentity, storeExactTime: only.storeExactTime, reason, explanation: only.explanation, recipients: decisions };
  }

  const blocked = (reason: RecipientTrackingReason) => decisions.find((d) => d.reason === reason);
  const optedOut = blocked('opted_out');
  if (optedOut) {
    return refuse('opted_out', 'A recipient opted out of tracking, and a message to several recipients carries a single pixel: this message will not be tracked.');
  }
  const off = blocked('tracking_off');
  if (off) {
    const where = off.modeSource === 'country' ? countryName(countryOf(off)) : null;
    return refuse('tracking_off', where ? `In ${where}, tracking is off, and a recipient is there: this message will not be tracked.` : 'Tracking is off for some of these recipients: this message will not be tracked.');
  }
  const missing = blocked('consent_missing');
  if (missing) {
    const where = missing.modeSource === 'country' ? countryName(countryOf(missing)) : null;
    return refuse('consent_missing', `${consentLead(where)}this message will not be tracked, because it goes to several recipients and not all of them consented.`);
  }

  const exact = decisions.every((d) => d.storeExactTime);
  return {
    track: true,
    // One pixel for several people: whoever opens is "a recipient", never a named person.
    storeIdentity: false,
    storeExactTime: exact,
    reason: exact ? 'tracked' : 'tracked_aggregate',
    explanation: exact
      ? 'Opens and clicks will be recorded with their time; with several recipients they are attributed to “a recipient”, not to a person.'
      : 'Opens and clicks will be counted for this message without saying who or at what time, beyond the day.',
    recipients: decisions,
  };

  function refuse(reason: MessageTrackingReason, explanation: string): MessageTrackingDecision {
    return { track: false, storeIdentity: false, storeExactTime: false, reason, explanation, recipients: decisions };
  }
  function countryOf(decision: RecipientTrackingDecision): string | null {
    return recipients[decisions.indexOf(decision)]?.country ?? null;
  }
}

/** What the current mode will record, before recipients are known (compose toggle, settings page). */
export function describeMode(policy: TrackingPolicy, country: string | null = null): string {
  const { mode, modeSource } = modeFor(policy, country);
  const where = modeSource === 'country' ? countryName(country) : null;
  switch (mode) {
    case 'off':
      return `${lead(where, 'tracking is off')}messages will not be tracked.`;
    case 'aggregate':
      return `${lead(where, 'tracking records counts only')}opens and clicks will be counted per message without saying who or at what time, beyond the day.`;
    case 'consented':
      return `${consentLead(where)}this message will be tracked only for recipients who consented.`;
    case 'full':
      return `${lead(where, 'tracking is on')}opens and clicks will be recorded with their time, and with the recipient when there is only one.`;
  }
}

/** Start of the UTC day containing `at` (epoch ms): how times are stored when exact time is not allowed. */
export const truncateToDay = (at: number) => Math.floor(at / 86_400_000) * 86_400_000;

function messageReasonOf(reason: RecipientTrackingReason): MessageTrackingReason {
  if (reason === 'opted_out' || reason === 'tracking_off' || reason === 'consent_missing') return reason;
  return 'tracked';
}

function lead(where: string | null, what: string): string {
  return where ? `In ${where}, ${what}: ` : `${what[0]!.toUpperCase()}${what.slice(1)} for your organisation: `;
}

function consentLead(where: string | null): string {
  return where ? `In ${where}, pixels need the recipient’s consent: ` : 'Your organisation tracks only recipients who consented: ';
}

function normalizeCountry(country: string | null): string | null {
  const code = country?.trim().toUpperCase() ?? '';
  return /^[A-Z]{2}$/.test(code) ? code : null;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return null;
  }
})();

function countryName(country: string | null): string {
  const code = normalizeCountry(country);
  if (code === null) return 'this country';
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}
