// The demo inbox's InboxHost: the page calls open()/close() when the user picks a thread in the
// list, and the sidebar hears about it exactly as it would from Gmail or Outlook. It also does what
// a host adapter does around tracked mail: it tells the API when the rep looks at their own tracked
// sent messages, and tells the sidebar when compose reported one as sent.
import type { InboxHost, InboxThread, TrackedMessageSentEvent } from '../sidebar/host.ts';

export interface DemoHost extends InboxHost {
  open(thread: InboxThread): void;
  close(): void;
  readonly current: InboxThread | null;
  /**
   * The rep is about to see these of their own tracked sent messages (host message ids). Reports it
   * to the API first and resolves when it answered, failed or took longer than `senderViewTimeoutMs`,
   * so the page can show the bodies after the report. Why the report is needed at all: Gmail loads a
   * message's images through its image proxy, which fetches the pixel without the sender's cookies
   * or address, so the tracking server cannot tell the sender's own view from the recipient's; only
   * the sender's own mailbox knows, and says so (hits within ±20 s of the report are the sender's).
   */
  viewingOwnSent(messageIds: string[]): Promise<void>;
  /** Compose reported a tracked message as sent: the sidebar asks for its summary. */
  trackedMessageSent(sent: TrackedMessageSentEvent): void;
}

export interface DemoHostOptions {
  /** Shows the sidebar's notifications (the page renders them as toasts). */
  notify?: (text: string) => void;
  /** POST /tracking/sender-views. */
  reportSenderView?: (messageIds: string[]) => Promise<void>;
  senderViewTimeoutMs?: number;
}

export function createDemoHost(options: DemoHostOptions = {}): DemoHost {
  const listeners = new Set<(thread: InboxThread | null) => void>();
  const sentListeners = new Set<(sent: TrackedMessageSentEvent) => void>();
  let current: InboxThread | null = null;
  const emit = () => {
    for (const listener of [...listeners]) listener(current);
  };
  return {
    get current() {
      return current;
    },
    onThreadChange(listener) {
      listeners.add(listener);
      // A sidebar mounted while a thread is open learns about it at once.
      if (current) listener(current);
      return () => void listeners.delete(listener);
    },
    onTrackedMessageSent(listener) {
      sentListeners.add(listener);
      return () => void sentListeners.delete(listener);
    },
    showNotification(text) {
      options.notify?.(text);
    },
    open(thread) {
      current = thread;
      emit();
    },
    close() {
      if (!current) return;
      current = null;
      emit();
    },
    async viewingOwnSent(messageIds) {
      if (!messageIds.length || !options.reportSenderView) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.senderViewTimeoutMs ?? 1000)));
      // A failed report only means the rep's own view may be counted as a machine hit of another
      // class or as an open; the mail is shown anyway.
      await Promise.race([options.reportSenderView(messageIds).catch(() => undefined), giveUp]);
      clearTimeout(timer);
    },
    trackedMessageSent(sent) {
      for (const listener of [...sentListeners]) listener(sent);
    },
  };
}
