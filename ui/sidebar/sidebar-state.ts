// The sidebar's state and what the components read from it (the view), without behaviour: the
// view is derived from the state alone, so the same state always draws the same sidebar.
import type { ApiError } from '../api-client/api-error.ts';
import type { EmailLogResult, Pipeline, ThreadContext, TrackedMessageSummary } from '../api-client/api-types.ts';
import type { CachedContext } from './cache.ts';
import { applyPending, ownTempIds } from './changes.ts';
import type { InboxThread } from './host.ts';
import { decideLogging, type LogDecision, type LoggingSettings } from './logging.ts';
import type { OutboxItem } from './outbox.ts';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
  /** The change can still be taken back (for a few seconds): the notice shows Undo. */
  undoable?: boolean;
}

export interface LoggedRecord {
  at: string;
  result: EmailLogResult;
}

export interface ThreadLogging {
  off: boolean;
  logged: Record<string, LoggedRecord>;
}

export type Connection = 'online' | 'offline' | 'signed-out';

export interface SidebarState {
  thread: InboxThread | null;
  /** The thread's participants outside the rep's organization: what the context is asked for. */
  emails: string[];
  base: CachedContext | null;
  source: 'cache' | 'server' | null;
  loading: boolean;
  loadError: ApiError | null;
  connection: Connection;
  pending: OutboxItem[];
  notices: Notice[];
  pipelines: Pipeline[];
  logging: ThreadLogging;
  settings: LoggingSettings | null;
  /** Address of a contact just created here, so its card can take focus. */
  focusContact: string | null;
  /** The deal the rep last attached a note or task to on this thread (remembered per thread). */
  dealChoice: string | null;
  /** Sections the rep folded away (remembered across threads and sessions). */
  folded: string[];
}

export type Phase = 'idle' | 'empty' | 'loading' | 'ready' | 'signed-out' | 'offline' | 'error';

export interface SidebarView {
  phase: Phase;
  /** The last known context with pending changes applied on top. */
  context: ThreadContext | null;
  /** Ids of records shown but not yet confirmed (new ones, or ones with a pending change). */
  pendingIds: ReadonlySet<string>;
  decisions: LogDecision[];
  /** The thread's tracked messages (sent by the rep with tracking on), as last known. */
  tracking: TrackedMessageSummary[];
}

export const emptyLogging = (): ThreadLogging => ({ off: false, logged: {} });

export const initialSidebarState = (): SidebarState => ({
  thread: null, emails: [], base: null, source: null, loading: false, loadError: null, connection: 'online',
  pending: [], notices: [], pipelines: [], logging: emptyLogging(), settings: null, focusContact: null, dealChoice: null, folded: [],
});

/** Where the rep's logging exclusions are kept (the extension's options page writes the same key). */
export const loggingSettingsKey = (userEmail: string) => `logging-settings:${userEmail.toLowerCase()}`;
export const threadLoggingKey = (threadId: string) => `logging:${threadId}`;
export const foldedKey = 'folded-sections';
export const dealChoiceKey = (threadId: string) => `deal-choice:${threadId}`;

const noTracking: TrackedMessageSummary[] = [];

/** What the components draw: `pending` are the queued changes not yet confirmed by the API. */
export function deriveView(state: SidebarState, pending: OutboxItem[], now: Date): SidebarView {
  const env = { now, pipelines: state.pipelines };
  const context = state.base ? pending.reduce((ctx, item) => applyPending(ctx, item.change, env), state.base.context) : null;
  const pendingIds = new Set<string>();
  for (const { change } of pending) {
    ownTempIds(change).forEach((id) => pendingIds.add(id));
    if (change.kind === 'updateDeal') pendingIds.add(change.dealId);
  }
  const decisions =
    state.thread && context && state.settings
      ? decideLogging({ thread: state.thread, knownEmails: context.contacts.map((c) => c.email), settings: state.settings, threadOff: state.logging.off })
      : [];
  let phase: Phase;
  if (!state.thread) phase = 'idle';
  else if (state.emails.length === 0) phase = 'empty';
  else if (state.connection === 'signed-out') phase = 'signed-out';
  else if (context) phase = 'ready';
  else if (state.loadError?.code === 'OFFLINE') phase = 'offline';
  else if (state.loadError && !state.loading) phase = 'error';
  else phase = 'loading';
  return { phase, context, pendingIds, decisions, tracking: state.base?.context.tracking ?? noTracking };
}
