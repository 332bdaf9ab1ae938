// The content script's half of the sidebar bridge: it frames sidebar.html (an extension page) in
// InboxSDK's panel and passes Gmail's open thread to it. See bridge-messages.ts for the protocol.
import type { InboxHost, InboxThread } from '../../ui/sidebar/host.ts';
import { isFromSidebarPage, maxNotificationLength, type ToSidebarPage } from './bridge-messages.ts';

/** `iframe.contentWindow`, as far as the bridge uses it. */
export interface FrameTarget {
  postMessage(message: ToSidebarPage, targetOrigin: string): void;
}

/** The window the content script runs in; the frame's messages arrive there. */
export interface ContentWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface FrameBridgeOptions {
  /** Gmail as an InboxHost (gmail/gmail-host.ts). */
  host: InboxHost;
  window: ContentWindow;
  /** The frame's window; null before it is in the document. */
  frame(): FrameTarget | null;
  /** chrome-extension://<id>: where the frame's messages must come from and ours may go. */
  frameOrigin: string;
  /** Whether the frame is in Gmail's page (an iframe outside the document does not load). */
  frameShown(): boolean;
  /** The frame was shown but never said `ready` within `readyTimeoutMs`. Called once. */
  onNoAnswer?(): void;
  readyTimeoutMs?: number;
}

export interface FrameBridge {
  /** Passes the background's session change on to the sidebar page. */
  sessionChanged(signedIn: boolean): void;
  /** Whether the sidebar page has said it is listening. */
  isReady(): boolean;
  destroy(): void;
}

export function createFrameBridge(options: FrameBridgeOptions): FrameBridge {
  const { host, frameOrigin } = options;
  let ready = false;
  let thread: InboxThread | null = null;

  function post(message: ToSidebarPage) {
    if (!ready) return; // the page asks for the thread once it listens
    try {
      options.frame()?.postMessage(message, frameOrigin);
    } catch {
      // The frame is between documents: its next `ready` brings it up to date.
    }
  }

  function onMessage(event: MessageEvent) {
    const frame = options.frame();
    if (!frame || event.source !== frame || event.origin !== frameOrigin) return;
    const message: unknown = event.data;
    if (!isFromSidebarPage(message)) return;
    if (message.type === 'crm-frame:ready') {
      ready = true;
      post({ type: 'crm-frame:thread', thread });
    } else {
      host.showNotification?.(message.text.slice(0, maxNotificationLength));
    }
  }

  options.window.addEventListener('message', onMessage);
  const stopThreads = host.onThreadChange((next) => {
    thread = next;
    post({ type: 'crm-frame:thread', thread });
  });
  const noAnswer = setTimeout(() => {
    if (!ready && options.frameShown()) options.onNoAnswer?.();
  }, options.readyTimeoutMs ?? 20_000);

  return {
    sessionChanged(signedIn) {
      post({ type: 'crm-frame:session-changed', signedIn });
    },
    isReady: () => ready,
    destroy() {
      clearTimeout(noAnswer);
      stopThreads();
      options.window.removeEventListener('message', onMessage);
    },
  };
}

/** The iframe for InboxSDK's panel: the whole panel, no border. */
export function createSidebarIframe(doc: Document, src: string): HTMLIFrameElement {
  const iframe = doc.createElement('iframe');
  iframe.src = src;
  iframe.title = 'Inbox CRM';
  iframe.style.cssText = 'display:block;width:100%;height:100%;border:0;margin:0;padding:0;';
  return iframe;
}
