// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxThread } from '../../ui/sidebar/host.ts';
import { FakeInboxSdk } from '../gmail/fake-inboxsdk.ts';
import { createGmailHost } from '../gmail/gmail-host.ts';
import { createBridgeHost } from './bridge-host.ts';
import { gmailOrigin, maxNotificationLength, originOf } from './bridge-messages.ts';
import { createFrameBridge, createSidebarIframe, type FrameBridge } from './frame-bridge.ts';
import { extensionOrigin, FakeWindow, HandHost, linkFrames } from './test-windows.ts';


const thread = (threadId: string): InboxThread => ({ threadId, subject: `Subject ${threadId}`, participants: [], messages: [], userEmail: 'robin@seller.test' });

let host: HandHost;
let gmail: FakeWindow; // the window the content script runs in
let frame: FakeWindow | null; // iframe.contentWindow
let shown: boolean;
let noAnswer: number;
let bridge: FrameBridge;

/** A message from the sidebar page in the iframe, as the content script receives it. */
const fromPage = (data: unknown) => gmail.receive(data, { origin: extensionOrigin, source: frame });
const postedToFrame = () => frame!.posted;

beforeEach(() => {
  vi.useFakeTimers();
  host = new HandHost();
  gmail = new FakeWindow(gmailOrigin);
  frame = new FakeWindow(extensionOrigin);
  shown = true;
  noAnswer = 0;
  bridge = createFrameBridge({
    host,
    window: gmail,
    frame: () => frame,
    frameOrigin: extensionOrigin,
    frameShown: () => shown,
    onNoAnswer: () => void noAnswer++,
    readyTimeoutMs: 1000,
  });
});
afterEach(() => {
  bridge.destroy();
  vi.useRealTimers();
});

describe('threads', () => {
  it('waits for the page to listen, then sends the open thread, and every change after, to the extension origin only', () => {
    host.open(thread('t1'));
    expect(postedToFrame()).toEqual([]);
    fromPage({ type: 'crm-frame:ready' });
    host.open(thread('t2'));
    host.open(null);
    expect(postedToFrame()).toEqual([
      { message: { type: 'crm-frame:thread', thread: thread('t1') }, targetOrigin: extensionOrigin },
      { message: { type: 'crm-frame:thread', thread: thread('t2') }, targetOrigin: extensionOrigin },
      { message: { type: 'crm-frame:thread', thread: null }, targetOrigin: extensionOrigin },
    ]);
  });

  it('tells a page that starts with no thread open that none is', () => {
    fromPage({ type: 'crm-frame:ready' });
    expect(postedToFrame()).toEqual([{ message: { type: 'crm-frame:thread', thread: null }, targetOrigin: extensionOrigin }]);
  });

  it('sends the open thread again when the frame reloads (InboxSDK moving the panel reloads it)', () => {
    fromPage({ type: 'crm-frame:ready' });
    host.open(thread('t1'));
    fromPage({ type: 'crm-frame:ready' });
    expect(postedToFrame().map((p) => p.message)).toEqual([
      { type: 'crm-frame:thread', thread: null },
      { type: 'crm-frame:thread', thread: thread('t1') },
      { type: 'crm-frame:thread', thread: thread('t1') },
    ]);
  });

  it('a frame between documents (postMessage throws) does not break Gmail', () => {
    fromPage({ type: 'crm-frame:ready' });
    frame!.postMessage = () => {
      throw new Error('no document');
    };
    expect(() => host.open(thread('t1'))).not.toThrow();
  });
});

describe('ignores what does not come from the sidebar page', () => {
  it.each([
    ['Gmail’s page pretending to be the frame', { origin: gmailOrigin, source: 'gmail' }],
    ['the right origin from another window', { origin: extensionOrigin, source: 'other' }],
    ['the frame’s window after it navigated elsewhere', { origin: 'https://evil.test', source: 'frame' }],
  ] as const)('%s', (_name, { origin, source }) => {
    const windows = { gmail, other: new FakeWindow(extensionOrigin), frame };
    host.open(thread('t1'));
    gmail.receive({ type: 'crm-frame:ready' }, { origin, source: windows[source] });
    gmail.receive({ type: 'crm-frame:notify', text: 'forged' }, { origin, source: windows[source] });
    expect(postedToFrame()).toEqual([]);
    expect(host.notifications).toEqual([]);
    expect(bridge.isReady()).toBe(false);
  });

  it('anything before the iframe has a window', () => {
    const real = frame;
    frame = null;
    gmail.receive({ type: 'crm-frame:ready' }, { origin: extensionOrigin, source: null });
    expect(bridge.isReady()).toBe(false);
    frame = real;
  });

  it('messages of other shapes', () => {
    fromPage({ type: 'crm-frame:notify', text: 42 });
    fromPage({ type: 'inboxsdk:whatever' });
    fromPage('crm-frame:ready');
    expect(host.notifications).toEqual([]);
    expect(bridge.isReady()).toBe(false);
  });
});

