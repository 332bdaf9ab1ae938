import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { CrmAnswers } from '../messages.ts';
import { FakeInboxSdk, type FakeMessage } from './fake-inboxsdk.ts';
import { startSenderViews } from './sender-views.ts';
import type { TrackingClient } from './tracking-client.ts';

const me = { name: 'Robin Rep', emailAddress: 'Robin@Seller.test' };
const buyer = { name: 'Bea Buyer', emailAddress: 'bea@buyer.test' };
const theirs: FakeMessage = { id: '18c0ffee00000001', from: buyer, recipients: [me] };
const mine: FakeMessage = { id: '18c0ffee00000002', from: me, recipients: [buyer] };
const mineCollapsed: FakeMessage = { id: '18c0ffee00000003', from: me, recipients: [buyer], loaded: false };

let sdk: FakeInboxSdk;
let reported: string[][];
let answer: CrmAnswers['crm:sender-view'];
let errors: unknown[];
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  sdk = new FakeInboxSdk('robin@seller.test');
  reported = [];
  errors = [];
  answer = { ok: true };
  const client = {
    senderViews: async (ids: string[]) => {
      reported.push(ids);
      return answer;
    },
  } as Partial<TrackingClient> as TrackingClient;
  stop = startSenderViews(sdk, { client, onError: (e) => errors.push(e) });
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

it('reports the rep’s own loaded messages as soon as the thread opens, in one request', async () => {
  sdk.openThread('18c0ffee00000001', 'Pricing', [theirs, mine, mineCollapsed]);
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toEqual([['gmail:18c0ffee00000002']]);
});

it('reports a message of the rep’s when it loads later (expanded), and one that arrives', async () => {
  const thread = sdk.openThread('18c0ffee00000001', 'Pricing', [theirs, mineCollapsed]);
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toEqual([]); // nothing of theirs shown yet
  thread.load(thread.messages[1]!);
  await vi.advanceTimersByTimeAsync(0);
  thread.addMessage({ id: '18c0ffee00000004', from: me, recipients: [buyer] }); // the rep's reply, shown after sending
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toEqual([['gmail:18c0ffee00000003'], ['gmail:18c0ffee00000004']]);
});

it('reports the same message again on a later visit, not twice for one', async () => {
  sdk.openThread('t', 'Pricing', [mine]).destroy();
  await vi.advanceTimersByTimeAsync(0);
  sdk.openThread('t', 'Pricing', [mine]);
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toEqual([['gmail:18c0ffee00000002']]);
  await vi.advanceTimersByTimeAsync(10_000);
  sdk.openThread('t', 'Pricing', [mine]);
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toHaveLength(2);
});

it('reports nothing for threads the rep only received', async () => {
  sdk.openThread('t', 'Hello', [theirs]);
  await vi.advanceTimersByTimeAsync(0);
  expect(reported).toEqual([]);
});

it('stays quiet when signed out or offline, and reports other failures', async () => {
  answer = { ok: false, code: 'UNAUTHENTICATED', message: 'Sign in' };
  sdk.openThread('t', 'Pricing', [mine]);
  await vi.advanceTimersByTimeAsync(0);
  expect(errors).toEqual([]);
  answer = { ok: false, code: 'INTERNAL', message: 'boom' };
  sdk.openThread('t2', 'Other', [{ ...mine, id: '18c0ffee00000009' }]);
  await vi.advanceTimersByTimeAsync(0);
  expect(errors).toEqual([new Error('Reporting your own view failed: boom')]);
});

it('stop() unregisters both handlers', () => {
  stop();
  expect(sdk.threadHandlers.size).toBe(0);
  expect(sdk.messageHandlers.size).toBe(0);
});
