// The messages between the Gmail content script and the sidebar page (sidebar.html) it frames in
// InboxSDK's side panel. They travel by window.postMessage:
//   content script → iframe.contentWindow.postMessage(msg, <extension origin>)
//   sidebar page   → window.parent.postMessage(msg, 'https://mail.google.com')
// Only what Gmail's page shows anyway crosses this channel: the open thread (read from Gmail's
// page), notification text (shown in Gmail's butter bar), readiness and a signed-in flag. CRM data
// and the session token never do: the page gets those from the background worker directly.
import type { InboxMessage, InboxThread, Participant } from '../../ui/sidebar/host.ts';

/** The only parent the sidebar page talks to (web_accessible_resources lets no other site frame it). */
export const gmailOrigin = 'https://mail.google.com';

/** Content script → sidebar page. */
export type ToSidebarPage =
  /** The thread open in Gmail, or null; sent on every change and again on each `ready`. */
  | { type: 'crm-frame:thread'; thread: InboxThread | null }
  /** The background's crm:session-changed, passed on (it reaches content scripts, not framed pages). */
  | { type: 'crm-frame:session-changed'; signedIn: boolean };

/** Sidebar page → content script. */
export type FromSidebarPage =
  /** The page is listening: send it the open thread. Sent again after every (re)load of the frame. */
  | { type: 'crm-frame:ready' }
  /** Show `text` in Gmail's butter bar. */
  | { type: 'crm-frame:notify'; text: string };

/** Longer notification text is cut: the butter bar is one line. */
export const maxNotificationLength = 300;

/** `chrome-extension://<id>` from runtime.getURL('/'): postMessage's targetOrigin and event.origin. */
export function originOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(url);
  if (!match) throw new Error(`Not an absolute URL: ${url}`);
  return match[0];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const isString = (value: unknown): value is string => typeof value === 'string';

const isParticipant = (value: unknown): value is Participant => isObject(value) && isString(value.name) && isString(value.email);
const isParticipants = (value: unknown): value is Participant[] => Array.isArray(value) && value.every(isParticipant);

function isInboxMessage(value: unknown): value is InboxMessage {
  if (!isObject(value)) return false;
  const { messageId, from, to, cc, subject, date, direction, snippet, bodyText, headers } = value;
  return (
    isString(messageId) &&
    isParticipant(from) &&
    isParticipants(to) &&
    isParticipants(cc) &&
    isString(subject) &&
    isString(date) &&
    (direction === 'inbound' || direction === 'outbound') &&
    (snippet === undefined || isString(snippet)) &&
    (bodyText === undefined || isString(bodyText)) &&
    (headers === undefined || (isObject(headers) && Object.values(headers).every(isString)))
  );
}

/** Checks the whole shape: the sidebar must not be handed something it would trip over. */
export function isInboxThread(value: unknown): value is InboxThread {
  if (!isObject(value)) return false;
  const { threadId, subject, participants, messages, userEmail } = value;
  return (
    isString(threadId) &&
    threadId.length > 0 &&
    isString(subject) &&
    isString(userEmail) &&
    isParticipants(participants) &&
    Array.isArray(messages) &&
    messages.every(isInboxMessage)
  );
}

export function isToSidebarPage(data: unknown): data is ToSidebarPage {
  if (!isObject(data)) return false;
  switch (data.type) {
    case 'crm-frame:thread':
      return data.thread === null || isInboxThread(data.thread);
    case 'crm-frame:session-changed':
      return typeof data.signedIn === 'boolean';
    default:
      return false;
  }
}

export function isFromSidebarPage(data: unknown): data is FromSidebarPage {
  if (!isObject(data)) return false;
  switch (data.type) {
    case 'crm-frame:ready':
      return true;
    case 'crm-frame:notify':
      return isString(data.text);
    default:
      return false;
  }
}
