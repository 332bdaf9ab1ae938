import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrackingDecision } from '../../core/schemas/tracking.ts';
import { fakeTrackingBase } from '../background/fake-api.ts';
import { startTestBackground } from '../background/test-background.ts';
import type { CrmAnswers, TrackingRecipients, TrackingRegisterInput } from '../messages.ts';
import { trackingIcons } from './compose-button.ts';
import { startComposeTracking, type ComposeTracking } from './compose-tracking.ts';
import { FakeInboxSdk } from './fake-inboxsdk.ts';
import { createTrackingClient, type TrackingClient } from './tracking-client.ts';

const tracked: TrackingDecision = { track: true, reason: 'tracked', explanation: 'Opens and clicks by bea@buyer.test will be recorded with their time.', storeIdentity: true, storeExactTime: true };
const optedOut: TrackingDecision = { track: false, reason: 'opted_out', explanation: 'A recipient opted out of tracking: this email will not be tracked.', storeIdentity: false, storeExactTime: false };
const id = '00000000-0000-4000-8000-000000000001';
const pixel = `${fakeTrackingBase}/o/${id}.gif`;
const body = '<div>Hi Bea, <a href="https://seller.test/pricing">pricing</a></div>';
const trackedBody = `<div>Hi Bea, <a href="${fakeTrackingBase}/c/${id}-0">pricing</a></div><img src="${pixel}" width="1" height="1" alt="">`;
const stripTags = (html: string) => html.replace(/<[^>]*>/g, '');

/** A client whose answers each test sets; it records what it was asked. */
function scriptedClient() {
  const never = new Promise<never>(() => {});
  const client = {
    settings: vi.fn(async (): Promise<CrmAnswers['crm:tracking-settings']> => ({ ok: true, settings: { trackByDefault: true, description: 'Opens and clicks are recorded with their time.' } })),
    decision: vi.fn(async (_r: TrackingRecipients): Promise<CrmAnswers['crm:tracking-decision']> => ({ ok: true, decision: tracked })),
    register: vi.fn(async (m: TrackingRegisterInput, _timeoutMs: number): Promise<CrmAnswers['crm:tracking-register']> => ({
      ok: true,
      registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: m.html.replace('https://seller.test/pricing', `${fakeTrackingBase}/c/${id}-0`) + `<img src="${pixel}" width="1" height="1" alt="">` },
    })),
    sent: vi.fn(async (): Promise<CrmAnswers['crm:tracking-sent']> => ({ ok: true, queued: false })),
    senderViews: vi.fn(async (): Promise<CrmAnswers['crm:sender-view']> => ({ ok: true })),
    threadStates: vi.fn(async (): Promise<CrmAnswers['crm:thread-states']> => ({ ok: true, states: [] })),
    hang: () => client.register.mockImplementation(() => never),
  };
  return client;
}

let sdk: FakeInboxSdk;
let client: ReturnType<typeof scriptedClient>;
let feature: ComposeTracking;
let errors: unknown[];

function start(options: { textOf?: ((html: string) => string) | null } = {}) {
  feature = startComposeTracking(sdk, { client: client as TrackingClient, onError: (e) => errors.push(e), textOf: options.textOf ?? stripTags });
}

beforeEach(() => {
  vi.useFakeTimers();
  sdk = new FakeInboxSdk('robin@seller.test');
  client = scriptedClient();
  errors = [];
});
afterEach(() => {
  feature?.stop();
  vi.useRealTimers();
});

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
const butter = () => sdk.butterBar.map((m) => m.text);

