// sidebar.html, the page framed in Gmail's side panel: ui/sidebar with the bridge host (Gmail's
// thread, from the content script), the relay API and the relay store (the background worker
// holds the token and storage.local, one path for every context), and the self-test report.
import { mountSidebar } from '../../ui/sidebar/mount.tsx';
import type { GmailReport, SendToBackground } from '../messages.ts';
import { createRelayApi, createRelayStore } from '../relay-api.ts';
import { createBridgeHost, type PageWindow, type ParentWindow } from './bridge-host.ts';

export interface SidebarPageDeps {
  /** The page's window; `window.parent` is Gmail's when framed. */
  window: PageWindow & { parent: ParentWindow };
  /** Where the sidebar goes (#root). */
  root: HTMLElement;
  send: SendToBackground;
  /** ui/sidebar's mountSidebar; replaceable in tests. */
  mount?: typeof mountSidebar;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Calls `then` once React has put something in `root` (its first commit); returns the function that stops waiting. */
export function whenRendered(root: HTMLElement, then: () => void): () => void {
  const rendered = () => [...root.children].some((child) => child.tagName !== 'STYLE' && child.childElementCount > 0);
  if (rendered()) {
    then();
    return () => {};
  }
  const observer = new MutationObserver(() => {
    if (!rendered()) return;
    observer.disconnect();
    then();
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

/** Starts the sidebar page; returns the function that takes it down. */
export function startSidebarPage({ window: win, root, send, mount = mountSidebar }: SidebarPageDeps): () => void {
  // Opened on its own (not in Gmail's panel) it still renders, but says nothing to the self-test.
  const framed = win.parent !== (win as unknown);
  const report = (r: GmailReport) => {
    if (framed) void send({ type: 'crm:report', report: r }).catch(() => undefined);
  };
  const host = createBridgeHost({ self: win, parent: win.parent });
  const stopWaiting = whenRendered(root, () => report({ sidebarMounted: true }));
  let unmount: () => void;
  try {
    unmount = mount(root, {
      host,
      api: createRelayApi({ send }),
      store: createRelayStore(send),
      onSignIn: async () => {
        const signedIn = host.nextSignIn();
        await send({ type: 'crm:open-sign-in' }).catch(() => {
          host.showNotification('Sign in from the Inbox CRM button in Chrome’s toolbar');
        });
        return signedIn;
      },
    });
  } catch (err) {
    stopWaiting();
    host.destroy();
    report({ sidebarMounted: false, error: `The sidebar did not start: ${describe(err)}` });
    throw err;
  }
  return () => {
    stopWaiting();
    unmount();
    host.destroy();
  };
}
