// The Smart Alerts OnMessageSend handler end to end against the real API (in process): a tracked
// send registers the message, leaves with the pixel and signed links in its body and is reported
// sent, as from Gmail's compose; every failure lets the mail go untouched, fast, and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSessionKeys } from '../../core/outlook/addin.ts';
import { outlookSentPlaceholderId } from '../../core/mail/message-id.ts';
import { createTestApp, type TestApp } from '../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../test-support/fixtures.ts';
import { memoryTextStore, readNote, saveSession, type TextStore } from './addin-storage.ts';
import { FakeOffice, type FakeDraft } from './fake-office.ts';
import { handleMessageSend, type SendHandlerDeps } from './send-handler.ts';

let t: TestApp;
let a: OrgFixture;
const baseUrl = 'http://localhost:8787';
const apiFetch: typeof fetch = (input, init) => Promise.resolve(t.app.fetch(new Request(input, init)));

beforeAll(async () => {
  t = await createTestApp();
  a = await createOrgFixture(t, 'Outlooksend');
});
afterAll(() => t.close());

const body = '<p>Hello Ann, here is <a href="https://acme.example/pricing">the pricing</a>.</p>';

function setup(options: { signedIn?: boolean; sets?: string[]; choice?: 'on' | 'off'; draft?: FakeDraft } = {}) {
  const office = new FakeOffice({ userEmail: a.rep.email, ...(options.sets ? { sets: options.sets } : {}) });
  office.compose({ to: [a.contactEmail], subject: 'Pricing', bodyHtml: body, conversationId: 'AAQkAD-send-1', ...options.draft });
  if (options.choice) office.sessionData.set(composeSessionKeys.tracking, options.choice);
  const store: TextStore = memoryTextStore();
  if (options.signedIn !== false) saveSession(store, { token: a.rep.token, user: { id: a.rep.userId, email: a.rep.email, name: 'Rep' } } as Parameters<typeof saveSession>[1]);
  const send = (deps: Partial<SendHandlerDeps> = {}) => {
    const started = Date.now();
    return office.send((event) => handleMessageSend(event, { office, store, baseUrl, fetch: apiFetch, ...deps })).then((r) => ({ ...r, ms: Date.now() - started }));
  };
  return { office, store, send };
}

const trackedBy = async (messageId: string) => (await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(messageId)}`, { as: a.rep })).body.data as { id: string; messageId: string; subject: string }[];

describe('OnMessageSend against the API', () => {
  it('registers the message, decorates the body with the pixel and signed links, reports it sent and lets it go', async () => {
    const { send } = setup({ choice: 'on' });
    const result = await send();
    expect(result.allowEvent).toBe(true);
    expect(result.completions).toBe(1);
    const pixel = /<img[^>]+src="([^"]+\/o\/[^"]+\.gif)"/.exec(result.body)?.[1];
    expect(pixel).toMatch(/^http:\/\/localhost:8787\/o\//);
    expect(result.body).not.toContain('href="https://acme.example/pricing"');
    expect(result.body).toMatch(/href="http:\/\/localhost:8787\/c\/[^"]+"/);
    expect(result.body).toContain('the pricing');
    // Reported sent under the placeholder (Outlook knows no Message-ID while composing).
    const listed = (await t.request('GET', '/api/v1/tracking/messages', { as: a.rep })).body.data as { id: string; messageId: string | null; subject: string }[];
    const mine = listed.find((m) => m.subject === 'Pricing' && m.messageId === outlookSentPlaceholderId(m.id));
    expect(mine).toBeTruthy();
    expect(await trackedBy(outlookSentPlaceholderId(mine!.id))).toHaveLength(1);
  });

  it('leaves the mail untouched when the rep switched tracking off for it', async () => {
    const { send } = setup({ choice: 'off' });
    const result = await send();
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
  });

  it('sends untracked at once, and says so, when the CRM cannot be reached', async () => {
    const { send, store } = setup({ choice: 'on' });
    const result = await send({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
    expect(readNote('send', store, null)?.text).toMatch(/^Sent without tracking/);
    // Which email it was, for the pane's notice.
    expect(readNote('send', store, null)?.subject).toBe('Pricing');
  });

  it('sends untracked within its limit when the CRM does not answer', async () => {
    const { send, store } = setup({ choice: 'on' });
    const result = await send({ fetch: () => new Promise<Response>(() => undefined), deadlineMs: 400, reportWaitMs: 200 });
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
    expect(result.ms).toBeLessThan(2500);
    expect(readNote('send', store, null)?.text).toMatch(/^Sent without tracking/);
  });

  it('sends a plain-text email untracked and says it needs HTML', async () => {
    const { send, store } = setup({ choice: 'on', draft: { bodyType: 'text', bodyHtml: 'Hello Ann' } });
    const result = await send();
    expect(result).toMatchObject({ allowEvent: true, completions: 1 });
    expect(result.body).toBe('Hello Ann');
    expect(readNote('send', store, null)?.text).toMatch(/plain text/);
  });

  it('signed out: sends untracked and tells the rep to sign in in the pane', async () => {
    const { send, store } = setup({ choice: 'on', signedIn: false });
    const result = await send();
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
    expect(readNote('send', store, null)?.text).toBe('Sent without tracking: sign in to Inbox CRM in its Outlook pane.');
  });

  it('a refused session: sends untracked and says to sign in again', async () => {
    const { send, store } = setup({ choice: 'on' });
    saveSession(store, { token: 'not-a-token', user: { id: a.rep.userId, email: a.rep.email, name: 'Rep' } } as Parameters<typeof saveSession>[1]);
    const result = await send();
    expect(result).toMatchObject({ allowEvent: true, body, completions: 1 });
    expect(readNote('send', store, null)?.text).toMatch(/sign in to Inbox CRM in its Outlook pane/);
  });
});
