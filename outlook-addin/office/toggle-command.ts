/// <reference types="office-js" />
// The compose command "Track on/off" (ExecuteFunction, no UI): flips this email's tracking choice in
// the item's session data, where the on-send check reads it, and says the result in the compose
// form's info bar. Where the choice cannot be kept (no Mailbox 1.11) it says so instead.
import { readSession, type TextStore } from './addin-storage.ts';
import { keepsChoice, readComposeChoice, writeComposeChoice } from './compose-choice.ts';
import { describeError, isComposeMessage, supports, type OfficeApi, type OfficeComposeItem } from './office-api.ts';

export interface ToggleDeps {
  office: OfficeApi;
  store: TextStore | null;
  /** The rep's default (trackByDefault) when this email has no choice yet; null when it cannot be read. */
  trackByDefault(token: string): Promise<boolean | null>;
}

function say(item: OfficeComposeItem, text: string) {
  try {
    item.notificationMessages?.replaceAsync('inbox-crm-toggle', { type: 'informationalMessage', message: text.slice(0, 150), icon: 'Icon.16', persistent: false });
  } catch {
    // Nothing else to tell the rep with: the command has no UI.
  }
}

/** Returns the choice now in force ('on' / 'off'), or null when none could be kept. */
export async function toggleTracking(event: Pick<Office.AddinCommands.Event, 'completed'>, deps: ToggleDeps): Promise<'on' | 'off' | null> {
  const { office } = deps;
  const item = office.context.mailbox.item;
  try {
    if (!isComposeMessage(item)) return null;
    if (!keepsChoice(office, item)) {
      say(item, 'This Outlook cannot keep a choice per email (it needs Mailbox 1.11): your default applies.');
      return null;
    }
    if (!supports(office, '1.12')) say(item, 'This Outlook cannot check sends (Smart Alerts, Mailbox 1.12): email from it goes out untracked.');
    const choice = await readComposeChoice(office, item);
    const token = readSession(deps.store)?.token ?? choice.sessionToken;
    let current = choice.tracking;
    if (current === null) current = token && (await deps.trackByDefault(token).catch(() => null)) ? 'on' : 'off';
    const next = current === 'on' ? 'off' : 'on';
    await writeComposeChoice(office, item, { tracking: next });
    if (next === 'on' && !token) say(item, 'Tracking is on for this email, but you are signed out: sign in to Inbox CRM in its Outlook pane, or it goes out untracked.');
    else say(item, next === 'on' ? 'Open and click tracking is on for this email.' : 'Tracking is off for this email.');
    return next;
  } catch (err) {
    if (isComposeMessage(item)) say(item, `Tracking could not be changed: ${describeError(err)}`);
    return null;
  } finally {
    event.completed();
  }
}
