/// <reference types="office-js" />
// Where the add-in keeps its session and its notes to itself, in the add-in origin's own storage.
//
// The session token lives in localStorage, never in a cookie: Outlook on the web frames the pane on
// another site, where cookies are third-party (blocked by Safari, Outlook on Mac's WKWebView and
// Chrome with third-party cookies off). Chromium partitions framed storage by the top site, so keys
// carry Office.context.partitionKey (undefined where there is no partitioning, e.g. classic Windows).
// The pane and the on-send page (web, new Outlook, Mac) share the origin and the partition, so the
// send check finds the session the pane signed in with. Classic Outlook on Windows runs the send
// check in a JavaScript-only runtime without localStorage; there the compose pane hands the session
// over in the item's session data (composeSessionKeys.session).
//
// Notes (what the last send check said, the last error) go to localStorage and to the mailbox's
// roaming settings (not secrets: they follow the rep to any Outlook, and reach the pane from a runtime
// without localStorage).
import type { Session } from '../../ui/api-client/api-types.ts';
import type { OfficeApi } from './office-api.ts';

export interface TextStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** localStorage under this partition's prefix; null where there is none (a JavaScript-only runtime, storage blocked). */
export function addinLocalStorage(office: Pick<OfficeApi, 'context'> | null, storage: Storage | undefined = globalThis.localStorage): TextStore | null {
  try {
    if (!storage) return null;
    const probe = '__inbox-crm-probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
  } catch {
    return null;
  }
  const prefix = `inbox-crm:${office?.context.partitionKey ?? ''}:`;
  return {
    get: (key) => storage.getItem(prefix + key),
    set: (key, value) => storage.setItem(prefix + key, value),
    remove: (key) => storage.removeItem(prefix + key),
  };
}

export const memoryTextStore = (): TextStore => {
  const data = new Map<string, string>();
  return { get: (k) => data.get(k) ?? null, set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) };
};

const SESSION_KEY = 'session';

export function readSession(store: TextStore | null): Session | null {
  try {
    const value = JSON.parse(store?.get(SESSION_KEY) ?? 'null') as Session | null;
    return value && typeof value.token === 'string' && typeof value.user?.email === 'string' ? value : null;
  } catch {
    return null;
  }
}

export const saveSession = (store: TextStore, session: Session) => store.set(SESSION_KEY, JSON.stringify(session));
export const clearSession = (store: TextStore) => store.remove(SESSION_KEY);

/** A note for the rep: a send that went out untracked and why, or an error the pane ran into. */
export interface AddinNote {
  text: string;
  source: 'send' | 'pane' | 'api' | 'office';
  /** ISO 8601. */
  at: string;
  /** A send note: the email's subject, so the rep knows which one (absent when it could not be read). */
  subject?: string;
}

const NOTE_KEYS = { send: 'last-send-note', error: 'last-error' } as const;
type NoteKind = keyof typeof NOTE_KEYS;

function parseNote(raw: unknown): AddinNote | null {
  try {
    const note = (typeof raw === 'string' ? JSON.parse(raw) : raw) as AddinNote | null;
    return note && typeof note.text === 'string' && typeof note.at === 'string' ? note : null;
  } catch {
    return null;
  }
}

/** Keeps a note where the pane will find it: localStorage if any, and the mailbox's roaming settings. */
export async function recordNote(kind: NoteKind, note: AddinNote, store: TextStore | null, office: Pick<OfficeApi, 'context'> | null): Promise<void> {
  const key = NOTE_KEYS[kind];
  try {
    store?.set(key, JSON.stringify(note));
  } catch {
    // A full or blocked storage: the roaming copy may still make it.
  }
  const roaming = office?.context.roamingSettings;
  if (!roaming) return;
  try {
    roaming.set(`inbox-crm.${key}`, JSON.stringify(note));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      roaming.saveAsync(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch {
    // Roaming settings are a convenience here; the local copy is what the pane reads first.
  }
}

/** The newer of the local and the roaming note. */
export function readNote(kind: NoteKind, store: TextStore | null, office: Pick<OfficeApi, 'context'> | null): AddinNote | null {
  const key = NOTE_KEYS[kind];
  const local = parseNote(store?.get(key) ?? null);
  let roamingNote: AddinNote | null = null;
  try {
    roamingNote = parseNote(office?.context.roamingSettings?.get(`inbox-crm.${key}`) ?? null);
  } catch {
    roamingNote = null;
  }
  if (!local) return roamingNote;
  if (!roamingNote) return local;
  return local.at >= roamingNote.at ? local : roamingNote;
}

/** The storage key a note is kept under, so the pane can listen for `storage` events. */
export const noteStorageSuffix = (kind: NoteKind) => NOTE_KEYS[kind];
