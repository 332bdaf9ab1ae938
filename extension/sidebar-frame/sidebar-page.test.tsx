// @vitest-environment happy-dom
import { act, fireEvent, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { InboxHost, InboxThread } from '../../ui/sidebar/host.ts';
import type { CrmMessage, GmailReport, SendToBackground } from '../messages.ts';
import { gmailOrigin } from './bridge-messages.ts';
import { createFrameBridge, type FrameBridge } from './frame-bridge.ts';
import { startSidebarPage, whenRendered } from './sidebar-page.ts';
import { extensionOrigin, FakeWindow, HandHost, linkFrames } from './test-windows.ts';


const thread: InboxThread = {
  threadId: '18c0ffee',
  subject: 'Pricing for 2027',
  userEmail: 'robin@seller.test',
  participants: [
    { name: 'Bea Buyer', email: 'bea@buyer.test' },
    { name: 'Robin Rep', email: 'robin@seller.test' },
  ],
  messages: [],
};

/** The background, signed out: every relayed call answers 401. Records what it was asked (reports with what the page showed then). */
function signedOutBackground(root: HTMLElement) {
  const asked: CrmMessage[] = [];
  const shownAtReport: string[] = [];
  const send = (async (message: CrmMessage) => {
    asked.push(message);
    switch (message.type) {
      case 'crm:relay':
        return { kind: 'response', ok: false, status: 401, body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Sign in' } }) };
      case 'crm:store-get':
        return { value: undefined };
      case 'crm:store-set':
      case 'crm:store-delete':
      case 'crm:report':
        if (message.type === 'crm:report') shownAtReport.push(root.textContent ?? '');
        return { ok: true };
      case 'crm:open-sign-in':
        return { opened: 'popup' };
      default:
        throw new Error(`the sidebar page should not ask ${message.type}`);
    }
  }) as SendToBackground;
  const reports = () => asked.flatMap((m) => (m.type === 'crm:report' ? [m.report] : []));
  const relayed = () => asked.filter((m) => m.type === 'crm:relay').length;
  return { send, asked, reports, relayed, shownAtReport };
}

let root: HTMLElement;
let stops: (() => void)[];

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  stops = [];
});
afterEach(async () => {
  await act(async () => {
    for (const stop of stops.splice(0).reverse()) stop();
  });
  root.remove();
});

/** Gmail's window with the content script's half of the bridge, and the page's window framed in it. */
function framedPage(host: InboxHost) {
  const gmail = new FakeWindow(gmailOrigin);
  const page = Object.assign(new FakeWindow(extensionOrigin), { parent: gmail });
  linkFrames(gmail, page);
  const bridge: FrameBridge = createFrameBridge({ host, window: gmail, frame: () => page, frameOrigin: extensionOrigin, frameShown: () => true });
  stops.push(() => bridge.destroy());
  return { gmail, page, bridge };
}

it('framed in Gmail: reports "sidebar mounted" once React has drawn, then shows Gmail’s thread and asks to sign in', async () => {
  const host = new HandHost();
  const { page, bridge } = framedPage(host);
  const background = signedOutBackground(root);
  await act(async () => {
    stops.push(startSidebarPage({ window: page, root, send: background.send }));
  });
  await waitFor(() => expect(background.reports()).toEqual([{ sidebarMounted: true }]));
  expect(background.shownAtReport[0]).toContain('Open an email thread to see who is on it.');

  await act(async () => host.open(thread));
  const signIn = await within(root).findByRole('button', { name: 'Sign in' });
  const lookups = background.relayed();
  expect(lookups).toBeGreaterThan(0);

  // Sign in: the page asks the background to open the popup, and loads again when the content
  // script passes on the background's word that the rep signed in.
  await act(async () => fireEvent.click(signIn));
  expect(background.asked.some((m) => m.type === 'crm:open-sign-in')).toBe(true);
  await act(async () => bridge.sessionChanged(true));
  await waitFor(() => expect(background.relayed()).toBeGreaterThan(lookups));
});

it('shows the sidebar’s notifications in Gmail’s butter bar, through the content script', async () => {
  const host = new HandHost();
  const { page } = framedPage(host);
  const background = signedOutBackground(root);
  // The background cannot open the popup (no focused window): the sidebar says where to sign in.
  const send = (async (message: CrmMessage) => {
    if (message.type === 'crm:open-sign-in') throw new Error('no window');
    return background.send(message);
  }) as SendToBackground;
  await act(async () => {
    stops.push(startSidebarPage({ window: page, root, send }));
  });
  await act(async () => host.open(thread));
  await act(async () => fireEvent.click(await within(root).findByRole('button', { name: 'Sign in' })));
  await waitFor(() => expect(host.notifications).toEqual(['Sign in from the Inbox CRM button in Chrome’s toolbar']));
});

it('opened on its own (not framed) it renders, but reports nothing to the self-test', async () => {
  const solo = new FakeWindow(extensionOrigin);
  const page = Object.assign(solo, { parent: solo });
  const background = signedOutBackground(root);
  await act(async () => {
    stops.push(startSidebarPage({ window: page, root, send: background.send }));
  });
  await waitFor(() => expect(root.textContent).toContain('Open an email thread to see who is on it.'));
  expect(background.reports()).toEqual([]);
});

it('a sidebar that throws while mounting is reported as not mounted, with the reason', async () => {
  const host = new HandHost();
  const { page } = framedPage(host);
  const background = signedOutBackground(root);
  expect(() =>
    startSidebarPage({
      window: page,
      root,
      send: background.send,
      mount: () => {
        throw new Error('React is missing');
      },
    }),
  ).toThrow('React is missing');
  await waitFor(() => expect(background.reports()).toEqual([{ sidebarMounted: false, error: 'The sidebar did not start: React is missing' }] satisfies GmailReport[]));
  expect(page.listenerCount).toBe(0);
});

it('whenRendered waits for content beside the style element, and can be stopped', async () => {
  let calls = 0;
  const stop = whenRendered(root, () => void calls++);
  root.append(document.createElement('style'), document.createElement('div'));
  await Promise.resolve();
  expect(calls).toBe(0);
  root.lastElementChild!.append(document.createElement('p'));
  await waitFor(() => expect(calls).toBe(1));
  stop();

  let again = 0;
  whenRendered(root, () => void again++)(); // already drawn: called at once
  expect(again).toBe(1);
});
