// What the parts of the sidebar model share (context-loading.ts, change-sending.ts, email-logging.ts):
// the state, the dependencies, and the steps of the other parts they call. The steps cross: loading a
// context queues what should be logged, logging sends, sending refreshes the context.
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import type { KeyValueStore } from './cache.ts';
import type { InboxHost } from './host.ts';
import type { Outbox } from './outbox.ts';
import type { LoggedRecord, Notice, SidebarState, SidebarView } from './sidebar-state.ts';

export interface ModelCore {
  readonly host: InboxHost;
  readonly api: SidebarApi;
  /** Never throws: a failing local store falls back to memory (cache.ts withMemoryFallback). */
  readonly store: KeyValueStore;
  readonly outbox: Outbox;
  readonly now: () => Date;
  state(): SidebarState;
  set(patch: Partial<SidebarState>): void;
  view(): SidebarView;
  stopped(): boolean;
  /** Loading: asks the API for the open thread's context again. */
  refresh(): Promise<void>;
  /** Sending: sends the queued changes. */
  flush(): Promise<void>;
  scheduleRetry(): void;
  notify(tone: Notice['tone'], text: string): void;
  /** Logging: queues the open thread's messages that should be logged. */
  syncLogging(): Promise<void>;
  recordLogged(threadId: string, messageId: string, record: LoggedRecord): Promise<void>;
}

/** Local storage failing (quota, private mode) must not break the sidebar: it only loses the cache. */
export const tolerant = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