describe('the toggle', () => {
  it('starts as the rep’s trackByDefault says and shows what will be recorded for these recipients', async () => {
    start();
    await settle();
    const compose = sdk.openCompose({ to: ['Bea@Buyer.test'], body });
    expect(compose.button).toMatchObject({ title: 'Tracking on', iconUrl: trackingIcons.on, tooltip: expect.stringMatching(/^Checking/) });
    await settle();
    expect(client.decision).toHaveBeenCalledWith({ to: ['bea@buyer.test'], cc: [], bcc: [] });
    expect(compose.button).toMatchObject({ title: 'Tracking on', tooltip: `${tracked.explanation} Click to turn tracking off.` });
  });

  it('starts off when the default is off; a click turns it on and asks what will be recorded', async () => {
    client.settings.mockResolvedValue({ ok: true, settings: { trackByDefault: false, description: 'Opens are counted per day, without names.' } });
    start();
    await settle();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'] });
    expect(compose.button).toMatchObject({ title: 'Tracking off', iconUrl: trackingIcons.off, tooltip: expect.stringContaining('Opens are counted per day, without names.') });
    expect(client.decision).not.toHaveBeenCalled();
    compose.clickButton();
    await settle();
    expect(compose.button).toMatchObject({ title: 'Tracking on', iconUrl: trackingIcons.on });
    expect(client.decision).toHaveBeenCalledTimes(1);
  });

  it('takes the default once it arrives, unless the rep already chose', async () => {
    let answer: (a: CrmAnswers['crm:tracking-settings']) => void = () => {};
    client.settings.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    start();
    const untouched = sdk.openCompose({ to: ['bea@buyer.test'] });
    const chosen = sdk.openCompose({ to: ['bea@buyer.test'] });
    expect(untouched.button.title).toBe('Tracking off');
    chosen.clickButton(); // on
    chosen.clickButton(); // and off again: the rep's choice
    answer({ ok: true, settings: { trackByDefault: true, description: '' } });
    await settle();
    expect(untouched.button.title).toBe('Tracking on');
    expect(chosen.button.title).toBe('Tracking off');
  });

  it('follows the recipients once they rest, and warns when this email will not be tracked', async () => {
    start();
    await settle();
    const compose = sdk.openCompose();
    expect(compose.button.tooltip).toMatch(/Add recipients/);
    client.decision.mockResolvedValue({ ok: true, decision: optedOut });
    compose.setRecipients({ to: ['b'] });
    compose.setRecipients({ to: ['bea@buyer.test'] });
    await settle(400);
    expect(client.decision).toHaveBeenCalledTimes(1);
    expect(compose.button).toMatchObject({ title: 'Tracking on, but this email will not be tracked', iconUrl: trackingIcons.warn, tooltip: expect.stringContaining('opted out') });
  });

  it('says sign in when nobody is signed in, and starts off', async () => {
    client.settings.mockResolvedValue({ ok: false, code: 'UNAUTHENTICATED', message: 'Sign in' });
    start();
    await settle();
    expect(sdk.openCompose({ to: ['bea@buyer.test'] }).button).toMatchObject({ title: 'Tracking: sign in to Inbox CRM', iconUrl: trackingIcons.off });
  });
});

