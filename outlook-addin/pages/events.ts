/// <reference types="office-js" />
// launchevent.js: the functions the manifest names, registered with Office.actions.associate. Loaded
// by launchevent.html (Smart Alerts OnMessageSend on the web, new Outlook, Mac), by commands.html
// (the compose command), and alone by classic Outlook on Windows' JavaScript-only runtime, where
// Office.onReady does not run and there is no page address: the API puts its public address into
// this file as it serves it (api/modules/outlook/outlook.routes.ts, PUBLIC_URL_SLOT).
import { outlookFunctions } from '../../core/outlook/addin.ts';
import { createTrackingApi } from '../../ui/api-client/tracking-api.ts';
import { addinLocalStorage } from '../office/addin-storage.ts';
import type { OfficeApi } from '../office/office-api.ts';
import { apiBaseFrom } from '../office/office-ready.ts';
import { handleMessageSend } from '../office/send-handler.ts';
import { toggleTracking } from '../office/toggle-command.ts';

const served = '__INBOX_CRM_PUBLIC_URL__';

function baseUrl(): string {
  if (/^https?:\/\//.test(served)) return served;
  return apiBaseFrom(globalThis.location.href);
}

const office = () => Office as unknown as OfficeApi;
const store = () => addinLocalStorage(office());

// A FunctionFile must initialize Office.js (Microsoft Learn, "FunctionFile element"); the handlers
// themselves are called by Office once it is ready, so there is nothing to wait for here.
try {
  void Office.onReady?.();
} catch {
  // The JavaScript-only runtime of classic Outlook on Windows may have no onReady: associate suffices there.
}

function onMessageSendHandler(event: Office.MailboxEvent) {
  void handleMessageSend(event, { office: office(), store: store(), baseUrl: baseUrl() });
}

function toggleTrackingCommand(event: Office.AddinCommands.Event) {
  void toggleTracking(event, {
    office: office(),
    store: store(),
    trackByDefault: async (token) => (await createTrackingApi({ baseUrl: baseUrl(), getToken: () => token, credentials: 'omit', timeoutMs: 2000 }).trackingSettings()).trackByDefault,
  });
}

Office.actions.associate(outlookFunctions.onMessageSend, onMessageSendHandler);
Office.actions.associate(outlookFunctions.toggleTracking, toggleTrackingCommand);
// Clients from before Office.actions.associate find a command's function by its global name.
Object.assign(globalThis, { [outlookFunctions.onMessageSend]: onMessageSendHandler, [outlookFunctions.toggleTracking]: toggleTrackingCommand });
