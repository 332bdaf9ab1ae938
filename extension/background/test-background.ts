// The background worker as the tests drive it: createCrmBackground over fakeBrowser (storage,
// alarms, notifications, tabs) and the fake API, with messages delivered the way Chrome delivers
// them, to every listener with the sender, so the allow-lists are exercised as in the browser.
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AnswerTo, CrmMessage, SendToBackground } from '../messages.ts';
import { createCrmBackground, type SenderLike } from './crm-background.ts';
import { FakeApi } from './fake-api.ts';

export const extensionOrigin = 'chrome-extension://aemccbpimgdcpgajbnomcckikdemnmgc/';
export const senders = {
  popup: { url: `${extensionOrigin}popup.html` },
  options: { url: `${extensionOrigin}options.html` },
  /** The Gmail content script: a Gmail page in a tab. */
  gmailTab: { url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 } },
  /** sidebar.html framed in Gmail's panel: an extension page inside a Gmail tab. */
  sidebarPage: { url: `${extensionOrigin}sidebar.html`, tab: { id: 7 } },
} satisfies Record<string, SenderLike>;

/** Delivers a message to every listener, with the sender; resolves with the answer or 'unanswered'. */
export async function deliver(message: unknown, sender: SenderLike): Promise<unknown> {
  let answer: (value: unknown) => void = () => {};
  const answered = new Promise((resolve) => (answer = resolve));
  const results = await fakeBrowser.runtime.onMessage.trigger(message, sender as Browser.runtime.MessageSender, answer);
  return results.some((r: unknown) => r === true) ? answered : 'unanswered';
}

export const from =
  (sender: SenderLike): SendToBackground =>
  <M extends CrmMessage>(message: M) =>
    deliver(message, sender) as Promise<AnswerTo<M>>;

export function startTestBackground(options: { clock?: () => Date; registerTimeoutMs?: number } = {}) {
  fakeBrowser.reset();
  const api = new FakeApi();
  const crm = createCrmBackground({
    storage: fakeBrowser.storage.local,
    fetch: api.fetch,
    extensionOrigin,
    hasPermission: async () => true,
    openSignIn: async () => 'popup',
    notifyTabs: async () => undefined,
    storageTrustedOnly: () => true,
    alarms: fakeBrowser.alarms,
    notifications: fakeBrowser.notifications,
    openTab: (url) => fakeBrowser.tabs.create({ url }),
    iconUrl: `${extensionOrigin}icon/128.png`,
    now: options.clock,
    timeoutMs: 200,
    registerTimeoutMs: options.registerTimeoutMs ?? 100,
  });
  fakeBrowser.runtime.onMessage.addListener(crm.onMessage);
  const signIn = () => from(senders.popup)({ type: 'crm:sign-in', email: 'rep1@demo.test', password: 'demo-password' });
  const signOut = () => from(senders.popup)({ type: 'crm:sign-out' });
  return { api, crm, signIn, signOut, fromGmail: from(senders.gmailTab), fromSidebar: from(senders.sidebarPage), fromOptions: from(senders.options) };
}