it('shows the page’s notifications in Gmail’s butter bar, one line’s worth', () => {
  fromPage({ type: 'crm-frame:notify', text: 'Contact saved' });
  fromPage({ type: 'crm-frame:notify', text: 'y'.repeat(maxNotificationLength * 2) });
  expect(host.notifications).toEqual(['Contact saved', 'y'.repeat(maxNotificationLength)]);
});

it('passes the background’s session changes on to the page once it listens', () => {
  bridge.sessionChanged(true);
  expect(postedToFrame()).toEqual([]);
  fromPage({ type: 'crm-frame:ready' });
  bridge.sessionChanged(true);
  expect(postedToFrame().at(-1)).toEqual({ message: { type: 'crm-frame:session-changed', signedIn: true }, targetOrigin: extensionOrigin });
});

describe('a page that never answers', () => {
  it('is reported once, if the frame is in Gmail’s page', async () => {
    await vi.advanceTimersByTimeAsync(5000);
    expect(noAnswer).toBe(1);
  });

  it('is not reported while the panel element is outside the page (an iframe there does not load)', async () => {
    shown = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(noAnswer).toBe(0);
  });

  it('is not reported when it answered', async () => {
    fromPage({ type: 'crm-frame:ready' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(noAnswer).toBe(0);
  });
});

it('destroy stops listening to Gmail and to the page', async () => {
  bridge.destroy();
  expect(gmail.listenerCount).toBe(0);
  expect(host.listeners.size).toBe(0);
  await vi.advanceTimersByTimeAsync(5000);
  expect(noAnswer).toBe(0);
});

it('the iframe fills the panel, without a border', () => {
  const iframe = createSidebarIframe(document, `${extensionOrigin}/sidebar.html`);
  expect(iframe.getAttribute('src')).toBe(`${extensionOrigin}/sidebar.html`);
  expect(iframe.title).toBe('Inbox CRM');
  expect(iframe.style.width).toBe('100%');
  expect(iframe.style.height).toBe('100%');
  expect(iframe.style.borderWidth || iframe.style.border).toMatch(/^0(px)?/);
});

it('originOf gives postMessage’s form of an origin, for chrome-extension: too', () => {
  expect(originOf(`${extensionOrigin}/`)).toBe(extensionOrigin);
  expect(originOf('https://mail.google.com/mail/u/0/#inbox')).toBe(gmailOrigin);
  expect(() => originOf('/sidebar.html')).toThrow();
});

describe('both halves together, from InboxSDK to the sidebar and back', () => {
  it('a thread opened in Gmail reaches the sidebar page; its notification reaches the butter bar', async () => {
    bridge.destroy();
    const sdk = new FakeInboxSdk('robin@seller.test');
    const gmailHost = createGmailHost(sdk, { settleMs: 10 });
    const page = new FakeWindow(extensionOrigin);
    linkFrames(gmail, page);
    const contentSide = createFrameBridge({ host: gmailHost, window: gmail, frame: () => page, frameOrigin: extensionOrigin, frameShown: () => true });
    // The page loads in the iframe and starts its half.
    const pageHost = createBridgeHost({ self: page, parent: gmail });
    const seen: (InboxThread | null)[] = [];
    pageHost.onThreadChange((t) => seen.push(t));

    const view = sdk.openThread('18c0ffee', 'Pricing for 2027', [
      { id: ((BigInt(Date.parse('2026-11-20T09:30:00Z')) << 20n) | 1n).toString(16), from: { name: 'Bea Buyer', emailAddress: 'bea@buyer.test' }, recipients: [{ name: 'Robin Rep', emailAddress: 'robin@seller.test' }] },
    ]);
    await vi.advanceTimersByTimeAsync(20);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ threadId: '18c0ffee', subject: 'Pricing for 2027', userEmail: 'robin@seller.test', messages: [{ direction: 'inbound', from: { email: 'bea@buyer.test' } }] });

    pageHost.showNotification('Logged 1 email to Bea Buyer');
    expect(sdk.butterBar).toEqual([{ text: 'Logged 1 email to Bea Buyer', time: 6000 }]);

    view.destroy();
    expect(seen.at(-1)).toBeNull();

    // A thread forged from another origin changes nothing.
    page.receive({ type: 'crm-frame:thread', thread: thread('forged') }, { origin: 'https://evil.test', source: gmail });
    expect(seen.at(-1)).toBeNull();
    contentSide.destroy();
    pageHost.destroy();
    gmailHost.destroy();
  });
});
