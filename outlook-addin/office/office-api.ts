/// <reference types="office-js" />
// The slice of Office.js the add-in uses, picked from @types/office-js (1.0.612) so the real `Office`
// global type-checks against it where the pages pass it in, and tests drive the adapters with a fake
// written to the same types (fake-office.ts). Every Office.js call the add-in makes is in this folder;
// ui/ never sees Office.
//
// Office.js answers through callbacks with an AsyncResult: `settle` turns one into a promise with a
// deadline, so a client that never calls back (it happens) cannot hang the pane or a send.

export type OfficeReadItem = Pick<Office.MessageRead, 'itemType' | 'itemId' | 'internetMessageId' | 'conversationId' | 'subject' | 'from' | 'to' | 'cc' | 'dateTimeCreated'> & {
  body: Pick<Office.Body, 'getAsync'>;
  /** Mailbox 1.8; absent before. */
  getAllInternetHeadersAsync?: Office.MessageRead['getAllInternetHeadersAsync'];
  notificationMessages?: Pick<Office.NotificationMessages, 'replaceAsync'>;
};

export type OfficeComposeItem = Pick<Office.MessageCompose, 'itemType' | 'conversationId' | 'to' | 'cc' | 'bcc' | 'subject'> & {
  body: Pick<Office.Body, 'getAsync' | 'setAsync' | 'getTypeAsync'>;
  /** Mailbox 1.11; absent before. */
  sessionData?: Pick<Office.SessionData, 'getAsync' | 'setAsync' | 'removeAsync'>;
  notificationMessages?: Pick<Office.NotificationMessages, 'replaceAsync'>;
  addHandlerAsync?: Office.MessageCompose['addHandlerAsync'];
};

export interface OfficeMailbox {
  item: OfficeReadItem | OfficeComposeItem | null | undefined;
  userProfile: Pick<Office.UserProfile, 'emailAddress' | 'displayName'>;
  addHandlerAsync(eventType: Office.EventType, handler: (event: unknown) => void, callback?: (result: Office.AsyncResult<void>) => void): void;
  removeHandlerAsync(eventType: Office.EventType, callback?: (result: Office.AsyncResult<void>) => void): void;
}

/** What of `Office` the adapters reach: the real global satisfies it. */
export interface OfficeApi {
  context: {
    mailbox: OfficeMailbox;
    requirements: Pick<Office.RequirementSetSupport, 'isSetSupported'>;
    /** Undefined where storage is not partitioned (classic Outlook on Windows). */
    partitionKey?: string;
    platform?: Office.PlatformType;
    diagnostics?: Pick<Office.ContextInformation, 'host' | 'platform' | 'version'>;
    roamingSettings?: Pick<Office.RoamingSettings, 'get' | 'set' | 'saveAsync'>;
  };
  EventType: { ItemChanged: Office.EventType; RecipientsChanged: Office.EventType };
  AsyncResultStatus: { Succeeded: Office.AsyncResultStatus; Failed: Office.AsyncResultStatus };
  CoercionType: { Html: Office.CoercionType; Text: Office.CoercionType };
}

export class OfficeCallError extends Error {
  constructor(
    readonly call: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${call}: ${message}`);
  }
}

/**
 * Runs one callback-style Office.js call as a promise: its value on success, an OfficeCallError on
 * failure, on a throw, or when it has not called back within `timeoutMs`.
 */
export function settle<T>(office: Pick<OfficeApi, 'AsyncResultStatus'>, call: string, start: (callback: (result: Office.AsyncResult<T>) => void) => void, timeoutMs = 3000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new OfficeCallError(call, `no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      start((result) => {
        clearTimeout(timer);
        if (result.status === office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new OfficeCallError(call, result.error?.message ?? 'failed', result.error?.code));
      });
    } catch (err) {
      clearTimeout(timer);
      reject(new OfficeCallError(call, err instanceof Error ? err.message : String(err)));
    }
  });
}

/** Whether this Outlook supports a Mailbox requirement set (false when it cannot say). */
export function supports(office: OfficeApi, version: string): boolean {
  try {
    return office.context.requirements.isSetSupported('Mailbox', version);
  } catch {
    return false;
  }
}

/** A read-mode message (not a compose form, not an appointment). */
export function isReadMessage(item: OfficeMailbox['item']): item is OfficeReadItem {
  return !!item && String(item.itemType) === 'message' && typeof (item as OfficeReadItem).from === 'object' && typeof (item.to as unknown as { getAsync?: unknown }).getAsync !== 'function';
}

/** A message being composed. */
export function isComposeMessage(item: OfficeMailbox['item']): item is OfficeComposeItem {
  return !!item && String(item.itemType) === 'message' && typeof (item.to as unknown as { getAsync?: unknown }).getAsync === 'function';
}

export const describeError = (err: unknown) => (err instanceof Error ? err.message : String(err));
