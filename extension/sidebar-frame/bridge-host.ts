// The sidebar page's InboxHost: Gmail's open thread arrives by postMessage from the content script
// in the parent frame (frame-bridge.ts), notifications go back the same way to Gmail's butter bar.
//
// Accepted only from the parent window, with the origin https://mail.google.com. That also
// admits Gmail's own scripts (they run in that window too): they could post a made-up thread, as
// they could already make up the Gmail page InboxSDK reads the thread from. They cannot reach
// anything else: the sidebar's data and the session are in the extension's origin.
import type { InboxHost, InboxThread } from '../../ui/sidebar/host.ts';
import { gmailOrigin, isToSidebarPage, maxNotificationLength, type FromSidebarPage } from './bridge-messages.ts';

/** What the bridge needs of the page's own window (`window` in the page; a fake in tests). */
export interface PageWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** The parent frame, i.e. `window.parent`. */
export interface ParentWindow {
  postMessage(message: FromSidebarPage, targetOrigin: string): void;
}

export interface BridgeHostOptions {
  self: PageWindow;
  parent: ParentWindow;
  /** The parent's origin; https://mail.google.com. */
  parentOrigin?: string;
}

export interface BridgeHost extends InboxHost {
  showNotification(text: string): void;
  /** Settles when the background says a sign-in happened (relayed by the content script). */
  nextSignIn(): Promise<void>;
  destroy(): void;
}

export function createBridgeHost({ self, parent, parentOrigin = gmailOrigin }: BridgeHostOptions): BridgeHost {
  const listeners = new Set<(thread: InboxThread | null) => void>();
  const signInWaiters = new Set<() => void>();
  let current: InboxThread | null = null;
  // Opened on its own (a tab, not Gmail's panel) the page is its own parent: no one to tell.
  const framed = (parent as unknown) !== (self as unknown);

  const post = (message: FromSidebarPage) => {
    if (!framed) return;
    try {
      parent.postMessage(message, parentOrigin);
    } catch {
      // The parent went away (tab closing): nothing to tell.
    }
  };

  function onMessage(event: MessageEvent) {
    if (event.origin !== parentOrigin || event.source !== parent) return;
    const message: unknown = event.data;
    if (!isToSidebarPage(message)) return;
    if (message.type === 'crm-frame:thread') {
      current = message.thread;
      for (const listener of [...listeners]) listener(current);
    } else if (message.signedIn) {
      for (const resolve of [...signInWaiters]) resolve();
      signInWaiters.clear();
    }
  }

  self.addEventListener('message', onMessage);
  // Listening now: ask for the open thread (again, after a reload of this frame).
  post({ type: 'crm-frame:ready' });

  return {
    onThreadChange(listener) {
      listeners.add(listener);
      if (current) listener(current);
      return () => void listeners.delete(listener);
    },
    showNotification(text) {
      post({ type: 'crm-frame:notify', text: text.slice(0, maxNotificationLength) });
    },
    nextSignIn() {
      return new Promise<void>((resolve) => signInWaiters.add(resolve));
    },
    destroy() {
      self.removeEventListener('message', onMessage);
      listeners.clear();
      signInWaiters.clear();
    },
  };
}
