// Feature: thread rows of tracked threads say "Opened (n)" or "Not opened yet".
//
// Gmail draws rows in bursts (a list page, a scroll, a redraw after every change), and InboxSDK
// announces each. Rows are collected for a moment and their thread ids asked for in one request
// (GET /tracking/threads?threadIds=…, through the background; the API answers only per-thread
// states); answers are kept for a minute, so redraws cost nothing. Every list is labelled, not
// only Sent: a thread the rep sent into appears in Inbox and in searches too, and a thread with no
// tracked message simply gets no label. Opens are what the API counts as human opens (probable
// ones through Gmail's or Outlook's image proxy included); machine hits never count.
//
// Check by hand: Gmail → Sent: a tracked thread shows a grey "Not opened yet"; open its pixel URL
// from another browser and, a minute later (or after a reload), the row says "Opened (1)".
import type { TrackedThreadState } from '../../core/schemas/tracking.ts';
import type { GmailHost, RowLabel } from './gmail-host.ts';
import type { TrackingClient } from './tracking-client.ts';

export function labelFor(state: Pick<TrackedThreadState, 'state' | 'opens'> | null): RowLabel | null {
  if (!state) return null;
  return state.state === 'opened'
    ? { title: `Opened (${state.opens})`, foregroundColor: '#0d652d', backgroundColor: '#e6f4ea' }
    : { title: 'Not opened yet', foregroundColor: '#5f6368', backgroundColor: '#f1f3f4' };
}

export interface BatchLoaderOptions<V> {
  /** One request for these keys; a map of those found (absent = none), or null when it failed. */
  load(keys: string[]): Promise<Map<string, V> | null>;
  /** How long to collect keys before asking. */
  delayMs: number;
  maxBatch: number;
  /** How long an answer (including "none") is reused. */
  ttlMs: number;
  /** How long a failed lookup waits before it is asked again. */
  failureTtlMs: number;
  now?: () => number;
}

/** Collects keys asked for within `delayMs` into one load; remembers answers for `ttlMs`. */
export function createBatchLoader<V>(options: BatchLoaderOptions<V>) {
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { value: V | null; until: number }>();
  let pending = new Map<string, ((value: V | null) => void)[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += options.maxBatch) {
      const chunk = keys.slice(i, i + options.maxBatch);
      const found = await options.load(chunk).catch(() => null);
      const until = now() + (found ? options.ttlMs : options.failureTtlMs);
      for (const key of chunk) {
        const value = found?.get(key) ?? null;
        cache.set(key, { value, until });
        for (const resolve of batch.get(key) ?? []) resolve(value);
      }
    }
  }

  return {
    get(key: string): Promise<V | null> {
      const hit = cache.get(key);
      if (hit && hit.until > now()) return Promise.resolve(hit.value);
      return new Promise((resolve) => {
        pending.set(key, [...(pending.get(key) ?? []), resolve]);
        if (pending.size >= options.maxBatch) void flush();
        else timer ??= setTimeout(() => void flush(), options.delayMs);
      });
    },
    /** Forget every answer (the rep signed in as someone else). */
    clear: () => cache.clear(),
  };
}

export interface SentLabelsOptions {
  client: TrackingClient;
  delayMs?: number;
  ttlMs?: number;
  onError?(error: unknown): void;
  now?: () => number;
}

export function startSentLabels(host: Pick<GmailHost, 'labelThreadRows'>, options: SentLabelsOptions) {
  const onError = (err: unknown) => options.onError?.(err);
  const states = createBatchLoader<TrackedThreadState>({
    async load(threadIds) {
      const answer = await options.client.threadStates(threadIds);
      if (!answer.ok) {
        // Signed out or offline: no labels, and no error report per row burst.
        if (answer.code !== 'UNAUTHENTICATED' && answer.code !== 'OFFLINE' && answer.code !== 'TIMEOUT') onError(new Error(`Reading tracked threads failed: ${answer.message}`));
        return null;
      }
      return new Map(answer.states.map((s) => [s.threadId, s]));
    },
    delayMs: options.delayMs ?? 150,
    maxBatch: 100,
    ttlMs: options.ttlMs ?? 60_000,
    failureTtlMs: 30_000,
    now: options.now,
  });
  const stop = host.labelThreadRows(async (row) => labelFor(await states.get(row.threadId)));
  return { stop, clear: states.clear };
}
