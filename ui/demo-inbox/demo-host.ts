// The demo inbox's InboxHost: the page calls open()/close() when the user picks a thread in the
// list, and the sidebar hears about it exactly as it would from Gmail or Outlook.
import type { InboxHost, InboxThread } from '../sidebar/host.ts';

export interface DemoHost extends InboxHost {
  open(thread: InboxThread): void;
  close(): void;
  readonly current: InboxThread | null;
}

export interface DemoHostOptions {
  /** Shows the sidebar's notifications (the page renders them as toasts). */
  notify?: (text: string) => void;
}

export function createDemoHost(options: DemoHostOptions = {}): DemoHost {
  const listeners = new Set<(thread: InboxThread | null) => void>();
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
  };
}
