import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api-client/api-error.ts';
import type { TrackedMessageInput } from '../api-client/tracking-api.ts';
import { FakeCrm } from '../sidebar/test-fakes.ts';
import { createComposeTracking, type ComposeTracker, type ComposeTrackingOptions } from './compose-tracking.ts';
import { FakeComposeHost, officeComposeHost, OfficeLikeItem } from './test-compose-host.ts';
import { createApiTrackingPort, type ComposeTrackingPort } from './tracking-port.ts';

const body = '<p>See <a href="https://acme.example/pricing">our pricing</a></p>';
const stripTags = (html: string) => html.replace(/<[^>]*>/g, '');
const ann = { to: ['Ann@Acme.test'], cc: [], bcc: [] };

let crm: FakeCrm;
let tracker: ComposeTracker;
let stop: () => void;
let errors: unknown[];
let reported: unknown[];

function start(port: ComposeTrackingPort = createApiTrackingPort(crm), options: Partial<ComposeTrackingOptions> = {}) {
  tracker = createComposeTracking({ port, textOf: stripTags, onError: (e) => errors.push(e), onReported: (s) => reported.push(s), ...options });
  stop = tracker.start();
}

/** An API whose registering never answers, and ignores being aborted: the deadline must hold anyway. */
const deafPort = (base: ComposeTrackingPort): ComposeTrackingPort => ({ ...base, register: () => new Promise(() => undefined) });
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
  crm = new FakeCrm();
  errors = [];
  reported = [];
});
afterEach(() => {
  stop?.();
  vi.useRealTimers();
});

