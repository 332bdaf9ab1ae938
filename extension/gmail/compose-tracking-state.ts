// The compose toggle's decisions, without InboxSDK: what to do when Gmail is about to send, what the
// button shows, and what the rep is told when a message goes out untracked. compose-tracking.ts
// applies them to a ComposeView.
import type { TrackingDecision } from '../../core/schemas/tracking.ts';
import type { TrackingDefaults, TrackingFailure, TrackingRecipients } from '../messages.ts';

/**
 * Where one compose window is in sending:
 * idle → (Send, tracking on) registering → resending (we called send()) → sending → sent.
 * A send Gmail cancels (bad address dialog, network) goes back to idle.
 */
export type Phase = 'idle' | 'registering' | 'resending' | 'sending' | 'sent';

/** What the API said about the current recipients. */
export type DecisionState =
  | { kind: 'none' } // no recipients yet
  | { kind: 'loading'; key: string }
  | { kind: 'known'; key: string; decision: TrackingDecision }
  | { kind: 'unavailable'; key: string; message: string };

/** The rep's tracking settings as this tab knows them. */
export type Account = { kind: 'loading' } | { kind: 'ready'; defaults: TrackingDefaults } | { kind: 'signed-out' } | { kind: 'unavailable'; message: string };

export type PresendingAction =
  /** Let Gmail send: tracking is off, already added, or the API said this mail is not tracked. */
  | 'pass'
  /** Our own send() after registering: let it through. */
  | 'pass-own'
  /** Send pressed again while registering: hold it, the pending send goes out within the second. */
  | 'hold'
  /** Cancel this send, register, put the tracked body in, send. */
  | 'register';

const normalize = (emails: readonly string[]) => [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();

export const recipientsOf = (to: readonly string[], cc: readonly string[], bcc: readonly string[]): TrackingRecipients => ({
  to: normalize(to),
  cc: normalize(cc),
  bcc: normalize(bcc),
});

export const recipientsKey = (r: TrackingRecipients) => JSON.stringify([r.to, r.cc, r.bcc]);
export const hasRecipients = (r: TrackingRecipients) => r.to.length + r.cc.length + r.bcc.length > 0;

export function presendingAction(s: { phase: Phase; trackingOn: boolean; decorated: boolean; decision: DecisionState; key: string }): PresendingAction {
  if (s.phase === 'resending') return 'pass-own';
  if (s.phase === 'registering') return 'hold';
  if (!s.trackingOn || s.decorated) return 'pass';
  // Known not to be tracked for exactly these recipients: registering would only delay the send.
  if (s.decision.kind === 'known' && s.decision.key === s.key && !s.decision.decision.track) return 'pass';
  return 'register';
}

export interface ButtonLook {
  title: string;
  tooltip: string;
  icon: 'on' | 'off' | 'warn';
  enabled: boolean;
}

export function buttonLook(s: { trackingOn: boolean; phase: Phase; decision: DecisionState; account: Account }): ButtonLook {
  const enabled = s.phase !== 'registering' && s.phase !== 'resending';
  if (s.account.kind === 'signed-out') {
    return { title: 'Tracking: sign in to Inbox CRM', tooltip: 'Sign in from the Inbox CRM button in Chrome’s toolbar to track opens and clicks.', icon: s.trackingOn ? 'warn' : 'off', enabled };
  }
  if (!s.trackingOn) {
    const what = s.account.kind === 'ready' ? ` ${s.account.defaults.description}` : '';
    return { title: 'Tracking off', tooltip: `This email will not be tracked. Click to track opens and clicks.${what}`, icon: 'off', enabled };
  }
  const d = s.decision;
  if (d.kind === 'known' && !d.decision.track) {
    return { title: 'Tracking on, but this email will not be tracked', tooltip: `${d.decision.explanation} Click to turn tracking off.`, icon: 'warn', enabled };
  }
  if (d.kind === 'unavailable') {
    return { title: 'Tracking on, Inbox CRM unavailable', tooltip: `${d.message}. If it is still unavailable on Send, the email goes out untracked and you are told.`, icon: 'warn', enabled };
  }
  const explanation = d.kind === 'known' ? d.decision.explanation : d.kind === 'loading' ? 'Checking what will be recorded…' : 'Add recipients to see what will be recorded.';
  return { title: 'Tracking on', tooltip: `${explanation} Click to turn tracking off.`, icon: 'on', enabled };
}

/** The butter bar line when tracking was on and the mail went out without it. */
export function untrackedNotice(failure: Pick<TrackingFailure, 'code' | 'message'>): string {
  const why =
    failure.code === 'UNAUTHENTICATED'
      ? 'sign in to Inbox CRM from Chrome’s toolbar'
      : failure.code === 'TIMEOUT'
        ? 'the CRM did not answer within a second'
        : failure.code === 'OFFLINE'
          ? 'the CRM could not be reached'
          : failure.message.replace(/\.$/, '');
  return `Sent without tracking: ${why}.`.slice(0, 300);
}

const escapeAmp = (url: string) => url.replace(/&/g, '&amp;');

/** Whether a body (as Gmail's editor serialises it) carries this pixel. */
export const containsPixel = (html: string, pixelUrl: string) => html.includes(pixelUrl) || html.includes(escapeAmp(pixelUrl));

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * "Nothing else in the mail changes": the tracked body must read exactly like the rep's (the API
 * only rewrites link targets and appends an invisible pixel). `textOf` renders HTML to its text.
 */
export const sameVisibleText = (original: string, tracked: string, textOf: (html: string) => string) => collapse(textOf(original)) === collapse(textOf(tracked));
