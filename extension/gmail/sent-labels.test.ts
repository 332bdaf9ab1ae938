import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrackedThreadState } from '../../core/schemas/tracking.ts';
import type { CrmAnswers } from '../messages.ts';
import { FakeInboxSdk } from './fake-inboxsdk.ts';
import { createGmailHost, type GmailHost } from './gmail-host.ts';
import { createBatchLoader, labelFor, startSentLabels } from './sent-labels.ts';
import type { TrackingClient } from './tracking-client.ts';

const bea = { name: 'Bea Buyer', emailAddress: 'bea@buyer.test' };
const state = (threadId: string, opens: number): TrackedThreadState => ({ threadId, state: opens ? 'opened' : 'not_opened', opens, lastOpenAt: opens ? '2026-11-21T09:00:00.000Z' : null });

describe('labelFor', () => {
  it.each([
    [state('t', 3), { title: 'Opened (3)', foregroundColor: '#0d652d', backgroundColor: '#e6f4ea' }],
    [state('t', 0), { title: 'Not opened yet', foregroundColor: '#5f6368', backgroundColor: '#f1f3f4' }],
    [null, null],
  ])('%j', (s, label) => {
    expect(labelFor(s)).toEqual(label);
  });
});

describe('sent list labels', () => {
  let sdk: FakeInboxSdk;
  let host: GmailHost;
  let asked: string[][];
  let answer: (ids: string[]) => CrmAnswers['crm:thread-states'];
  let errors: unknown[];
  let labels: ReturnType<typeof startSentLabels>;

  beforeEach(() => {
    vi.useFakeTimers();
    sdk = new FakeInboxSdk('robin@seller.test');
    host = createGmailHost(sdk);
    asked = [];
    errors = [];
    answer = (ids) => ({ ok: true, states: ids.filter((id) => id !== 'untracked').map((id) => state(id, id === 'opened' ? 2 : 0)) });
    const client = {
      threadStates: async (ids: string[]) => {
        asked.push(ids);
        return answer(ids);
      },
    } as Partial<TrackingClient> as TrackingClient;
    labels = startSentLabels(host, { client, onError: (e) => errors.push(e) });
  });
  afterEach(() => {
    host.destroy();
    vi.useRealTimers();
  });

  it('asks once for a burst of rows, and labels tracked threads only', async () => {
    const rows = ['opened', 'waiting', 'untracked'].map((id) => sdk.drawRow(id, 'Pricing', [bea]));
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toEqual([['opened', 'waiting', 'untracked']]);
    expect(rows.map((r) => r.labels.map((l) => l?.title))).toEqual([['Opened (2)'], ['Not opened yet'], []]);
  });

  it('reuses answers for a minute when Gmail redraws rows', async () => {
    sdk.drawRow('opened', 'Pricing', [bea]);
    await vi.advanceTimersByTimeAsync(150);
    const redrawn = sdk.drawRow('opened', 'Pricing', [bea]);
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toHaveLength(1);
    expect(redrawn.labels.map((l) => l?.title)).toEqual(['Opened (2)']);
    await vi.advanceTimersByTimeAsync(60_000);
    sdk.drawRow('opened', 'Pricing', [bea]);
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toHaveLength(2);
  });

  it('no labels (and no error per burst) when signed out; asks again later', async () => {
    answer = () => ({ ok: false, code: 'UNAUTHENTICATED', message: 'Sign in' });
    const row = sdk.drawRow('opened', 'Pricing', [bea]);
    await vi.advanceTimersByTimeAsync(150);
    expect(row.labels).toEqual([]);
    expect(errors).toEqual([]);
    answer = (ids) => ({ ok: true, states: ids.map((id) => state(id, 1)) });
    labels.clear(); // the rep signed in
    const again = sdk.drawRow('opened', 'Pricing', [bea]);
    await vi.advanceTimersByTimeAsync(150);
    expect(again.labels.map((l) => l?.title)).toEqual(['Opened (1)']);
  });
});

describe('createBatchLoader', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('splits more keys than a request takes, and joins repeated keys', async () => {
    const loads: string[][] = [];
    const loader = createBatchLoader<number>({
      load: async (keys) => (loads.push(keys), new Map(keys.map((k) => [k, Number(k)]))),
      delayMs: 100,
      maxBatch: 3,
      ttlMs: 1000,
      failureTtlMs: 100,
    });
    const results = Promise.all(['1', '2', '1', '3', '4'].map((k) => loader.get(k)));
    await vi.advanceTimersByTimeAsync(100);
    expect(await results).toEqual([1, 2, 1, 3, 4]);
    expect(loads).toEqual([['1', '2', '3'], ['4']]);
  });
});
