// Stand-ins for the windows on either side of the sidebar bridge: messages are delivered with the
// origin and source a browser would give them, so the bridge's checks are what is under test.
import type { InboxHost, InboxThread } from '../../ui/sidebar/host.ts';

export interface Posted<T = unknown> {
  message: T;
  targetOrigin: string;
}

/** A window that can receive 'message' events and be posted to (recording what was posted). */
export class FakeWindow<Out = unknown> {
  readonly posted: Posted<Out>[] = [];
  private listeners = new Set<(event: MessageEvent) => void>();
  /** Where posts to this window are delivered, if anywhere (see `link`). */
  deliver: ((message: Out, targetOrigin: string) => void) | null = null;

  constructor(readonly origin: string) {}

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void) {
    this.listeners.delete(listener);
  }
  get listenerCount() {
    return this.listeners.size;
  }

  postMessage(message: Out, targetOrigin: string) {
    this.posted.push({ message, targetOrigin });
    this.deliver?.(message, targetOrigin);
  }

  /** A 'message' event as the browser fires it here: sent by `source`, whose document is at `origin`. */
  receive(data: unknown, from: { origin: string; source: unknown }) {
    const event = { type: 'message', data, origin: from.origin, source: from.source } as unknown as MessageEvent;
    for (const listener of [...this.listeners]) listener(event);
  }
}

/**
 * Gmail's window and the sidebar page's window in its iframe, wired as postMessage wires them:
 * a post arrives only if targetOrigin matches the receiver's origin (or is '*').
 */
export function linkFrames(gmail: FakeWindow, page: FakeWindow) {
  gmail.deliver = (message, targetOrigin) => {
    // gmail.postMessage(...) is the page posting to its parent.
    if (targetOrigin === gmail.origin || targetOrigin === '*') gmail.receive(message, { origin: page.origin, source: page });
  };
  page.deliver = (message, targetOrigin) => {
    // page.postMessage(...) is the content script posting to iframe.contentWindow.
    if (targetOrigin === page.origin || targetOrigin === '*') page.receive(message, { origin: gmail.origin, source: gmail });
  };
}

/** The extension's origin in these tests (the fixed id from the manifest key). */
export const extensionOrigin = 'chrome-extension://aemccbpimgdcpgajbnomcckikdemnmgc';

/** Gmail as an InboxHost, driven by hand. */
export class HandHost implements InboxHost {
  listeners = new Set<(t: InboxThread | null) => void>();
  current: InboxThread | null = null;
  notifications: string[] = [];
  onThreadChange(listener: (t: InboxThread | null) => void) {
    this.listeners.add(listener);
    if (this.current) listener(this.current);
    return () => void this.listeners.delete(listener);
  }
  showNotification(text: string) {
    this.notifications.push(text);
  }
  open(thread: InboxThread | null) {
    this.current = thread;
    for (const l of this.listeners) l(thread);
  }
}