describe('Send with tracking on', () => {
  beforeEach(async () => {
    start();
    await settle();
  });

  it('holds the send, registers, puts the tracked body in and sends once; then reports the Gmail ids', async () => {
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], cc: ['carl@buyer.test'], subject: 'Pricing', body, threadId: '18c0ffee00000000', sentMessageId: '18c1000000000002' });
    await settle();
    compose.clickSend();
    expect(compose.sentMails).toEqual([]); // held
    expect(compose.button.enabled).toBe(false);
    await settle(100);
    expect(client.register).toHaveBeenCalledWith({ to: ['bea@buyer.test'], cc: ['carl@buyer.test'], bcc: [], html: body, subject: 'Pricing', threadId: '18c0ffee00000000' }, 1000);
    expect(compose.bodySets).toEqual([trackedBody]);
    expect(compose.sendCalls).toBe(1);
    expect(compose.sentMails).toEqual([{ html: trackedBody, to: ['bea@buyer.test'], subject: 'Pricing' }]);
    expect(client.sent).toHaveBeenCalledWith({ trackedMessageId: id, messageId: 'gmail:18c1000000000002', threadId: '18c0ffee00000000', sentAt: expect.any(String) });
    expect(butter()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reports a new thread by the id Gmail gave it', async () => {
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body, sentMessageId: '18c1000000000003' });
    compose.clickSend();
    await settle(100);
    expect(client.register.mock.calls[0]![0].threadId).toBeNull();
    expect(client.sent).toHaveBeenCalledWith(expect.objectContaining({ messageId: 'gmail:18c1000000000003', threadId: '18c1000000000003' }));
  });

  it('API not answering: the mail goes out as written at one second, and the rep is told', async () => {
    client.hang();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    await settle(999);
    expect(compose.sentMails).toEqual([]);
    await settle(1);
    expect(compose.sentMails).toEqual([{ html: body, to: ['bea@buyer.test'], subject: '' }]);
    expect(compose.bodySets).toEqual([]);
    expect(butter()).toEqual(['Sent without tracking: the CRM did not answer within a second.']);
    await settle(100);
    expect(client.sent).not.toHaveBeenCalled();
  });

  it.each([
    ['the API failed', { ok: false, code: 'INTERNAL', message: 'Something went wrong' }, 'Sent without tracking: the CRM could not register it (Something went wrong).'],
    ['the API is down', { ok: false, code: 'OFFLINE', message: 'x' }, 'Sent without tracking: the CRM could not be reached.'],
    ['the session ended', { ok: false, code: 'UNAUTHENTICATED', message: 'x' }, 'Sent without tracking: sign in to Inbox CRM from Chrome’s toolbar.'],
    ['the API says not tracked', { ok: true, registration: { decision: optedOut, trackedMessageId: null, pixelUrl: null, html: body } }, `Sent without tracking: ${optedOut.explanation}`],
  ] as const)('%s: the mail goes out at once, as written, and the rep is told', async (_name, answer, notice) => {
    client.register.mockResolvedValue(answer as CrmAnswers['crm:tracking-register']);
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    await settle(0);
    expect(compose.sentMails.map((m) => m.html)).toEqual([body]);
    expect(compose.sendCalls).toBe(1);
    expect(butter()).toEqual([notice]);
  });

  it('Send pressed again while registering is held: one mail', async () => {
    let answer: (a: CrmAnswers['crm:tracking-register']) => void = () => {};
    client.register.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    await settle(200);
    compose.clickSend();
    compose.clickSend();
    await settle(200);
    answer({ ok: true, registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: trackedBody } });
    await settle(100);
    expect(client.register).toHaveBeenCalledTimes(1);
    expect(compose.sendCalls).toBe(1);
    expect(compose.sentMails.map((m) => m.html)).toEqual([trackedBody]);
  });

  it('a late answer after the second is ignored: nothing is sent twice or changed after', async () => {
    let answer: (a: CrmAnswers['crm:tracking-register']) => void = () => {};
    client.register.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body, sentMessageId: '18c1000000000004' });
    compose.serverMs = 5000; // Gmail is slow to confirm
    compose.clickSend();
    await settle(1000);
    answer({ ok: true, registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: trackedBody } });
    await settle(6000);
    expect(compose.sentMails.map((m) => m.html)).toEqual([body]);
    expect(compose.bodySets).toEqual([]);
    expect(client.sent).not.toHaveBeenCalled();
  });

  it('the rep typed during the wait: their words go out untracked', async () => {
    client.register.mockImplementation(async (m) => {
      compose.type(`${m.html}<div>PS</div>`);
      return { ok: true, registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: trackedBody } };
    });
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    await settle(0);
    expect(compose.sentMails.map((m) => m.html)).toEqual([`${body}<div>PS</div>`]);
    expect(butter()).toEqual(['Sent without tracking: the email changed while tracking was being added.']);
  });

  it('a tracked body that reads differently is not used', async () => {
    client.register.mockResolvedValue({ ok: true, registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: `${trackedBody}<p>Sent with Inbox CRM</p>` } });
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    await settle(0);
    expect(compose.sentMails.map((m) => m.html)).toEqual([body]);
    expect(butter()).toEqual(['Sent without tracking: the tracked version would have changed its text.']);
  });

  it('the draft closed while registering: nothing is sent, and the rep is told where it is', async () => {
    let answer: (a: CrmAnswers['crm:tracking-register']) => void = () => {};
    client.register.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    compose.close();
    answer({ ok: true, registration: { decision: tracked, trackedMessageId: id, pixelUrl: pixel, html: trackedBody } });
    await settle(100);
    expect(compose.sendCalls).toBe(0);
    expect(butter()).toEqual(['Not sent: the email was closed while tracking was being added. It is in your Drafts.']);
  });

  it('Gmail refuses the send (bad address): the next Send goes out with the same tracking, not registered again', async () => {
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.gmailRefusesNextSend = true;
    compose.clickSend();
    await settle(100);
    expect(compose.sentMails).toEqual([]);
    expect(compose.button).toMatchObject({ enabled: true, title: 'Tracking on' });
    compose.clickSend(); // the rep fixed the address
    await settle(100);
    expect(client.register).toHaveBeenCalledTimes(1);
    expect(compose.sentMails.map((m) => m.html)).toEqual([trackedBody]);
    expect(client.sent).toHaveBeenCalledTimes(1);
  });

  it('tracking switched off after it was added puts the rep’s body back', async () => {
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.gmailRefusesNextSend = true;
    compose.clickSend();
    await settle(100);
    compose.clickButton(); // off
    expect(compose.body).toBe(body);
    compose.clickSend();
    await settle(100);
    expect(compose.sentMails.map((m) => m.html)).toEqual([body]);
    expect(client.register).toHaveBeenCalledTimes(1);
    expect(client.sent).not.toHaveBeenCalled();
  });

  it('Undo Send reopens the draft in a new window: sent with the first registration, not registered twice', async () => {
    const first = sdk.openCompose({ to: ['bea@buyer.test'], body });
    first.serverMs = 10_000; // Gmail holds the request during the undo window…
    first.clickSend();
    await settle(100);
    first.close(); // …and the rep pressed Undo: the draft comes back
    const reopened = sdk.openCompose({ to: ['bea@buyer.test'], body: first.body, sentMessageId: '18c1000000000005' });
    reopened.clickSend();
    await settle(100);
    expect(client.register).toHaveBeenCalledTimes(1);
    expect(reopened.sentMails.map((m) => m.html)).toEqual([trackedBody]);
    expect(client.sent).toHaveBeenCalledWith(expect.objectContaining({ trackedMessageId: id, messageId: 'gmail:18c1000000000005' }));
  });

  it('says scheduled sends go out untracked', () => {
    sdk.openCompose({ to: ['bea@buyer.test'], body }).openScheduleSendMenu();
    expect(butter()).toEqual(['Scheduled emails go out without tracking: Inbox CRM adds it on Send only.']);
  });
});

