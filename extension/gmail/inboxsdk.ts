// Loading InboxSDK and adding the sidebar panel: the InboxSDK calls the content script makes
// besides the host adapter (gmail-host.ts). Nothing outside extension/gmail/ touches the SDK.
import * as InboxSDK from '@inboxsdk/core';
import { createGmailHost, type GmailHost, type GmailHostOptions } from './gmail-host.ts';

/**
 * Stands in until you register an app id at https://www.inboxsdk.com/register and build with
 * WXT_INBOXSDK_APP_ID=sdk_<name>_<10 hex>. InboxSDK still loads with it, but shows a red
 * "Invalid AppId" developer banner in Gmail as a reminder.
 */
export const placeholderAppId = 'sdk_REGISTER-ME_0000000000';

/** Resolves once Gmail's page is ready (it never does outside https://mail.google.com). */
export function loadInboxSdk(appId: string) {
  return InboxSDK.load(2, appId, {
    appName: 'Inbox CRM',
    // No telemetry to api.inboxsdk.com: the rep's mailbox is not ours to report on.
    eventTracking: false,
    globalErrorLogging: false,
  });
}

export interface GmailIntegration {
  host: GmailHost;
  mailbox: string;
  /** Puts `el` in Gmail's right-hand side panel; resolves false when Gmail has no room for it. */
  addPanel(el: HTMLElement, iconUrl: string, onGone: () => void): Promise<boolean>;
  destroy(): void;
}

export function integrateGmail(sdk: InboxSDK.InboxSDK, options: GmailHostOptions = {}): GmailIntegration {
  // Passing the real SDK here is what checks it against the slice of it gmail-host.ts relies on.
  const host = createGmailHost(sdk, options);
  let panel: { remove(): void } | null = null;
  return {
    host,
    mailbox: sdk.User.getEmailAddress(),
    async addPanel(el, iconUrl, onGone) {
      const view = await sdk.Global.addSidebarContentPanel({ el, title: 'Inbox CRM', iconUrl, id: 'inbox-crm' });
      if (!view) return false;
      view.on('destroy', onGone);
      panel = view;
      return true;
    },
    destroy() {
      panel?.remove();
      host.destroy();
    },
  };
}
