// Loading InboxSDK, adding the sidebar panel and starting the tracking features: the InboxSDK
// calls the content script makes besides the host adapter (gmail-host.ts). Nothing outside
// extension/gmail/ touches the SDK.
import * as InboxSDK from '@inboxsdk/core';
import { startComposeTracking } from './compose-tracking.ts';
import { createGmailHost, type GmailHost, type GmailHostOptions } from './gmail-host.ts';
import { startSenderViews } from './sender-views.ts';
import { startSentLabels } from './sent-labels.ts';
import type { TrackingClient } from './tracking-client.ts';

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
  /** Compose tracking, the rep's own views, the sent list's labels (one file each). */
  startTracking(client: TrackingClient, onError?: (error: unknown) => void): { sessionChanged(): void };
  destroy(): void;
}

export function integrateGmail(sdk: InboxSDK.InboxSDK, options: GmailHostOptions = {}): GmailIntegration {
  // Passing the real SDK here is what checks it against the slice of it gmail-host.ts relies on.
  const host = createGmailHost(sdk, options);
  let panel: { remove(): void } | null = null;
  const stops: (() => void)[] = [];
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
    startTracking(client, onError = options.onError) {
      // The real SDK passed here is what checks it against each feature's slice of it.
      const compose = startComposeTracking(sdk, { client, onError });
      const labels = startSentLabels(host, { client, onError });
      stops.push(compose.stop, labels.stop, startSenderViews(sdk, { client, onError }));
      return {
        sessionChanged() {
          compose.refreshAccount();
          labels.clear();
        },
      };
    },
    destroy() {
      for (const stop of stops.splice(0)) stop();
      panel?.remove();
      host.destroy();
    },
  };
}