describe('sending with tracking on', () => {
  it('holds the send, registers, puts the tracked body in and lets it go; then reports the host’s ids', async () => {
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, subject: 'Pricing', body, threadId: 'demo-t1' });
    tracker.attach(host);
    const press = host.pressSend();
    expect(press.decidedAtOnce).toBe(false); // held
    const result = await press.settled;
    const registration = [...crm.registrations.values()][0]!;
    expect(crm.callsOf('registerTrackedMessage')[0]!.args[0] satisfies unknown as TrackedMessageInput).toEqual({
      to: ['ann@acme.test'], cc: [], bcc: [], html: body, subject: 'Pricing', threadId: 'demo-t1', optOutLink: false,
    });
    expect(result).toEqual({ sent: true, html: registration.html, outcome: { registration: expect.objectContaining({ trackedMessageId: registration.trackedMessageId, links: registration.links }), notice: null } });
    expect(host.bodySets).toEqual([registration.html]);
    expect(host.notices).toEqual([]);

    host.sent({ messageId: '<m1@seller.test>', threadId: 'demo-t1' });
    await settle();
    expect(crm.callsOf('markTrackedMessageSent')[0]!.args.slice(0, 2)).toEqual([registration.trackedMessageId, { messageId: '<m1@seller.test>', threadId: 'demo-t1', sentAt: expect.any(String) }]);
    expect(reported).toEqual([{ trackedMessageId: registration.trackedMessageId, messageId: '<m1@seller.test>', threadId: 'demo-t1', sentAt: expect.any(String) }]);
    expect(errors).toEqual([]);
  });

  it('the CRM not answering: the mail goes out as written at one second, and the rep is told', async () => {
    start(deafPort(createApiTrackingPort(crm)));
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    const { settled } = host.pressSend();
    let result: unknown = null;
    void settled.then((r) => (result = r));
    await settle(999);
    expect(result).toBeNull();
    await settle(1);
    expect(result).toEqual({ sent: true, html: body, outcome: { registration: null, notice: 'Sent without tracking: the CRM did not answer within a second.' } });
    expect(host.notices).toEqual(['Sent without tracking: the CRM did not answer within a second.']);
    host.sent({ messageId: '<m1@seller.test>', threadId: null });
    await settle();
    expect(crm.callsOf('markTrackedMessageSent')).toHaveLength(0);
  });

  it('gives the port what is left of the second and aborts its request at the deadline', async () => {
    let seen: { signal: AbortSignal; timeoutMs: number } | null = null;
    start({ ...createApiTrackingPort(crm), register: (_m, o) => ((seen = o), new Promise(() => undefined)) });
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    host.pressSend();
    await settle(0);
    expect(seen!.timeoutMs).toBe(1000);
    expect(seen!.signal.aborted).toBe(false);
    await settle(1000);
    expect(seen!.signal.aborted).toBe(true);
  });

  it.each([
    ['unreachable', new ApiError('OFFLINE', 'The CRM cannot be reached', 0), 'Sent without tracking: the CRM could not be reached.'],
    ['failing', new ApiError('INTERNAL', 'Something went wrong on our side', 500), 'Sent without tracking: the CRM could not register it (Something went wrong on our side).'],
    ['signed out', new ApiError('UNAUTHENTICATED', 'Sign in', 401), 'Sent without tracking: sign in again from the toolbar.'],
    ['throwing something else', new TypeError('boom'), 'Sent without tracking: the CRM could not be reached.'],
  ])('the CRM %s: sent at once as written, and the rep is told', async (_name, error, notice) => {
    crm.failNext('registerTrackedMessage', error as ApiError);
    start(createApiTrackingPort(crm), { signInHint: 'sign in again from the toolbar' });
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    expect(await host.pressSend().settled).toEqual({ sent: true, html: body, outcome: { registration: null, notice } });
    expect(host.notices).toEqual([notice]);
  });

  it('the consent mode says no: sent as written, with the API’s reason', async () => {
    crm.trackingPolicy = { mode: 'off', countryOverrides: {} };
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    const result = await host.pressSend().settled;
    expect(result).toMatchObject({ sent: true, html: body, outcome: { registration: null, notice: expect.stringMatching(/^Sent without tracking: .*will not be tracked/) } });
  });

  it('the rep typed while it registered: their words go out untracked', async () => {
    start({ ...createApiTrackingPort(crm), register: async (m, o) => (host.type(`${m.html}<p>PS</p>`), createApiTrackingPort(crm).register(m, o)) });
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    expect(await host.pressSend().settled).toEqual({ sent: true, html: `${body}<p>PS</p>`, outcome: { registration: null, notice: 'Sent without tracking: the email changed while tracking was being added.' } });
  });

  it('a tracked body that reads differently is not used', async () => {
    const port = createApiTrackingPort(crm);
    start({ ...port, register: async (m, o) => ({ ...(await port.register(m, o)), html: `${body}<p>Sent with Inbox CRM</p>` }) });
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    expect(await host.pressSend().settled).toMatchObject({ html: body, outcome: { notice: 'Sent without tracking: the tracked version would have changed its text.' } });
  });

  it('Send pressed again while registering is refused: one send', async () => {
    start();
    crm.hold('registerTrackedMessage');
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    const first = host.pressSend();
    await settle(100);
    const second = host.pressSend();
    expect(second.decidedAtOnce).toBe(true);
    expect(await second.settled).toEqual({ sent: false, reason: null });
    crm.release('registerTrackedMessage');
    expect(await first.settled).toMatchObject({ sent: true });
    expect(crm.callsOf('registerTrackedMessage')).toHaveLength(1);
  });

  it('the window closed while registering: nothing is sent, and the rep is told where the draft is', async () => {
    start();
    crm.hold('registerTrackedMessage');
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    const { settled } = host.pressSend();
    await settle(10);
    host.close();
    crm.release('registerTrackedMessage');
    expect(await settled).toEqual({ sent: false, reason: 'The email was closed while tracking was being added.' });
    expect(host.notices).toEqual(['Not sent: the email was closed while tracking was being added. It is in your Drafts.']);
  });

  it('a draft that comes back carrying our pixel is sent as that registration, not registered twice', async () => {
    start();
    await settle();
    const first = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(first);
    await first.pressSend().settled;
    const reopened = new FakeComposeHost({ recipients: ann, body: first.body }); // Undo Send reopens the draft
    tracker.attach(reopened);
    const press = reopened.pressSend();
    expect(press.decidedAtOnce).toBe(true);
    reopened.sent({ messageId: 'gmail:18c1', threadId: 'gmail:t1' });
    await settle();
    expect(crm.callsOf('registerTrackedMessage')).toHaveLength(1);
    expect(crm.callsOf('markTrackedMessageSent').map((c) => c.args[0])).toEqual([[...crm.registrations.keys()][0]]);
  });

  it('switched off after tracking was added (a send the mail client refused): the rep’s body is back', async () => {
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    const session = tracker.attach(host);
    await host.pressSend().settled;
    expect(host.body).not.toBe(body);
    session.toggle();
    expect(host.body).toBe(body);
    expect(await host.pressSend().settled).toEqual({ sent: true, html: body, outcome: { registration: null, notice: null } });
  });

  it('a sent report the CRM refuses is said, so the rep knows opens will not show', async () => {
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    await host.pressSend().settled;
    crm.failNext('markTrackedMessageSent', new ApiError('NOT_FOUND', 'Tracked message not found', 404));
    host.sent({ messageId: '<m1@x.test>', threadId: null });
    await settle();
    expect(host.notices).toEqual(['The CRM could not be told this message was sent, so its opens will not show in the sidebar.']);
    expect(reported).toEqual([]);
  });
});

