// Gmail: load InboxSDK, add the CRM panel, frame the sidebar page (sidebar.html, an extension page)
// in it and pass it Gmail's open thread (sidebar-frame/), start email tracking (compose toggle, the
// rep's own views, sent-list labels: gmail/), and report what worked to the background for the
// popup's self-test. No React and no CRM records here: the sidebar renders in the extension's
// origin, where Gmail's scripts cannot read it, and reports "sidebar mounted" itself; tracking gets
// only its own answers (per-thread states, the registered body) through checked messages.
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { integrateGmail, loadInboxSdk, placeholderAppId, type GmailIntegration } from '../gmail/inboxsdk.ts';
import { isTabMessage, type GmailReport } from '../messages.ts';
import { createOriginalReader } from '../gmail/original-message.ts';
import { createTrackingClient } from '../gmail/tracking-client.ts';
import { sendToBackground } from '../send.ts';
import { originOf } from '../sidebar-frame/bridge-messages.ts';
import { createFrameBridge, createSidebarIframe } from '../sidebar-frame/frame-bridge.ts';

// The panel's icon, inline: a chrome-extension:// URL would need web_accessible_resources.
const iconUrl = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#1a73e8"/><path d="M5 8l7 5 7-5v9H5z" fill="#fff"/><path d="M5 7h14l-7 5z" fill="#d2e3fc"/></svg>',
)}`;

const report = (r: GmailReport) => void sendToBackground({ type: 'crm:report', report: r }).catch(() => undefined);
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_end',
  async main(ctx) {
    // load() waits for Gmail's page as InboxSDK knows it; if that never comes, say so in the self-test.
    const slow = setTimeout(() => report({ hookAttached: false, error: 'InboxSDK has not attached to Gmail after 30 s; Gmail may have changed its page' }), 30_000);
    let gmail: GmailIntegration;
    try {
      gmail = integrateGmail(await loadInboxSdk(import.meta.env.WXT_INBOXSDK_APP_ID || placeholderAppId), {
        onError: (err) => report({ error: `Reading Gmail failed: ${describe(err)}` }),
        // Each message's RFC 822 Message-ID, To/Cc and bulk headers, from Gmail's "Show original" (same origin).
        // Gmail's per-account key, which InboxSDK's page script puts on <head> (as InboxSDK reads it itself).
        readOriginal: createOriginalReader({ fetch: globalThis.fetch.bind(globalThis), location: window.location, getIk: () => document.head.getAttribute('data-inboxsdk-ik-value') }),
      });
    } catch (err) {
      report({ hookAttached: false, error: `InboxSDK did not load: ${describe(err)}` });
      return;
    } finally {
      clearTimeout(slow);
    }
    report({ hookAttached: true, mailbox: gmail.mailbox });
    // Tracking is beside the sidebar, not in its way: if it cannot start, the sidebar still does.
    let tracking = { sessionChanged() {} };
    try {
      tracking = gmail.startTracking(createTrackingClient(sendToBackground), (err) => report({ error: `Email tracking: ${describe(err)}` }));
    } catch (err) {
      report({ error: `Email tracking did not start: ${describe(err)}` });
    }

    const el = document.createElement('div');
    el.style.height = '100%';
    const iframe = createSidebarIframe(document, browser.runtime.getURL('/sidebar.html'));
    el.append(iframe);
    const bridge = createFrameBridge({
      host: gmail.host,
      window,
      frame: () => iframe.contentWindow,
      frameOrigin: originOf(browser.runtime.getURL('/')),
      frameShown: () => iframe.isConnected,
      onNoAnswer: () => report({ sidebarMounted: false, error: 'The sidebar page did not start in Gmail’s panel within 20 s' }),
    });
    // The background tells Gmail tabs when the rep signs in; the sidebar page waits for that.
    const onTabMessage = (message: unknown) => {
      if (!isTabMessage(message)) return;
      bridge.sessionChanged(message.signedIn);
      tracking.sessionChanged();
    };
    browser.runtime.onMessage.addListener(onTabMessage);

    try {
      // "Sidebar mounted" comes from the sidebar page once React has rendered.
      const added = await gmail.addPanel(el, iconUrl, () => report({ sidebarMounted: false }));
      if (!added) report({ sidebarMounted: false, error: 'Gmail did not accept the side panel' });
    } catch (err) {
      report({ sidebarMounted: false, error: `The side panel could not be added: ${describe(err)}` });
    }

    // The extension was updated or reloaded under this tab: leave Gmail as it was.
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onTabMessage);
      bridge.destroy();
      gmail.destroy();
    });
  },
});
