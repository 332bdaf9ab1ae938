import { describe, expect, it } from 'vitest';
import { ApiError, type TrackedMessageInput, type TrackingApi } from '../sidebar/api.ts';
import { FakeCrm } from '../sidebar/test-fakes.ts';
import { parseRecipients, prepareBody, replyRecipients, replySubject, textToHtml, type SendInput } from './compose.ts';

const ann = { name: 'Ann Lee', email: 'ann@acme.test' };
const bob = { name: '', email: 'bob@acme.test' };
const me = { name: 'Robin Rep', email: 'robin@seller.test' };

describe('parseRecipients', () => {
  it.each([
    ['ann@acme.test', [{ name: '', email: 'ann@acme.test' }], []],
    ['Ann Lee <Ann@Acme.test>, bob@acme.test', [{ name: 'Ann Lee', email: 'ann@acme.test' }, bob], []],
    ['"Lee, Ann" <ann@acme.test>; bob@acme.test;', [{ name: 'Lee, Ann', email: 'ann@acme.test' }, bob], []],
    ['ann@acme.test, not an address, ann@acme.test', [{ name: '', email: 'ann@acme.test' }], ['not an address']],
    ['  ', [], []],
  ])('%j', (text, people, invalid) => expect(parseRecipients(text)).toEqual({ people, invalid }));
});

describe('textToHtml', () => {
  it('keeps paragraphs and line breaks, escapes markup and makes URLs links', () => {
    expect(textToHtml('Hi Ann,\n\nThe plan: https://acme.example/pricing?plan=team&seats=20.\nSee <this> & that\n\nBest,\nRobin')).toBe(
      '<p>Hi Ann,</p>\n' +
        '<p>The plan: <a href="https://acme.example/pricing?plan=team&amp;seats=20">https://acme.example/pricing?plan=team&amp;seats=20</a>.<br>See &lt;this&gt; &amp; that</p>\n' +
        '<p>Best,<br>Robin</p>',
    );
  });

  it('leaves closing punctuation and quotes out of the link', () => {
    expect(textToHtml('(see https://a.example/x), or "https://b.example/y"!')).toBe(
      '<p>(see <a href="https://a.example/x">https://a.example/x</a>), or &quot;<a href="https://b.example/y">https://b.example/y</a>&quot;!</p>',
    );
  });
});

const input = (fields: Partial<SendInput> = {}): SendInput => ({
  to: [ann], cc: [], subject: 'Proposal', html: textToHtml('See https://acme.example/pricing'), threadId: null, track: true, optOutLink: false, ...fields,
});

/** An API whose registering never answers, and ignores being aborted: the deadline must hold anyway. */
const deaf: Pick<TrackingApi, 'registerTrackedMessage'> = { registerTrackedMessage: () => new Promise(() => undefined) };

describe('prepareBody: sending with tracking', () => {
  it('tracked: the decorated body, with the pixel and the rewritten link', async () => {
    const crm = new FakeCrm();
    const outcome = await prepareBody(crm, input({ optOutLink: true, threadId: 'demo-t1' }));
    expect(outcome.notice).toBeNull();
    expect(outcome.registration?.trackedMessageId).toBeTruthy();
    expect(outcome.html).toContain('<img src="https://t.crm.test/o/');
    expect(outcome.html).toContain('href="https://t.crm.test/c/');
    expect(outcome.html).not.toContain('href="https://acme.example/pricing"');
    const sent = crm.callsOf('registerTrackedMessage')[0]!.args[0] as TrackedMessageInput;
    expect(sent).toEqual({ to: ['ann@acme.test'], cc: [], bcc: [], html: input().html, subject: 'Proposal', threadId: 'demo-t1', optOutLink: true });
  });

  it('tracking off: nothing asked, the body as written', async () => {
    const crm = new FakeCrm();
    const outcome = await prepareBody(crm, input({ track: false }));
    expect(outcome).toEqual({ html: input().html, registration: null, notice: null });
    expect(crm.calls).toHaveLength(0);
  });

  it('the consent mode says no: the body as written, and why', async () => {
    const crm = new FakeCrm();
    crm.trackingPolicy = { mode: 'off', countryOverrides: {} };
    const outcome = await prepareBody(crm, input());
    expect(outcome.html).toBe(input().html);
    expect(outcome.registration).toBeNull();
    expect(outcome.notice).toMatch(/^Sent without tracking: .*will not be tracked/);
  });

  it('the CRM does not answer within a second: sent untracked, and the rep is told', async () => {
    const started = Date.now();
    const outcome = await prepareBody(deaf, input());
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(990);
    expect(took).toBeLessThan(1500); // 1 s, plus a busy test machine
    expect(outcome).toEqual({ html: input().html, registration: null, notice: 'Sent without tracking: the CRM could not be reached.' });
  });

  it('passes the deadline to the request so it is aborted, not left running', async () => {
    let signal: AbortSignal | undefined;
    const api: Pick<TrackingApi, 'registerTrackedMessage'> = { registerTrackedMessage: (_i, o) => ((signal = o?.signal), new Promise(() => undefined)) };
    await prepareBody(api, input(), 30);
    expect(signal?.aborted).toBe(true);
  });

  it.each([
    [new ApiError('OFFLINE', 'The CRM cannot be reached', 0), 'Sent without tracking: the CRM could not be reached.'],
    [new ApiError('INTERNAL', 'Something went wrong on our side', 500), 'Sent without tracking: the CRM could not register it (Something went wrong on our side).'],
    [new ApiError('UNAUTHENTICATED', 'Sign in', 401), 'Sent without tracking: your CRM session has ended.'],
    [new TypeError('boom'), 'Sent without tracking: the CRM could not be reached.'],
  ])('an error (%s) sends it untracked: %s', async (error, notice) => {
    const outcome = await prepareBody({ registerTrackedMessage: async () => Promise.reject(error) }, input());
    expect(outcome).toEqual({ html: input().html, registration: null, notice });
  });
});

describe('replies', () => {
  it('answer the sender of the last message, keeping the others in cc, never the rep', () => {
    expect(replyRecipients({ from: ann, to: [me, bob], cc: [{ name: 'Cy', email: 'cy@acme.test' }] }, me.email)).toEqual({ to: [ann], cc: [bob, { name: 'Cy', email: 'cy@acme.test' }] });
  });

  it('after the rep’s own last message, go to the same people again', () => {
    expect(replyRecipients({ from: me, to: [ann], cc: [bob] }, 'ROBIN@seller.test')).toEqual({ to: [ann], cc: [bob] });
  });

  it.each([
    ['Proposal', 'Re: Proposal'],
    ['Re: Proposal', 'Re: Proposal'],
    ['RE: Proposal ', 'RE: Proposal'],
  ])('subject %j → %j', (subject, expected) => expect(replySubject(subject)).toBe(expected));
});
