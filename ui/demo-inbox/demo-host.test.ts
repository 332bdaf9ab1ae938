// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { InboxThread } from '../sidebar/host.ts';
import { createDemoHost } from './demo-host.ts';

const thread = (threadId: string): InboxThread => ({ threadId, subject: 'Hello', participants: [], messages: [], userEmail: 'rep1@demo.test' });

describe('createDemoHost', () => {
  it('tells listeners about the opened thread and null when it is closed', () => {
    const host = createDemoHost();
    const seen: (string | null)[] = [];
    host.onThreadChange((t) => seen.push(t?.threadId ?? null));
    host.open(thread('a'));
    host.open(thread('b'));
    host.close();
    host.close(); // nothing open: nothing to say
    expect(seen).toEqual(['a', 'b', null]);
    expect(host.current).toBeNull();
  });

  it('gives a listener that subscribes late the thread already open, and nothing when none is', () => {
    const host = createDemoHost();
    const early = vi.fn();
    host.onThreadChange(early);
    expect(early).not.toHaveBeenCalled();
    host.open(thread('a'));
    const late = vi.fn();
    host.onThreadChange(late);
    expect(late).toHaveBeenCalledWith(expect.objectContaining({ threadId: 'a' }));
  });

  it('stops calling a listener once it unsubscribes', () => {
    const host = createDemoHost();
    const listener = vi.fn();
    const stop = host.onThreadChange(listener);
    stop();
    host.open(thread('a'));
    expect(listener).not.toHaveBeenCalled();
  });

  it('passes notifications to the page', () => {
    const notify = vi.fn();
    createDemoHost({ notify }).showNotification?.('Not saved: Move deal');
    expect(notify).toHaveBeenCalledWith('Not saved: Move deal');
    expect(() => createDemoHost().showNotification?.('nobody listens')).not.toThrow();
  });

  it('reports the rep’s view of their own tracked messages, and resolves when the API answered', async () => {
    const order: string[] = [];
    let answer!: () => void;
    const host = createDemoHost({ reportSenderView: (ids) => (order.push(`report ${ids.join()}`), new Promise<void>((go) => (answer = go))) });
    const shown = host.viewingOwnSent(['<m1@x>']).then(() => order.push('shown'));
    await Promise.resolve();
    expect(order).toEqual(['report <m1@x>']);
    answer();
    await shown;
    expect(order).toEqual(['report <m1@x>', 'shown']);
  });

  it('shows the mail anyway when the report fails or takes too long', async () => {
    await expect(createDemoHost({ reportSenderView: () => Promise.reject(new Error('offline')) }).viewingOwnSent(['<m1@x>'])).resolves.toBeUndefined();
    const started = Date.now();
    await createDemoHost({ reportSenderView: () => new Promise(() => undefined), senderViewTimeoutMs: 30 }).viewingOwnSent(['<m1@x>']);
    expect(Date.now() - started).toBeLessThan(500);
    const report = vi.fn();
    await createDemoHost({ reportSenderView: report }).viewingOwnSent([]);
    expect(report).not.toHaveBeenCalled();
  });

  it('tells the sidebar when a tracked message was reported sent', () => {
    const host = createDemoHost();
    const listener = vi.fn();
    const stop = host.onTrackedMessageSent!(listener);
    host.trackedMessageSent({ threadId: 't', messageId: '<m1@x>' });
    stop();
    host.trackedMessageSent({ threadId: 't', messageId: '<m2@x>' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ threadId: 't', messageId: '<m1@x>' });
  });
});
