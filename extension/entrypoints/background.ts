// The service worker: InboxSDK's pageWorld injection, and the CRM session and API relay
// (background/crm-background.ts), the tracking calls Gmail compose makes, and first-open
// notifications on a minute alarm. It restarts often; everything it needs is in storage.local.
import '@inboxsdk/core/background.js';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCrmBackground } from '../background/crm-background.ts';
import type { TabMessage } from '../messages.ts';

export default defineBackground(() => {
  // Content scripts run inside Gmail's page; they must never read the session token.
  let trustedOnly = false;
  browser.storage.local
    .setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })
    .then(() => void (trustedOnly = true))
    .catch((err: unknown) => console.warn('Inbox CRM: storage.local stays readable by content scripts', err));

  const crm = createCrmBackground({
    storage: browser.storage.local,
    fetch: (input, init) => fetch(input, init),
    extensionOrigin: browser.runtime.getURL('/'),
    defaultApiUrl: import.meta.env.WXT_API_URL,
    hasPermission: (pattern) => browser.permissions.contains({ origins: [pattern] }),
    storageTrustedOnly: () => trustedOnly,
    async openSignIn() {
      try {
        await browser.action.openPopup(); // Chrome 127+, when a window of this profile has focus
        return 'popup';
      } catch {
        await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
        return 'tab';
      }
    },
    async notifyTabs(message: TabMessage) {
      // host_permissions for mail.google.com let the url filter work without the "tabs" permission.
      const tabs = await browser.tabs.query({ url: 'https://mail.google.com/*' });
      await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, message).catch(() => undefined))));
    },
    alarms: browser.alarms,
    notifications: browser.notifications,
    openTab: (url) => browser.tabs.create({ url }),
    iconUrl: browser.runtime.getURL('/icon/128.png'),
  });

  // Listeners are added synchronously at the top level: an event that wakes the worker (the alarm,
  // a click on a notification) is delivered only to listeners present when it starts.
  browser.runtime.onMessage.addListener(crm.onMessage);
  browser.alarms.onAlarm.addListener((alarm) => void crm.onAlarm(alarm).catch((err: unknown) => console.warn('Inbox CRM: minute tick failed', err)));
  browser.notifications.onClicked.addListener((id) => void crm.onNotificationClicked(id).catch((err: unknown) => console.warn('Inbox CRM: notification click failed', err)));
  void crm.resume().catch((err: unknown) => console.warn('Inbox CRM: could not schedule polling for opens', err));
});