describe('sending without registering', () => {
  it('tracking off: Gmail sends at once and nothing is registered', async () => {
    client.settings.mockResolvedValue({ ok: true, settings: { trackByDefault: false, description: '' } });
    start();
    await settle();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    compose.clickSend();
    expect(compose.sentMails.map((m) => m.html)).toEqual([body]); // synchronously: not even a tick
    await settle(100);
    expect(client.register).not.toHaveBeenCalled();
    expect(client.sent).not.toHaveBeenCalled();
  });

  it('known not to be tracked for these recipients: sent at once', async () => {
    client.decision.mockResolvedValue({ ok: true, decision: optedOut });
    start();
    await settle();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    await settle();
    compose.clickSend();
    expect(compose.sentMails).toHaveLength(1);
    expect(client.register).not.toHaveBeenCalled();
  });

  it('after stop() (extension reloaded under the tab), Send is left alone and new windows get no button', async () => {
    start();
    await settle();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    feature.stop();
    compose.clickSend();
    expect(compose.sentMails).toHaveLength(1);
    expect(() => sdk.openCompose().button).toThrow('No button');
  });
});

describe('through the real background and the fake API (real timers)', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  async function setUp() {
    const bg = startTestBackground({ registerTimeoutMs: 900 });
    await bg.signIn();
    const live = createTrackingClient(bg.fromGmail);
    feature = startComposeTracking(sdk, { client: live, onError: (e) => errors.push(e), textOf: stripTags });
    await vi.waitFor(() => expect(bg.api.requests.some((r) => r.url.endsWith('/tracking/settings'))).toBe(true));
    return bg;
  }

  it('tracks: the sent mail carries the pixel and the API learns its Gmail ids', async () => {
    const { api } = await setUp();
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body, subject: 'Pricing', sentMessageId: '18c1000000000006' });
    compose.serverMs = 5;
    compose.clickSend();
    await vi.waitFor(() => expect(api.tracked[0]?.messageId).toBe('gmail:18c1000000000006'));
    expect(compose.sentMails).toHaveLength(1);
    expect(compose.sentMails[0]!.html).toContain(`${fakeTrackingBase}/o/`);
    expect(api.tracked[0]).toMatchObject({ threadId: '18c1000000000006', subject: 'Pricing' });
  });

  it('API hanging: the mail leaves within the second, untracked', async () => {
    const { api } = await setUp();
    api.mode = 'hang';
    const compose = sdk.openCompose({ to: ['bea@buyer.test'], body });
    const pressed = Date.now();
    compose.clickSend();
    await vi.waitFor(() => expect(compose.sentMails).toHaveLength(1), { timeout: 2000, interval: 5 });
    expect(Date.now() - pressed).toBeLessThanOrEqual(1050);
    expect(compose.sentMails[0]!.html).toBe(body);
    expect(butter()).toEqual([expect.stringMatching(/^Sent without tracking: /)]);
  });
});
