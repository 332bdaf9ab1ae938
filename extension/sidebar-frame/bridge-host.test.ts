import { beforeEach, describe, expect, it } from 'vitest';
import type { InboxThread } from '../../ui/sidebar/host.ts';
import { createBridgeHost, type BridgeHost } from './bridge-host.ts';
import { gmailOrigin, isInboxThread, maxNotificationLength } from './bridge-messages.ts';
import { FakeWindow } from './test-windows.ts';

const extensionOrigin = 'chrome-extension://aemccbpimgdcpgajbnomcckikdemnmgc';

const thread: InboxThread = {
  threadId: '18c0ffee',
  subject: 'Pricing for 2027',
  userEmail: 'robin@seller.test',
  participants: [
    { name: 'Bea Buyer', email: 'bea@buyer.test' },
    { name: 'Robin Rep', email: 'robin@seller.test' },
  ],
  messages: [
    {
      messageId: 'gmail:18c0ffee00000001',
      from: { name: 'Bea Buyer', email: 'bea@buyer.test' },
      to: [{ name: 'Robin Rep', email: 'robin@seller.test' }],
      cc: [],
      subject: 'Pricing for 2027',
      date: '2026-11-20T09:30:00.000Z',
      direction: 'inbound',
      snippet: 'Hi Robin, can we talk pricing?',
      bodyText: 'Hi Robin,\ncan we talk pricing?\n\nBea Buyer\nHead of Procurement, Buyer',
    },
  ],
};

let page: FakeWindow; // the sidebar page's own window
let gmail: FakeWindow; // window.parent: Gmail's
let host: BridgeHost;
let seen: (InboxThread | null)[];

/** A message from the content script, as the page receives it. */
const fromContentScript = (data: unknown) => page.receive(data, { origin: gmailOrigin, source: gmail });

beforeEach(() => {
  page = new FakeWindow(extensionOrigin);
  gmail = new FakeWindow(gmailOrigin);
  host = createBridgeHost({ self: page, parent: gmail });
  seen = [];
  host.onThreadChange((t) => seen.push(t));
});

it('says it is listening, to Gmail only, as soon as it starts (and so again after every reload)', () => {
  expect(gmail.posted).toEqual([{ message: { type: 'crm-frame:ready' }, targetOrigin: gmailOrigin }]);
});

it('opened on its own (its own parent) it posts nothing: there is no Gmail to tell', () => {
  const solo = new FakeWindow(extensionOrigin);
  const alone = createBridgeHost({ self: solo, parent: solo });
  alone.showNotification('hello');
  expect(solo.posted).toEqual([]);
  alone.destroy();
});

describe('thread changes from the content script', () => {
  it('reach the sidebar: opened, updated, closed', () => {
    fromContentScript({ type: 'crm-frame:thread', thread });
    const more = { ...thread, messages: [...thread.messages, { ...thread.messages[0]!, messageId: 'gmail:2' }] };
    fromContentScript({ type: 'crm-frame:thread', thread: more });
    fromContentScript({ type: 'crm-frame:thread', thread: null });
    expect(seen).toEqual([thread, more, null]);
  });

  it('a listener that subscribes later gets the open thread at once (InboxHost’s contract)', () => {
    fromContentScript({ type: 'crm-frame:thread', thread });
    const late: (InboxThread | null)[] = [];
    const stop = host.onThreadChange((t) => late.push(t));
    expect(late).toEqual([thread]);
    stop();
    fromContentScript({ type: 'crm-frame:thread', thread: null });
    expect(late).toEqual([thread]);
  });

  it('a listener that subscribes with no thread open hears nothing until one opens', () => {
    const late: (InboxThread | null)[] = [];
    host.onThreadChange((t) => late.push(t));
    expect(late).toEqual([]);
  });
});

