// The tracked-send flow's decisions, without a mail client: what to do when the rep presses Send,
// what the toggle's sentence says, and what the rep is told when a message goes out untracked.
// compose-tracking.ts applies them to a ComposeHost; each host draws the state its own way.
import type { TrackingDecision } from '../api-client/api-types.ts';
import type { ComposeRecipients } from './compose-host.ts';

/** What the API said about the current recipients. */
export type DecisionState =
  | { kind: 'none' } // no recipients yet
  | { kind: 'loading'; key: string }
  | { kind: 'known'; key: string; decision: TrackingDecision }
  | { kind: 'unavailable'; key: string; message: string };

/** The rep's tracking defaults as this page knows them. */
export interface TrackingDefaults {
  trackByDefault: boolean;
  /** What the organisation's consent mode records, in one sentence. */
  description: string;
}

export type AccountState = { kind: 'loading' } | { kind: 'ready'; defaults: TrackingDefaults } | { kind: 'signed-out' } | { kind: 'unavailable'; message: string };

/** One compose window's tracking, as hosts draw it. */
export interface ComposeState {
  trackingOn: boolean;
  /** Append the "stop tracking my opens" line (hosts that offer it). */
  optOutLink: boolean;
  /** Registering this window's message now: Send is held, the toggle does not change. */
  registering: boolean;
  decision: DecisionState;
  account: AccountState;
}

const normalize = (emails: readonly string[]) => [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();

/** Compared without case, order or repeats. */
export const recipientsOf = (r: ComposeRecipients): ComposeRecipients => ({ to: normalize(r.to), cc: normalize(r.cc), bcc: normalize(r.bcc) });
export const recipientsKey = (r: ComposeRecipients) => JSON.stringify([r.to, r.cc, r.bcc]);
export const hasRecipients = (r: ComposeRecipients) => r.to.length + r.cc.length + r.bcc.length > 0;

export type SendAction =
  /** Another Send of this window is being registered: refuse this one, that one goes out within the second. */
  | 'hold'
  /** Send as it is: tracking is off, or the body already carries a registration of ours. */
  | 'send'
  /** Send as it is and say why it is untracked: the API already said these recipients are not tracked. */
  | 'send-untracked'
  /** Hold the send, register, put the tracked body in, send. */
  | 'register';

export function sendAction(s: { registering: boolean; trackingOn: boolean; carriesRegistration: boolean; decision: DecisionState; key: string }): SendAction {
  if (s.registering) return 'hold';
  if (!s.trackingOn || s.carriesRegistration) return 'send';
  // Known not to be tracked for exactly these recipients: registering would only delay the send.
  if (s.decision.kind === 'known' && s.decision.key === s.key && !s.decision.decision.track) return 'send-untracked';
  return 'register';
}

/** Why a registration did not work: an ApiError's code, TIMEOUT for the flow's own deadline. */
export interface RegisterFailure {
  code: string;
  message: string;
}

/**
 * The line the rep reads when tracking was on and the mail went out without it. `signInHint` says
 * where this host signs in again (e.g. "sign in to Inbox CRM from Chrome’s toolbar").
 */
export function untrackedNotice(failure: RegisterFailure, signInHint = 'your CRM session has ended'): string {
  const why =
    failure.code === 'UNAUTHENTICATED'
      ? signInHint
      : failure.code === 'TIMEOUT'
        ? 'the CRM did not answer within a second'
        : failure.code === 'OFFLINE'
          ? 'the CRM could not be reached'
          : `the CRM could not register it (${failure.message.replace(/\.$/, '')})`;
  return `Sent without tracking: ${why}.`.slice(0, 300);
}

/** The API's own reason, when its consent decision said no. */
export const notTrackedNotice = (decision: TrackingDecision) => `Sent without tracking: ${decision.explanation}`.slice(0, 300);

const escapeAmp = (url: string) => url.replace(/&/g, '&amp;');

/** Whether a body (as an editor serialises it) carries this pixel. */
export const containsPixel = (html: string, pixelUrl: string) => html.includes(pixelUrl) || html.includes(escapeAmp(pixelUrl));

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * "Nothing else in the mail changes": the tracked body must read exactly like the rep's (the API
 * only rewrites link targets and appends an invisible pixel). `textOf` renders HTML to its text.
 */
export const sameVisibleText = (original: string, tracked: string, textOf: (html: string) => string) => collapse(textOf(original)) === collapse(textOf(tracked));

/**
 * With the opt-out line asked for, the one change allowed: the rep's text, then that short line
 * (the API appends it before the end of the body); anything else changed means not tracked.
 */
export const sameTextPlusOptOutLine = (original: string, tracked: string, textOf: (html: string) => string) => {
  const before = collapse(textOf(original));
  const after = collapse(textOf(tracked));
  return after.startsWith(before) && after.length - before.length <= 200;
};

export type ExplanationKind = 'off' | 'no-recipients' | 'checking' | 'decided' | 'unavailable';

/** The toggle's sentence, for hosts that show it beside the switch (the demo inbox, Outlook's pane). */
export function explanationOf(state: Pick<ComposeState, 'trackingOn' | 'decision' | 'account'>): { kind: ExplanationKind; text: string; tracked: boolean } {
  if (!state.trackingOn) return { kind: 'off', text: 'Not tracked: the message goes out as you wrote it, with no pixel and links unchanged.', tracked: false };
  const d = state.decision;
  switch (d.kind) {
    case 'none': {
      const description = state.account.kind === 'ready' ? state.account.defaults.description : null;
      const text = description ? `${description} Add a recipient to see what will be recorded for them.` : 'Add a recipient to see what tracking will record.';
      return { kind: 'no-recipients', text, tracked: true };
    }
    case 'loading':
      return { kind: 'checking', text: 'Checking what tracking will record for these recipients…', tracked: true };
    case 'known':
      return { kind: 'decided', text: d.decision.explanation, tracked: d.decision.track };
    case 'unavailable':
      return {
        kind: 'unavailable',
        text: 'The CRM cannot be reached to say what will be recorded. If it still cannot be reached when you send, the message goes out untracked.',
        tracked: false,
      };
  }
}
