// A write retried with the same Idempotency-Key is applied once; the retry gets the first answer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let rep: Caller;
let otherRep: Caller;

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Retries');
  rep = await org.member('rep');
  otherRep = await org.member('rep');
});
afterAll(() => t.close());

const notes = async () => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int n from activities where type = 'note'`))[0]!.n;

describe('Idempotency-Key', () => {
  it('applies a retried create once and replays the first answer', async () => {
    const before = await notes();
    const send = () => t.request('POST', '/api/v1/activities', { as: rep, body: { type: 'note', body: 'Queued while offline' }, headers: { 'idempotency-key': 'outbox-1a2b3c4d' } });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await notes()).toBe(before + 1);
  });

  it('refuses the same key for a different request', async () => {
    await t.request('POST', '/api/v1/activities', { as: rep, body: { type: 'note', body: 'one' }, headers: { 'idempotency-key': 'outbox-reused-1' } });
    const other = await t.request('POST', '/api/v1/activities', { as: rep, body: { type: 'note', body: 'two' }, headers: { 'idempotency-key': 'outbox-reused-1' } });
    expect(other.status).toBe(409);
  });

  it('keeps keys apart per user', async () => {
    const before = await notes();
    const body = { type: 'note', body: 'same words' };
    await t.request('POST', '/api/v1/activities', { as: rep, body, headers: { 'idempotency-key': 'shared-key-123' } });
    const theirs = await t.request('POST', '/api/v1/activities', { as: otherRep, body, headers: { 'idempotency-key': 'shared-key-123' } });
    expect(theirs.status).toBe(201);
    expect(await notes()).toBe(before + 2);
  });

  it('replays a refusal too, and changes nothing', async () => {
    const send = () => t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'X', contactIds: ['00000000-0000-4000-8000-000000000000'] }, headers: { 'idempotency-key': 'bad-ref-12345' } });
    expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(400);
  });

  it('rejects a malformed key', async () => {
    const res = await t.request('POST', '/api/v1/activities', { as: rep, body: { type: 'note' }, headers: { 'idempotency-key': 'no spaces allowed' } });
    expect(res.status).toBe(400);
  });
});
