import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SendToBackground } from '../messages.ts';
import { createTrackingClient } from './tracking-client.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const message = { to: ['bea@buyer.test'], cc: [], bcc: [], html: '<p>Hi</p>', subject: null, threadId: null };

it('passes the worker’s answer through', async () => {
  const send = vi.fn(async () => ({ ok: true, states: [] })) as unknown as SendToBackground;
  expect(await createTrackingClient(send).threadStates(['t1'])).toEqual({ ok: true, states: [] });
  expect(send).toHaveBeenCalledWith({ type: 'crm:thread-states', threadIds: ['t1'] });
});

it('settles with TIMEOUT when the worker does not answer in the time given', async () => {
  const send = (() => new Promise(() => {})) as SendToBackground;
  const answer = createTrackingClient(send).register(message, 800);
  await vi.advanceTimersByTimeAsync(800);
  expect(await answer).toEqual({ ok: false, code: 'TIMEOUT', message: 'Inbox CRM did not answer within 800 ms' });
});

it.each([
  ['rejects (the extension was reloaded under the tab)', () => Promise.reject(new Error('Extension context invalidated.'))],
  ['throws at once', () => { throw new Error('Extension context invalidated.'); }],
  ['answers nothing', () => Promise.resolve(undefined)],
])('settles with OFFLINE when the worker %s', async (_name, impl) => {
  const answer = await createTrackingClient(impl as unknown as SendToBackground).settings();
  expect(answer).toMatchObject({ ok: false, code: 'OFFLINE', message: expect.stringContaining('did not answer') });
});