describe('ignores what does not come from the content script in Gmail', () => {
  const message = { type: 'crm-frame:thread', thread };

  it.each([
    ['another origin, from the parent window', { origin: 'https://evil.test', source: 'parent' }],
    ['Gmail’s origin over plain http', { origin: 'http://mail.google.com', source: 'parent' }],
    ['Gmail’s origin, but from another window (a frame inside Gmail, a popup)', { origin: gmailOrigin, source: 'other' }],
    ['Gmail’s origin, posted by the page to itself', { origin: gmailOrigin, source: 'self' }],
    ['no source at all', { origin: gmailOrigin, source: null }],
    ['the extension’s own origin (another extension page)', { origin: extensionOrigin, source: 'parent' }],
  ] as const)('%s', (_name, { origin, source }) => {
    const windows = { parent: gmail, other: new FakeWindow(gmailOrigin), self: page, null: null };
    page.receive(message, { origin, source: windows[source ?? 'null'] });
    expect(seen).toEqual([]);
  });

  it.each([
    ['not an object', 'crm-frame:thread'],
    ['an unknown type', { type: 'crm-frame:delete-everything' }],
    ['a thread without an id', { type: 'crm-frame:thread', thread: { ...thread, threadId: '' } }],
    ['a thread whose messages are not messages', { type: 'crm-frame:thread', thread: { ...thread, messages: [{ messageId: 1 }] } }],
    ['a message whose body text is not text', { type: 'crm-frame:thread', thread: { ...thread, messages: [{ ...thread.messages[0], bodyText: { html: '<b>' } }] } }],
    ['a message with a made-up direction', { type: 'crm-frame:thread', thread: { ...thread, messages: [{ ...thread.messages[0], direction: 'sideways' }] } }],
    ['participants without addresses', { type: 'crm-frame:thread', thread: { ...thread, participants: [{ name: 'x' }] } }],
    ['a thread that is missing', { type: 'crm-frame:thread' }],
  ])('malformed, from the right window: %s', (_name, data) => {
    fromContentScript(data);
    expect(seen).toEqual([]);
  });
});

describe('notifications', () => {
  it('go to the content script (for Gmail’s butter bar), addressed to Gmail’s origin only, cut to one line’s worth', () => {
    host.showNotification('Not saved: Move Acme renewal to Won. The CRM refused it.');
    host.showNotification('x'.repeat(maxNotificationLength + 50));
    expect(gmail.posted.slice(1)).toEqual([
      { message: { type: 'crm-frame:notify', text: 'Not saved: Move Acme renewal to Won. The CRM refused it.' }, targetOrigin: gmailOrigin },
      { message: { type: 'crm-frame:notify', text: 'x'.repeat(maxNotificationLength) }, targetOrigin: gmailOrigin },
    ]);
  });

  it('a parent that went away is not an error', () => {
    gmail.postMessage = () => {
      throw new Error('detached');
    };
    expect(() => host.showNotification('hello')).not.toThrow();
  });
});

describe('sign-in', () => {
  it('nextSignIn settles when the content script passes on a sign-in, not on a sign-out or a forged one', async () => {
    let settled = false;
    const signedIn = host.nextSignIn().then(() => void (settled = true));
    fromContentScript({ type: 'crm-frame:session-changed', signedIn: false });
    page.receive({ type: 'crm-frame:session-changed', signedIn: true }, { origin: 'https://evil.test', source: gmail });
    await Promise.resolve();
    expect(settled).toBe(false);
    fromContentScript({ type: 'crm-frame:session-changed', signedIn: true });
    await signedIn;
    expect(settled).toBe(true);
  });
});

it('destroy stops listening', () => {
  expect(page.listenerCount).toBe(1);
  host.destroy();
  expect(page.listenerCount).toBe(0);
  fromContentScript({ type: 'crm-frame:thread', thread });
  expect(seen).toEqual([]);
});

it('the thread check accepts what the Gmail adapter produces, headers included', () => {
  expect(isInboxThread(thread)).toBe(true);
  expect(isInboxThread({ ...thread, messages: [{ ...thread.messages[0]!, headers: { 'List-Id': '<news.example.com>' } }] })).toBe(true);
  expect(isInboxThread({ ...thread, messages: [{ ...thread.messages[0]!, headers: { 'List-Id': 42 } }] })).toBe(false);
});
