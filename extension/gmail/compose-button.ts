// How Gmail's compose window shows the tracking state (ui/compose's ComposeState): a button beside the
// formatting buttons whose icon says on, off or "on, but this mail will not be tracked", and whose
// tooltip says what will be recorded. The demo inbox and Outlook show the same state as a switch
// with a sentence (ui/compose/tracking-toggle.tsx).
import type { ComposeButtonDescriptor } from '@inboxsdk/core';
import type { ComposeState } from '../../ui/compose/compose-state.ts';

export interface ButtonLook {
  title: string;
  tooltip: string;
  icon: 'on' | 'off' | 'warn';
  enabled: boolean;
}

export function buttonLook(s: ComposeState): ButtonLook {
  const enabled = !s.registering;
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

const svg = (body: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">${body}</svg>`)}`;
const eye = (color: string) =>
  `<path fill="${color}" d="M12 5C6.6 5 2.8 9.2 1.5 12c1.3 2.8 5.1 7 10.5 7s9.2-4.2 10.5-7C21.2 9.2 17.4 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/>`;
export const trackingIcons = {
  on: svg(eye('#1a73e8')),
  off: svg(`${eye('#80868b')}<path stroke="#80868b" stroke-width="2" stroke-linecap="round" d="M4 3l16 18"/>`),
  warn: svg(`${eye('#e37400')}<circle cx="19" cy="5" r="4" fill="#e37400"/><path stroke="#fff" stroke-width="1.6" stroke-linecap="round" d="M19 3v2.4M19 7.2v.1"/>`),
};

type ButtonDescriptor = ComposeButtonDescriptor | null | undefined;
/** Kefir's event shape (we only ever emit values). */
type DescriptorEvent = { type: 'value'; value: ButtonDescriptor } | { type: 'error'; value: unknown } | { type: 'end'; value: void };

/**
 * addButton also takes a stream of descriptors, to redraw the button. InboxSDK casts anything with
 * onAny/offAny (Kefir's shape) to its own stream, so this small one avoids bundling Kefir again.
 */
export interface DescriptorStream {
  onAny(listener: (event: DescriptorEvent) => void): unknown;
  offAny(listener: (event: DescriptorEvent) => void): unknown;
}

export function createDescriptorStream(initial: ButtonDescriptor) {
  let current = initial;
  const listeners = new Set<(event: DescriptorEvent) => void>();
  const stream: DescriptorStream = {
    onAny(listener) {
      listeners.add(listener);
      listener({ type: 'value', value: current });
      return stream;
    },
    offAny(listener) {
      listeners.delete(listener);
      return stream;
    },
  };
  return {
    stream,
    set(next: ButtonDescriptor) {
      current = next;
      for (const listener of [...listeners]) listener({ type: 'value', value: next });
    },
  };
}
