/// <reference types="office-js" />
// The rep's tracking choice for one email, kept in the compose item's session data (Mailbox 1.11) so
// the compose pane or command that set it and the on-send handler that acts on it (a separate
// runtime) agree. Nothing set: the rep's default (trackByDefault) decides.
import { composeSessionKeys } from '../../core/outlook/addin.ts';
import { settle, supports, type OfficeApi, type OfficeComposeItem } from './office-api.ts';

export interface ComposeChoice {
  tracking: 'on' | 'off' | null;
  optOutLine: boolean;
  /** Classic Outlook on Windows only: the session token the compose pane handed to the send check. */
  sessionToken: string | null;
}

export const noChoice: ComposeChoice = { tracking: null, optOutLine: false, sessionToken: null };

/** Whether this Outlook keeps per-item session data (Mailbox 1.11). */
export const keepsChoice = (office: OfficeApi, item: OfficeComposeItem) => supports(office, '1.11') && !!item.sessionData;

async function get(office: OfficeApi, item: OfficeComposeItem, key: string): Promise<string | null> {
  const data = item.sessionData!;
  try {
    const value = await settle<string>(office, 'sessionData.getAsync', (cb) => data.getAsync(key, cb), 2000);
    return value || null;
  } catch {
    return null; // not set (Outlook answers a failure for an unknown key)
  }
}

export async function readComposeChoice(office: OfficeApi, item: OfficeComposeItem): Promise<ComposeChoice> {
  if (!keepsChoice(office, item)) return noChoice;
  const [tracking, optOut, session] = await Promise.all([get(office, item, composeSessionKeys.tracking), get(office, item, composeSessionKeys.optOutLine), get(office, item, composeSessionKeys.session)]);
  return { tracking: tracking === 'on' || tracking === 'off' ? tracking : null, optOutLine: optOut === 'on', sessionToken: session };
}

/** Stores what changed; false where this Outlook cannot keep it (the send check then follows the rep's default). */
export async function writeComposeChoice(office: OfficeApi, item: OfficeComposeItem, change: Partial<ComposeChoice>): Promise<boolean> {
  if (!keepsChoice(office, item)) return false;
  const data = item.sessionData!;
  const set = (key: string, value: string | null) =>
    value === null
      ? settle<void>(office, 'sessionData.removeAsync', (cb) => data.removeAsync(key, cb), 2000).catch(() => undefined)
      : settle<void>(office, 'sessionData.setAsync', (cb) => data.setAsync(key, value, cb), 2000);
  const writes: Promise<unknown>[] = [];
  if (change.tracking !== undefined) writes.push(set(composeSessionKeys.tracking, change.tracking));
  if (change.optOutLine !== undefined) writes.push(set(composeSessionKeys.optOutLine, change.optOutLine ? 'on' : null));
  if (change.sessionToken !== undefined) writes.push(set(composeSessionKeys.session, change.sessionToken));
  await Promise.all(writes);
  return true;
}
