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
});
