// GET /api/v1/events: what each listener hears of a change (their organization, their role's
// view), how soon, and resuming after a dropped connection with Last-Event-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let stranger: OrgFixture;

interface SseEvent { event: string; id?: string; data: any }

/** A browser following the stream: every event it got so far, and a way to wait for one. */
async function follow(caller: Caller, headers: Record<string, string> = {}) {
  const res = await t.app.request('/api/v1/events', { headers: { authorization: `Bearer ${caller.token}`, ...headers } });
  const events: SseEvent[] = [];
  if (res.status !== 200) return { status: res.status, events, until: async () => undefined as SseEvent | undefined, close: async () => {} };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
        }
        if (!block.startsWith(':')) events.push(e);
      }
    }
  })();
  const until = async (match: (e: SseEvent) => boolean, ms = 2000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const found = events.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  };
  await until((e) => e.event === 'ready', 5000);
  return { status: res.status, events, until, close: async () => { await reader.cancel(); await pump; } };
}

const changeOf = (dealId: string) => (e: SseEvent) => e.event === 'change' && e.data.recordId === dealId;

beforeAll(async () => {
  t = await createTestApp({ live: true });
  f = await createOrgFixture(t, 'Livewire');
  stranger = await createOrgFixture(t, 'Faraway');
});
afterAll(() => t.close());

describe('GET /api/v1/events', () => {
  it('refuses a caller who is not signed in', async () => {
    expect((await t.app.request('/api/v1/events')).status).toBe(401);
  });

  it('a deal moved by a rep reaches a manager within 2 s, with the card as it is now; not the other rep, not another organization', async () => {
    const manager = await follow(f.manager);
    const otherRep = await follow(f.otherRep);
    const outsider = await follow(stranger.manager);
    try {
      const started = Date.now();
      const moved = await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.rep, body: { stage: f.stageIds[2] } });
      expect(moved.status).toBe(200);
      const heard = await manager.until((e) => changeOf(f.dealId)(e) && e.data.deal?.stage === f.stageIds[2]);
      expect(heard, 'the manager heard the move').toBeDefined();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(heard!.data.type).toMatch(/^deal\./);
      expect(heard!.data).toMatchObject({ recordType: 'deal', actorId: f.rep.userId, deal: { id: f.dealId, stage: f.stageIds[2], ownerId: f.rep.userId } });
      expect(heard!.id).toBe(String(heard!.data.seq));
      // Give the others as long as the manager needed, and more.
      await new Promise((r) => setTimeout(r, 500));
      expect(otherRep.events.filter(changeOf(f.dealId))).toEqual([]);
      expect(outsider.events.filter((e) => e.event === 'change')).toEqual([]);
    } finally {
      await Promise.all([manager.close(), otherRep.close(), outsider.close()]);
    }
  });

  it('resumes after Last-Event-ID with what was missed, then says it is ready', async () => {
    const first = await follow(f.manager);
    const ready = first.events.find((e) => e.event === 'ready')!;
    await first.close();
    const lastSeen = ready.id!;
    // Missed while disconnected:
    await t.request('PATCH', `/api/v1/deals/${f.otherRepDealId}`, { as: f.otherRep, body: { stage: f.stageIds[1] } });
    await t.request('PATCH', `/api/v1/deals/${f.otherRepDealId}`, { as: f.otherRep, body: { valueCents: 450_000 } });
    const again = await follow(f.manager, { 'last-event-id': lastSeen });
    try {
      const replayed = again.events.filter(changeOf(f.otherRepDealId));
      // Everything after the last event seen comes again (events of the minute before it may too:
      // a transaction with a lower seq can commit after one with a higher).
      expect(replayed.filter((e) => Number(e.id) > Number(lastSeen)).length, JSON.stringify(again.events.map((e) => [e.event, e.id, e.data?.type ?? e.data]))).toBeGreaterThanOrEqual(2);
      expect(replayed.at(-1)!.data.deal).toMatchObject({ stage: f.stageIds[1], valueCents: 450_000 });
      const resumedReady = again.events.find((e) => e.event === 'ready')!;
      expect(resumedReady.data.resumed).toBeGreaterThanOrEqual(2);
      expect(Number(resumedReady.id)).toBeGreaterThanOrEqual(Number(replayed.at(-1)!.id));
      // The replay comes before `ready`.
      expect(again.events.indexOf(resumedReady)).toBeGreaterThan(again.events.indexOf(replayed.at(-1)!));
    } finally {
      await again.close();
    }
  });

  it('a garbled Last-Event-ID is a fresh start, not an error', async () => {
    const s = await follow(f.manager, { 'last-event-id': 'not-a-number' });
    try {
      expect(s.status).toBe(200);
      expect(s.events.find((e) => e.event === 'ready')?.data.resumed).toBe(0);
    } finally {
      await s.close();
    }
  });
});