describe('sending without registering', () => {
  it('tracking off: the send goes at once, untouched', async () => {
    crm.trackByDefault = false;
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    const press = host.pressSend();
    expect(press.decidedAtOnce).toBe(true);
    expect(await press.settled).toEqual({ sent: true, html: body, outcome: { registration: null, notice: null } });
    expect(crm.callsOf('registerTrackedMessage')).toHaveLength(0);
  });

  it('known not to be tracked for these recipients: at once, saying why', async () => {
    crm.trackingPolicy = { mode: 'off', countryOverrides: {} };
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    await settle(0);
    const press = host.pressSend();
    expect(press.decidedAtOnce).toBe(true);
    expect(await press.settled).toMatchObject({ sent: true, outcome: { notice: expect.stringMatching(/^Sent without tracking: /) } });
    expect(crm.callsOf('registerTrackedMessage')).toHaveLength(0);
  });

  it('after stop (the page was reloaded under the window): never in the way', async () => {
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann, body });
    tracker.attach(host);
    stop();
    expect(host.pressSend().decidedAtOnce).toBe(true);
  });
});

describe('the toggle', () => {
  it('starts as the rep’s default once it is known, unless the rep already chose', async () => {
    start();
    const untouched = tracker.attach(new FakeComposeHost());
    const chosen = tracker.attach(new FakeComposeHost());
    expect(untouched.getState()).toMatchObject({ trackingOn: false, account: { kind: 'loading' } });
    chosen.toggle();
    chosen.toggle(); // on, and off again: the rep's choice
    await settle();
    expect(untouched.getState()).toMatchObject({ trackingOn: true, account: { kind: 'ready' } });
    expect(chosen.getState().trackingOn).toBe(false);
  });

  it('asks what will be recorded once the recipients rest, and drops an answer for recipients gone since', async () => {
    start();
    await settle();
    const host = new FakeComposeHost();
    const session = tracker.attach(host);
    expect(session.getState().decision).toEqual({ kind: 'none' });
    host.setRecipients({ to: ['a'] });
    host.setRecipients({ to: ['Ann@acme.test'] });
    expect(session.getState().decision).toMatchObject({ kind: 'loading' });
    await settle(400);
    expect(crm.callsOf('trackingDecision').map((c) => c.args[0])).toEqual([{ to: ['ann@acme.test'], cc: [], bcc: [] }]);
    expect(session.getState().decision).toMatchObject({ kind: 'known', decision: { track: true } });
  });

  it('says the CRM is unavailable when it cannot answer, and that a signed-out rep must sign in', async () => {
    crm.failNext('trackingSettings', new ApiError('UNAUTHENTICATED', 'Sign in', 401));
    crm.failNext('trackingDecision', new ApiError('OFFLINE', 'The CRM cannot be reached', 0));
    start();
    await settle();
    const host = new FakeComposeHost({ recipients: ann });
    const session = tracker.attach(host);
    expect(session.getState().account).toEqual({ kind: 'signed-out' });
    session.toggle();
    await settle(0);
    expect(session.getState().decision).toMatchObject({ kind: 'unavailable', message: 'The CRM cannot be reached' });
  });

  it('can make the choice the rep’s default', async () => {
    crm.trackByDefault = false;
    start();
    await settle();
    const session = tracker.attach(new FakeComposeHost());
    session.toggle();
    await session.rememberDefault();
    expect(crm.trackByDefault).toBe(true);
    expect(session.getState().account).toMatchObject({ kind: 'ready', defaults: { trackByDefault: true } });
  });
});

describe('on a host that answers later and holds a send with an event (Outlook’s Smart Alerts)', () => {
  beforeEach(() => void vi.useRealTimers());

  it('registers and completes the send event with the tracked body', async () => {
    start();
    const office = new OfficeLikeItem();
    Object.assign(office, { to: ['ann@acme.test'], subjectText: 'Pricing', html: body, conversationId: 'AAQk-conversation' });
    const session = tracker.attach(officeComposeHost(office, () => undefined));
    await vi.waitFor(() => expect(session.getState().trackingOn).toBe(true));
    const completed = await office.send();
    const registration = [...crm.registrations.values()][0]!;
    expect(completed).toEqual({ allowEvent: true, html: registration.html });
    expect(crm.callsOf('registerTrackedMessage')[0]!.args[0]).toMatchObject({ to: ['ann@acme.test'], subject: 'Pricing', threadId: 'AAQk-conversation', html: body });
  });

  it('allows the send untouched when tracking is off, and within the second when the CRM is silent', async () => {
    start(deafPort(createApiTrackingPort(crm)));
    const office = new OfficeLikeItem();
    Object.assign(office, { to: ['ann@acme.test'], html: body });
    const notices: string[] = [];
    const session = tracker.attach(officeComposeHost(office, (t) => notices.push(t)));
    await vi.waitFor(() => expect(session.getState().trackingOn).toBe(true));
    const pressed = Date.now();
    expect(await office.send()).toEqual({ allowEvent: true, html: body });
    expect(Date.now() - pressed).toBeLessThan(1500);
    expect(notices).toEqual(['Sent without tracking: the CRM did not answer within a second.']);
    session.toggle();
    expect(await office.send()).toEqual({ allowEvent: true, html: body });
  });
});
