// Feature: the rep's own views of their sent mail are not opens.
//
// When the rep opens a thread, Gmail shows their own sent messages, and Gmail's image proxy fetches
// those messages' pixels: to the tracking endpoint that looks like the recipient opening it. So the
// moment a thread view (or a message in it) appears, the ids of the loaded messages the rep sent go
// to the API (POST /tracking/sender-views), which classes pixel hits for them in the next seconds
// as sender_self. Cookies cannot do this: the proxy fetches without the rep's cookies.
//
// Timing: InboxSDK announces the thread view when Gmail draws it, the messages right after; the
// proxy fetch starts when the message body renders. The report is one message to the worker and
// one request, so it usually lands first; the API also accepts hits from shortly before a report
// (its window is the API's business). Messages are matched to the rep by sender address, as the
// sidebar's direction is (gmail-host.ts): a send-as alias is not recognised.
//
// Check by hand: open a thread with a tracked message you sent; the API's hit list shows the
// proxy's fetch as sender_self, and the sidebar's open count does not move.
import type { Contact, User } from '@inboxsdk/core';
import type { TrackingClient } from './tracking-client.ts';

export interface SenderViewMessage {
  isLoaded(): boolean;
  getSender(): Contact;
  getMessageIDAsync(): Promise<string>;
}

export interface SenderViewSdk {
  Conversations: {
    registerThreadViewHandler(handler: (threadView: { getMessageViewsAll(): SenderViewMessage[] }) => void): () => void;
    registerMessageViewHandler(handler: (messageView: SenderViewMessage) => void): () => void;
  };
  User: Pick<User, 'getEmailAddress'>;
}

export interface SenderViewOptions {
  client: TrackingClient;
  onError?(error: unknown): void;
  /** The same message reported again within this long is one view (thread and message handlers both see it). */
  dedupeMs?: number;
  now?: () => number;
}

export function startSenderViews(sdk: SenderViewSdk, options: SenderViewOptions): () => void {
  const dedupeMs = options.dedupeMs ?? 10_000;
  const now = options.now ?? (() => Date.now());
  const onError = (err: unknown) => options.onError?.(err);
  const reportedAt = new Map<string, number>();
  let pending = new Set<string>();
  let flushQueued = false;

  const me = () => sdk.User.getEmailAddress().trim().toLowerCase();
  const isMine = (view: SenderViewMessage) => view.isLoaded() && view.getSender().emailAddress.trim().toLowerCase() === me();

  function flush() {
    flushQueued = false;
    const ids = [...pending];
    pending = new Set();
    for (let i = 0; i < ids.length; i += 100) {
      void options.client.senderViews(ids.slice(i, i + 100)).then((answer) => {
        // Signed out or offline: nothing to do (no session, no tracking to protect).
        if (!answer.ok && answer.code !== 'UNAUTHENTICATED' && answer.code !== 'OFFLINE') onError(new Error(`Reporting your own view failed: ${answer.message}`));
      });
    }
  }

  /** Queues the rep's own loaded messages; everything found in this turn goes out as one request. */
  async function collect(views: SenderViewMessage[]) {
    const mine = views.filter((v) => {
      try {
        return isMine(v);
      } catch {
        return false; // not loaded after all
      }
    });
    if (!mine.length) return;
    const ids = await Promise.all(mine.map((v) => v.getMessageIDAsync()));
    const at = now();
    for (const id of ids) {
      const key = `gmail:${id}`;
      const last = reportedAt.get(key);
      if (last !== undefined && at - last < dedupeMs) continue;
      reportedAt.set(key, at);
      pending.add(key);
    }
    if (pending.size && !flushQueued) {
      flushQueued = true;
      setTimeout(flush, 0); // after this turn's other handlers: one request per thread opened
    }
    if (reportedAt.size > 1000) for (const [key, t] of reportedAt) if (at - t >= dedupeMs) reportedAt.delete(key);
  }

  const stops = [
    sdk.Conversations.registerThreadViewHandler((threadView) => void collect(threadView.getMessageViewsAll()).catch(onError)),
    // A message expanded later, or one that arrives (the rep's own reply, shown right after sending).
    sdk.Conversations.registerMessageViewHandler((messageView) => void collect([messageView]).catch(onError)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
